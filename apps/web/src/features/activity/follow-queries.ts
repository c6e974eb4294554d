import { activityApi } from '@opsloom/api';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';

const followsKey = ['follows'] as const;

export function useFollows() {
  return useQuery({ queryKey: followsKey, queryFn: () => api.call(activityApi.listFollows, {}) });
}

export function useToggleFollow(subjectType: 'team' | 'user', subjectId: string) {
  const queryClient = useQueryClient();
  const follows = useFollows();
  const following = follows.data?.items.some((f) => f.subjectType === subjectType && f.subjectId === subjectId) ?? false;
  const mutation = useMutation({
    mutationFn: async () => {
      if (following) await api.call(activityApi.deleteFollow, { params: { subjectType, subjectId } });
      else await api.call(activityApi.createFollow, { body: { subjectType, subjectId } });
    },
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: followsKey }), queryClient.invalidateQueries({ queryKey: ['activity'] })]),
  });
  return { following, ready: follows.isSuccess, mutation };
}
