import { infiniteQueryOptions, useInfiniteQuery, type InfiniteData } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { Message, Page } from '@/lib/api-types';
import { conversationKeys } from './keys';

export type MessagePages = InfiniteData<Page<Message>>;

/** First page = newest messages; each page is oldest→newest; the cursor goes back in time. */
export function getMessages(
  conversationId: string,
  cursor: string | null,
  signal?: AbortSignal,
): Promise<Page<Message>> {
  return api.get<Page<Message>>(`/conversations/${encodeURIComponent(conversationId)}/messages`, {
    query: { cursor, limit: 50 },
    signal,
  });
}

export function messagesQueryOptions(conversationId: string) {
  return infiniteQueryOptions({
    queryKey: conversationKeys.messages(conversationId),
    queryFn: ({ pageParam, signal }) => getMessages(conversationId, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.next_cursor,
  });
}

export function useMessages(conversationId: string) {
  return useInfiniteQuery(messagesQueryOptions(conversationId));
}

/** All loaded messages in display order, oldest first. */
export function flattenMessages(data: MessagePages | undefined): Message[] {
  if (!data) return [];
  return [...data.pages].reverse().flatMap((page) => page.items);
}

/** Adds a message we just created to the newest page, unless a refetch brought it already. */
export function appendMessage(data: MessagePages | undefined, message: Message): MessagePages | undefined {
  if (!data || data.pages.length === 0) return data;
  if (data.pages.some((page) => page.items.some((item) => item.id === message.id))) return data;
  const [newest, ...older] = data.pages;
  return { ...data, pages: [{ ...newest!, items: [...newest!.items, message] }, ...older] };
}
