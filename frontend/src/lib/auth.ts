// The signed-in session, shared by every feature (who am I, which property).
// Login/logout/switch live in features/auth; they write into this query.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, isApiError } from './api-client';
import type { Me } from './api-types';

export const meQueryKey = ['me'] as const;

/** The current session, or null when nobody is signed in (401). */
export async function getMe(signal?: AbortSignal): Promise<Me | null> {
  try {
    return await api.get<Me>('/auth/me', { signal });
  } catch (error) {
    if (isApiError(error) && error.status === 401) return null;
    throw error;
  }
}

export const meQueryOptions = queryOptions({
  queryKey: meQueryKey,
  queryFn: ({ signal }) => getMe(signal),
  staleTime: 5 * 60_000,
  retry: false,
});

export function useMe() {
  return useQuery(meQueryOptions);
}

/** For components that only render inside the signed-in layout. */
export function useSession(): Me {
  const { data } = useMe();
  if (!data) throw new Error('useSession() used outside a signed-in route');
  return data;
}
