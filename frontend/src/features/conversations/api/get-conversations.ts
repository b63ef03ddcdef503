import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { ConversationFilters, ConversationRow, Page } from '@/lib/api-types';
import { conversationKeys } from './keys';

export const PAGE_SIZE = 50;

export function getConversations(
  filters: ConversationFilters,
  cursor: string | null,
  signal?: AbortSignal,
): Promise<Page<ConversationRow>> {
  return api.get<Page<ConversationRow>>('/conversations', {
    query: { ...filters, cursor, limit: PAGE_SIZE },
    signal,
  });
}

export function conversationsQueryOptions(filters: ConversationFilters) {
  return infiniteQueryOptions({
    queryKey: conversationKeys.list(filters),
    queryFn: ({ pageParam, signal }) => getConversations(filters, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor,
  });
}

export function useConversations(filters: ConversationFilters) {
  return useInfiniteQuery(conversationsQueryOptions(filters));
}
