import { type AlertSeverity, eventsApi } from '@opsloom/api';
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { forgetDeleted } from '../../api/forget-deleted';

export const alertsKey = ['alerts'] as const;
export const integrationsKey = ['integrations'] as const;

export interface AlertFilters {
  status: 'firing' | 'resolved' | 'all';
  severity?: AlertSeverity;
  integration?: string;
  team?: string;
  ci?: string;
  unmapped?: boolean;
}

/** Alerts per console page. */
export const ALERTS_PAGE_SIZE = 50;

export function useAlerts(filters: AlertFilters) {
  return useInfiniteQuery({
    queryKey: [...alertsKey, 'list', filters],
    queryFn: ({ pageParam }) =>
      api.call(eventsApi.listAlerts, { query: { ...filters, unmapped: filters.unmapped ? 'true' : undefined, limit: ALERTS_PAGE_SIZE, cursor: pageParam } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function useNoise(days: number) {
  return useQuery({ queryKey: [...alertsKey, 'noise', days], queryFn: () => api.call(eventsApi.getNoise, { query: { days } }) });
}

export function useIntegrations() {
  return useQuery({ queryKey: integrationsKey, queryFn: () => api.call(eventsApi.listIntegrations, {}) });
}

export function useIntegration(id: string) {
  return useQuery({ queryKey: [...integrationsKey, id], queryFn: () => api.call(eventsApi.getIntegration, { params: { id } }) });
}

export function useCreateIntegration() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { kind: 'pagerduty-v2' | 'alertmanager' | 'generic'; name: string; team?: string }) => api.call(eventsApi.createIntegration, { body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: integrationsKey }),
  });
}

export function useDisableIntegration() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.call(eventsApi.deleteIntegration, { params: { id } }),
    onSuccess: (_, id) => forgetDeleted(queryClient, [...integrationsKey, id], integrationsKey),
  });
}
