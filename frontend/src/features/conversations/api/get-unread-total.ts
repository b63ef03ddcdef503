import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { ConversationRow, Page } from '@/lib/api-types';
import { conversationKeys } from './keys';
import { PAGE_SIZE } from './get-conversations';

export interface UnreadTotal {
  count: number;
  /** True when more unread conversations exist than one page holds. */
  atLeast: boolean;
}

// The API has no counter endpoint: sum the first page of unread conversations.
export async function getUnreadTotal(signal?: AbortSignal): Promise<UnreadTotal> {
  const page = await api.get<Page<ConversationRow>>('/conversations', {
    query: { unread: true, limit: PAGE_SIZE },
    signal,
  });
  return {
    count: page.items.reduce((sum, row) => sum + row.unread_count, 0),
    atLeast: page.next_cursor !== null,
  };
}

export function useUnreadTotal() {
  return useQuery({
    queryKey: conversationKeys.unreadTotal(),
    queryFn: ({ signal }) => getUnreadTotal(signal),
  });
}
