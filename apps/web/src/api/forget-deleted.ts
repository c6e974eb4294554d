import type { QueryClient, QueryKey } from '@tanstack/react-query';

/**
 * After deleting something whose page is open: its own queries are dropped, not refetched
 * (they would only fetch a 404 while the page closes), and the views listing it refresh in the
 * background so the navigation away is not held up. `listing` undefined refreshes everything.
 */
export function forgetDeleted(queryClient: QueryClient, own: QueryKey, listing?: QueryKey): void {
  queryClient.removeQueries({ queryKey: own });
  void queryClient.invalidateQueries(listing ? { queryKey: listing } : undefined);
}
