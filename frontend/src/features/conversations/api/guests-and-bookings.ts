import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { Booking, ConversationRow, Guest, Page } from '@/lib/api-types';
import { bookingKeys, conversationKeys, guestKeys } from './keys';

export function getGuest(id: string, signal?: AbortSignal): Promise<Guest> {
  return api.get<Guest>(`/guests/${encodeURIComponent(id)}`, { signal });
}

export function useGuest(id: string) {
  return useQuery({ queryKey: guestKeys.detail(id), queryFn: ({ signal }) => getGuest(id, signal) });
}

export function getGuestBookings(guestId: string, signal?: AbortSignal): Promise<Page<Booking>> {
  return api.get<Page<Booking>>('/bookings', { query: { guest_id: guestId, limit: 50 }, signal });
}

/** Every booking of a guest, newest first. */
export function useGuestBookings(guestId: string) {
  return useQuery({
    queryKey: bookingKeys.ofGuest(guestId),
    queryFn: ({ signal }) => getGuestBookings(guestId, signal),
  });
}

export function searchBookings(q: string, signal?: AbortSignal): Promise<Page<Booking>> {
  return api.get<Page<Booking>>('/bookings', { query: { q, limit: 20 }, signal });
}

export function useBookingSearch(q: string) {
  return useQuery({
    queryKey: bookingKeys.search(q),
    queryFn: ({ signal }) => searchBookings(q, signal),
    enabled: q.length > 0,
    placeholderData: keepPreviousData,
  });
}

export function linkBooking(conversationId: string, bookingId: string | null): Promise<ConversationRow> {
  return api.post<ConversationRow>(`/conversations/${encodeURIComponent(conversationId)}/link-booking`, {
    booking_id: bookingId,
  });
}

/** Links the conversation to a booking, or unlinks it (null). */
export function useLinkBooking(conversationId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (bookingId: string | null) => linkBooking(conversationId, bookingId),
    onSuccess: (row) => {
      queryClient.setQueryData(conversationKeys.detail(conversationId), row);
      void queryClient.invalidateQueries({ queryKey: conversationKeys.lists() });
    },
  });
}
