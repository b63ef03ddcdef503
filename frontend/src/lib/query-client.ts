import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { isApiError } from './api-client';
import { meQueryKey } from './auth';

export function createQueryClient(): QueryClient {
  // A 401 anywhere means the session ended (expired, logged out elsewhere):
  // forget the user so the router shows the login screen.
  const onError = (error: unknown) => {
    if (isApiError(error) && error.status === 401) {
      client.setQueryData(meQueryKey, null);
    }
  };
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        // Client errors will not fix themselves; retry only network and 5xx.
        retry: (failures, error) =>
          failures < 2 && !(isApiError(error) && error.status >= 400 && error.status < 500),
      },
      mutations: { retry: false },
    },
  });
  return client;
}
