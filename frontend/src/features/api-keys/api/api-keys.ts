import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { ApiKey, ApiKeyCreated, ApiKeyRole } from '@/lib/api-types';

export const apiKeyKeys = { all: ['api-keys'] as const };

export function getApiKeys(signal?: AbortSignal): Promise<ApiKey[]> {
  return api.get<ApiKey[]>('/api-keys', { signal });
}

export function useApiKeys(enabled = true) {
  return useQuery({ queryKey: apiKeyKeys.all, queryFn: ({ signal }) => getApiKeys(signal), enabled });
}

export function createApiKey(request: { name: string; role: ApiKeyRole }): Promise<ApiKeyCreated> {
  return api.post<ApiKeyCreated>('/api-keys', request);
}

export function useCreateApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createApiKey,
    onSuccess: ({ key: _secret, ...created }) => {
      // Only the listing shape is cached: the secret lives in the screen's state, once.
      queryClient.setQueryData<ApiKey[]>(apiKeyKeys.all, (list) => (list ? [...list, created] : list));
      void queryClient.invalidateQueries({ queryKey: apiKeyKeys.all });
    },
  });
}

export function revokeApiKey(id: string): Promise<void> {
  return api.delete(`/api-keys/${encodeURIComponent(id)}`);
}

export function useRevokeApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: revokeApiKey,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: apiKeyKeys.all }),
  });
}
