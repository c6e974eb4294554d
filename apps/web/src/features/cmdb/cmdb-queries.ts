import { cmdbApi, type CreateCi, type CreateRelationship, type ImportBody, type UpdateCi } from '@opsloom/api';
import { keepPreviousData, queryOptions, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { forgetDeleted } from '../../api/forget-deleted';

/** Every CMDB query key starts with this, so one invalidation refreshes them all after a change. */
export const cmdbKey = ['cmdb'] as const;

export interface CiFilters {
  type?: string;
  team?: string;
  status?: 'planned' | 'live' | 'maintenance' | 'retired';
  q?: string;
}

export function useCis(filters: CiFilters) {
  return useInfiniteQuery({
    queryKey: [...cmdbKey, 'cis', filters],
    queryFn: ({ pageParam }) => api.call(cmdbApi.listCis, { query: { ...filters, limit: 50, cursor: pageParam } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // Keep the old rows on screen while the next filter's answer loads: no flicker when typing.
    placeholderData: keepPreviousData,
  });
}

/** A short list for pickers (focus CI on the map); `q` matches key or name. */
export function useCiSearch(q: string) {
  return useQuery({
    queryKey: [...cmdbKey, 'search', q],
    queryFn: () => api.call(cmdbApi.listCis, { query: { q: q || undefined, limit: 20 } }),
    placeholderData: keepPreviousData,
  });
}

export function useCi(ref: string) {
  return useQuery({ queryKey: [...cmdbKey, 'ci', ref], queryFn: () => api.call(cmdbApi.getCi, { params: { ci: ref } }) });
}

export function useCiImpact(ref: string | null) {
  return useQuery({
    queryKey: [...cmdbKey, 'impact', ref],
    queryFn: () => api.call(cmdbApi.getCiImpact, { params: { ci: ref ?? '' } }),
    enabled: ref !== null,
  });
}

export function useCiDependencies(ref: string) {
  return useQuery({ queryKey: [...cmdbKey, 'dependencies', ref], queryFn: () => api.call(cmdbApi.getCiDependencies, { params: { ci: ref } }) });
}

export function useCiHistory(ref: string) {
  return useInfiniteQuery({
    queryKey: [...cmdbKey, 'history', ref],
    queryFn: ({ pageParam }) => api.call(cmdbApi.getCiHistory, { params: { ci: ref }, query: { limit: 25, cursor: pageParam } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useCiChanges(ref: string, depth: number) {
  return useQuery({
    queryKey: [...cmdbKey, 'changes', ref, depth],
    queryFn: () => api.call(cmdbApi.getCiChanges, { params: { ci: ref }, query: { depth, limit: 50 } }),
  });
}

/** Shared by the map and the prefetch that runs while the map's code loads. */
export function graphQuery(focus: string | null, depth: number) {
  return queryOptions({
    queryKey: [...cmdbKey, 'graph', focus, depth],
    queryFn: () => api.call(cmdbApi.getGraph, { query: { focus: focus ?? undefined, depth, limit: 5000 } }),
  });
}

export function useGraph(focus: string | null, depth: number) {
  return useQuery({ ...graphQuery(focus, depth), placeholderData: keepPreviousData });
}


/** Every CMDB write refreshes every CMDB view: a CI's name or owner shows in lists, pages, maps and impact. */
function useCmdbMutation<Input, Output>(mutationFn: (input: Input) => Promise<Output>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn, onSuccess: () => queryClient.invalidateQueries({ queryKey: cmdbKey }) });
}

export const useCreateCi = () => useCmdbMutation((body: CreateCi) => api.call(cmdbApi.createCi, { body }));

export const useUpdateCi = (ref: string) => useCmdbMutation((body: UpdateCi) => api.call(cmdbApi.updateCi, { params: { ci: ref }, body }));

export const useImportCmdb = () => useCmdbMutation((body: ImportBody) => api.call(cmdbApi.importCmdb, { body }));

export function useDeleteCi(ref: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.call(cmdbApi.deleteCi, { params: { ci: ref } }),
    onSuccess: () => forgetDeleted(queryClient, [...cmdbKey, 'ci', ref], cmdbKey),
  });
}

export const useCreateRelationship = () => useCmdbMutation((body: CreateRelationship) => api.call(cmdbApi.createRelationship, { body }));

export const useDeleteRelationship = () => useCmdbMutation((id: string) => api.call(cmdbApi.deleteRelationship, { params: { id } }));
