import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { AttentionKind, AttentionPage, AttentionSettings, Channel, Message } from '@/lib/api-types';

export const attentionKeys = {
  all: ['attention'] as const,
  list: (kind: AttentionKind | null) => [...attentionKeys.all, 'list', kind] as const,
  count: () => [...attentionKeys.all, 'count'] as const,
  settings: () => [...attentionKeys.all, 'settings'] as const,
};
const PAGE_SIZE = 50;
// Remedies create or move messages: the inbox refetches too.
const CONVERSATIONS = ['conversations'] as const;

export function useAttention(kind: AttentionKind | null) {
  return useInfiniteQuery({
    queryKey: attentionKeys.list(kind),
    queryFn: ({ pageParam, signal }) =>
      api.get<AttentionPage>('/attention', { query: { kind, cursor: pageParam, limit: PAGE_SIZE }, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor,
  });
}

/** The nav badge: the queue's size, refreshed every minute (waiting guests cross the threshold by time alone). */
export function useAttentionCount() {
  return useQuery({
    queryKey: attentionKeys.count(),
    queryFn: ({ signal }) => api.get<AttentionPage>('/attention', { query: { limit: 1 }, signal }),
    select: (page) => page.total,
    refetchInterval: 60_000,
  });
}

export type RemedyRequest =
  | { action: 'retry'; messageId: string }
  | { action: 'resend'; messageId: string; channel: Channel }
  | { action: 'dismiss'; kind: AttentionKind; id: string };

export function useRemedy() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (request: RemedyRequest): Promise<Message | void> => {
      if (request.action === 'retry') return api.post<Message>(`/attention/messages/${request.messageId}/retry`);
      if (request.action === 'resend') {
        return api.post<Message>(`/attention/messages/${request.messageId}/resend`, { channel: request.channel });
      }
      return api.post<void>(`/attention/${request.kind}/${request.id}/dismiss`);
    },
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: attentionKeys.all });
      void client.invalidateQueries({ queryKey: CONVERSATIONS });
    },
  });
}

export function useAttentionSettings() {
  return useQuery({
    queryKey: attentionKeys.settings(),
    queryFn: ({ signal }) => api.get<AttentionSettings>('/attention/settings', { signal }),
  });
}

export function useSaveAttentionSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (settings: AttentionSettings) => api.put<AttentionSettings>('/attention/settings', settings),
    onSuccess: () => client.invalidateQueries({ queryKey: attentionKeys.all }),
  });
}
