import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { LoginRequest, Me } from '@/lib/api-types';
import { meQueryKey } from '@/lib/auth';

export function login(credentials: LoginRequest): Promise<Me> {
  return api.post<Me>('/auth/login', credentials);
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: login,
    onSuccess: (me) => {
      // Nothing cached under a previous session may leak into this one.
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== meQueryKey[0] });
      queryClient.setQueryData(meQueryKey, me);
    },
  });
}
