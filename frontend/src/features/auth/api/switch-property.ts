import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { Me } from '@/lib/api-types';
import { meQueryKey } from '@/lib/auth';

export function switchProperty(propertyId: string): Promise<Me> {
  return api.post<Me>('/auth/switch-property', { property_id: propertyId });
}

export function useSwitchProperty() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: switchProperty,
    onSuccess: (me) => {
      // Every other cached answer belongs to the previous property. The app
      // layout keys its pages by property id, so they remount with fresh
      // observers instead of holding on to the removed queries.
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== meQueryKey[0] });
      queryClient.setQueryData(meQueryKey, me);
    },
  });
}
