import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { UnreadSummary } from '@/lib/api-types';
import { conversationKeys } from './keys';

/** How much I have not read, for the tab title. */
export function getUnreadSummary(signal?: AbortSignal): Promise<UnreadSummary> {
  return api.get<UnreadSummary>('/conversations/unread', { signal });
}

export function useUnreadTotal() {
  return useQuery({
    queryKey: conversationKeys.unreadTotal(),
    queryFn: ({ signal }) => getUnreadSummary(signal),
  });
}
