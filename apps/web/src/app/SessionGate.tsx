import { Center } from '@mantine/core';
import { SignInPage } from '../features/auth/SignInPage';
import { useSessionQuery } from '../features/auth/session';
import { ErrorState, LoadingState } from '../ui/states';
import { AppRoutes } from './AppRoutes';

/** Signed out at any URL shows sign-in there, so after signing in the user lands where they meant to go. */
export function SessionGate() {
  const session = useSessionQuery();
  if (session.isPending) return <LoadingState label="Opening Opsloom…" />;
  if (session.isError) {
    return (
      <Center mih="100vh" p="md">
        <ErrorState error={session.error} title="Opsloom is not reachable" />
      </Center>
    );
  }
  return session.data ? <AppRoutes /> : <SignInPage />;
}
