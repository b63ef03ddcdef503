import type { ConversationFilters } from '@/lib/api-types';

export const conversationKeys = {
  all: ['conversations'] as const,
  lists: () => [...conversationKeys.all, 'list'] as const,
  list: (filters: ConversationFilters) => [...conversationKeys.lists(), filters] as const,
  unreadTotal: () => [...conversationKeys.all, 'unread-total'] as const,
  detail: (id: string) => [...conversationKeys.all, 'detail', id] as const,
  messages: (id: string) => [...conversationKeys.all, 'messages', id] as const,
};

export const staffKeys = {
  all: ['staff'] as const,
};

export const guestKeys = {
  detail: (id: string) => ['guests', 'detail', id] as const,
};

export const bookingKeys = {
  all: ['bookings'] as const,
  ofGuest: (guestId: string) => [...bookingKeys.all, 'guest', guestId] as const,
  search: (q: string) => [...bookingKeys.all, 'search', q] as const,
};

export const demoKeys = {
  available: ['demo', 'available'] as const,
};
