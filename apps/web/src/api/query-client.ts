import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from '@opsloom/api';
import { isUnauthenticated } from './errors';

export const sessionKey = ['session'] as const;

/**
 * One query client. A 401 from any request means the session ended (expired, revoked,
 * user disabled): the session is cleared, which sends the app back to sign-in.
 */
export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        if (isUnauthenticated(error) && query.queryKey[0] !== sessionKey[0]) client.setQueryData(sessionKey, null);
      },
    }),
    mutationCache: new MutationCache({
      onError: (error) => {
        if (isUnauthenticated(error)) client.setQueryData(sessionKey, null);
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        refetchOnWindowFocus: false,
        // Client errors will not fix themselves; retry only what may be transient.
        retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      },
    },
  });
  return client;
}
