import { ApiError, identityApi, type User } from '@opsloom/api';
import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken } from '../../api/client';
import { sessionKey } from '../../api/query-client';

/** The signed-in user, or null when signed out. */
export function useSessionQuery() {
  return useQuery({
    queryKey: sessionKey,
    queryFn: async (): Promise<User | null> => {
      try {
        const session = await api.call(identityApi.getSession, {});
        setCsrfToken(session.csrfToken);
        return session.user;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: Infinity,
  });
}

/** The signed-in user; only used below the session gate, where one always exists. */
export function useCurrentUser(): User {
  const { data } = useSessionQuery();
  if (!data) throw new Error('useCurrentUser used outside a signed-in view');
  return data;
}

/**
 * Another user's data must not survive a sign-in or sign-out. The session query itself is
 * kept (and overwritten) because the session gate observes it; removing it would detach the gate.
 */
function forgetEverythingButSession(queryClient: QueryClient): void {
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionKey[0] });
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { email: string; password: string }) => api.call(identityApi.login, { body }),
    onSuccess: (session) => {
      setCsrfToken(session.csrfToken);
      forgetEverythingButSession(queryClient);
      queryClient.setQueryData(sessionKey, session.user);
    },
  });
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.call(identityApi.logout, {}),
    onSettled: () => {
      setCsrfToken(null);
      forgetEverythingButSession(queryClient);
      queryClient.setQueryData(sessionKey, null);
    },
  });
}
