import { type InfiniteData, type QueryClient, queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { ConversationRow, Page } from '@/lib/api-types';
import { conversationKeys } from './keys';

export function getConversation(id: string, signal?: AbortSignal): Promise<ConversationRow> {
  return api.get<ConversationRow>(`/conversations/${encodeURIComponent(id)}`, { signal });
}

/** The row as the inbox list last saw it, to show the header before the fetch returns. */
function rowFromLists(queryClient: QueryClient, id: string): ConversationRow | undefined {
  const lists = queryClient.getQueriesData<InfiniteData<Page<ConversationRow>>>({
    queryKey: conversationKeys.lists(),
  });
  for (const [, data] of lists) {
    for (const page of data?.pages ?? []) {
      const row = page.items.find((item) => item.id === id);
      if (row) return row;
    }
  }
  return undefined;
}

export function conversationQueryOptions(id: string) {
  return queryOptions({
    queryKey: conversationKeys.detail(id),
    queryFn: ({ signal }) => getConversation(id, signal),
  });
}

export function useConversation(id: string) {
  const queryClient = useQueryClient();
  return useQuery({
    ...conversationQueryOptions(id),
    placeholderData: () => rowFromLists(queryClient, id),
  });
}
