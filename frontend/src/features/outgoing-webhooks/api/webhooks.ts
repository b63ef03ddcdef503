import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiRequest } from '@/lib/api-client';
import type { WebhookDelivery, WebhookSubscription, WebhookSubscriptionCreated } from '@/lib/api-types';

const BASE = '/webhook-subscriptions';

export const webhookKeys = {
  all: ['webhook-subscriptions'] as const,
  deliveries: (id: string) => ['webhook-subscriptions', id, 'deliveries'] as const,
};

export function useSubscriptions() {
  return useQuery({
    queryKey: webhookKeys.all,
    queryFn: ({ signal }) => api.get<WebhookSubscription[]>(BASE, { signal }),
  });
}

export function useCreateSubscription() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: { url: string; description: string; event_types: string[] }) =>
      api.post<WebhookSubscriptionCreated>(BASE, request),
    // the secret is kept by the screen, once; the cache holds the listing only
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: webhookKeys.all }),
  });
}

export function useUpdateSubscription() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...patch }: { id: string; active?: boolean; event_types?: string[] }) =>
      apiRequest<WebhookSubscription>('PATCH', `${BASE}/${encodeURIComponent(id)}`, { body: patch }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: webhookKeys.all }),
  });
}

export function useDeleteSubscription() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`${BASE}/${encodeURIComponent(id)}`),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: webhookKeys.all }),
  });
}

export function useDeliveries(id: string) {
  return useQuery({
    queryKey: webhookKeys.deliveries(id),
    queryFn: ({ signal }) => api.get<WebhookDelivery[]>(`${BASE}/${encodeURIComponent(id)}/deliveries`, { signal }),
    refetchInterval: 5000, // retries land in the background
  });
}

export function useRedeliver(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (deliveryId: string) =>
      api.post<{ delivery_id: string }>(
        `${BASE}/${encodeURIComponent(id)}/deliveries/${encodeURIComponent(deliveryId)}/redeliver`,
      ),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: webhookKeys.deliveries(id) }),
  });
}
