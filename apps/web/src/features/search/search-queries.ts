import { search } from '@opsloom/api';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';

export function useSearch(q: string) {
  const trimmed = q.trim();
  return useQuery({
    queryKey: ['search', trimmed],
    queryFn: () => api.call(search, { query: { q: trimmed, limit: 12 } }),
    enabled: trimmed.length > 0,
    placeholderData: (previous) => previous,
    staleTime: 10_000,
  });
}
