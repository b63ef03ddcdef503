import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { GuestCosts, HeldMessage, Spending } from '@/lib/api-types';

export const spendingKeys = {
  all: ['spending'] as const,
  held: ['spending', 'held'] as const,
  guest: (guestId: string) => ['guests', guestId, 'costs'] as const,
};

export function useGuestCosts(guestId: string) {
  return useQuery({
    queryKey: spendingKeys.guest(guestId),
    queryFn: ({ signal }) => api.get<GuestCosts>(`/guests/${encodeURIComponent(guestId)}/costs`, { signal }),
  });
}

export function useSpending() {
  return useQuery({ queryKey: spendingKeys.all, queryFn: ({ signal }) => api.get<Spending>('/spending', { signal }) });
}

export function useHeldMessages() {
  return useQuery({
    queryKey: spendingKeys.held,
    queryFn: ({ signal }) => api.get<HeldMessage[]>('/spending/held', { signal }),
  });
}

export function useSaveCap() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ channel, monthlyCap }: { channel: string; monthlyCap: string | null }) =>
      api.put<Spending>('/spending/caps', { channel, monthly_cap: monthlyCap }),
    onSuccess: (spending) => {
      queryClient.setQueryData(spendingKeys.all, spending);
      void queryClient.invalidateQueries({ queryKey: spendingKeys.held });
    },
  });
}

export function useSendAnyway() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (messageId: string) => api.post<unknown>(`/spending/held/${encodeURIComponent(messageId)}/send-anyway`),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: spendingKeys.all }),
  });
}
