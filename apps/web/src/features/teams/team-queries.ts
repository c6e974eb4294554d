import { identityApi } from '@opsloom/api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { forgetDeleted } from '../../api/forget-deleted';

export const teamsKey = ['teams'] as const;
export const teamKey = (slug: string) => ['teams', slug] as const;
export const membersKey = (slug: string) => ['teams', slug, 'members'] as const;

export function useTeams() {
  return useQuery({ queryKey: teamsKey, queryFn: () => api.call(identityApi.listTeams, {}) });
}

export function useTeam(slug: string) {
  return useQuery({ queryKey: teamKey(slug), queryFn: () => api.call(identityApi.getTeam, { params: { team: slug } }) });
}

export function useTeamMembers(slug: string) {
  return useQuery({ queryKey: membersKey(slug), queryFn: () => api.call(identityApi.listTeamMembers, { params: { team: slug } }) });
}

export function useCreateTeam() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { slug: string; name: string; description?: string }) => api.call(identityApi.createTeam, { body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: teamsKey }),
  });
}

export function useUpdateTeam(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { name?: string; description?: string }) => api.call(identityApi.updateTeam, { params: { team: slug }, body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: teamsKey }),
  });
}

/** Adds a member or changes their role: the API's PUT does both. */
export function usePutMember(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { user: string; role: 'member' | 'lead' }) =>
      api.call(identityApi.putTeamMember, { params: { team: slug, user: input.user }, body: { role: input.role } }),
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: teamsKey }), queryClient.invalidateQueries({ queryKey: ['users'] })]),
  });
}

export function useRemoveMember(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (user: string) => api.call(identityApi.removeTeamMember, { params: { team: slug, user } }),
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: teamsKey }), queryClient.invalidateQueries({ queryKey: ['users'] })]),
  });
}

export function useDeleteTeam(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.call(identityApi.deleteTeam, { params: { team: slug } }),
    // Everything may name the team (CIs, people, integrations): all of it refreshes.
    onSuccess: () => forgetDeleted(queryClient, teamKey(slug)),
  });
}
