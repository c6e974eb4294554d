import { incidentsApi } from '@opsloom/api';
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
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
