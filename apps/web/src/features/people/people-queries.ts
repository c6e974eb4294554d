import { identityApi, type Role } from '@opsloom/api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';

export const usersKey = ['users'] as const;

export function useUsers(filters: { q?: string; team?: string } = {}, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: ['users', 'list', filters],
    queryFn: () => api.call(identityApi.listUsers, { query: { ...filters, limit: 200 } }),
    enabled: options.enabled ?? true,
    placeholderData: (previous) => previous,
  });
}

export function useUser(handle: string) {
  return useQuery({ queryKey: ['users', 'one', handle], queryFn: () => api.call(identityApi.getUser, { params: { user: handle } }) });
}

export interface CreateUserInput {
  email: string;
  name: string;
  password?: string;
  role: Role;
  teams: string[];
}

export function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateUserInput) => api.call(identityApi.createUser, { body }),
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: usersKey }), queryClient.invalidateQueries({ queryKey: ['teams'] })]),
  });
}

export function useUpdateUser(handle: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { role?: Role; disabled?: boolean; name?: string }) => api.call(identityApi.updateUser, { params: { user: handle }, body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: usersKey }),
  });
}
