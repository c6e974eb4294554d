import { Navigate } from 'react-router';
import { useCurrentUser } from '../../auth/session';
import { PeopleDirectory } from '../../people/PeopleDirectory';

export function UsersPage() {
  const user = useCurrentUser();
  if (user.role !== 'admin') return <Navigate to="/" replace />;
  return <PeopleDirectory title="Users" description="Create accounts, change roles and disable access." manage />;
}
