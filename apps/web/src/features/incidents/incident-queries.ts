import { incidentsApi } from '@opsloom/api';
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';

export const incidentsKey = ['incidents'] as const;

export function useIncidents(status: 'open' | 'resolved' | 'all') {
  return useInfiniteQuery({
    queryKey: [...incidentsKey, 'list', status],
    queryFn: ({ pageParam }) => api.call(incidentsApi.listIncidents, { query: { status, limit: 50, cursor: pageParam } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function useIncident(id: string) {
  return useQuery({ queryKey: [...incidentsKey, id], queryFn: () => api.call(incidentsApi.getIncident, { params: { id } }) });
}

export function useIncidentAlerts(id: string) {
  return useQuery({ queryKey: [...incidentsKey, id, 'alerts'], queryFn: () => api.call(incidentsApi.listIncidentAlerts, { params: { id } }) });
}

export function useResolveIncident(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (note: string) => api.call(incidentsApi.resolveIncident, { params: { id }, body: note ? { note } : {} }),
    onSuccess: (incident) => {
      queryClient.setQueryData([...incidentsKey, id], incident);
      return queryClient.invalidateQueries({ queryKey: incidentsKey });
    },
  });
}
