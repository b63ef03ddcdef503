import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { Booking, Guest, Message, Page, Placeholder, Template, TemplatePreview, TemplateSendRequest } from '@/lib/api-types';
import { type SendTarget, sendingKeys } from './keys';

/** Only approved templates can be sent. */
export async function getApprovedTemplates(signal?: AbortSignal): Promise<Template[]> {
  const templates = await api.get<Template[]>('/whatsapp/templates', { signal });
  return templates.filter((template) => template.status === 'approved').sort((a, b) => a.name.localeCompare(b.name));
}

export function useApprovedTemplates() {
  return useQuery({ queryKey: sendingKeys.approved, queryFn: ({ signal }) => getApprovedTemplates(signal) });
}

function targetPath(target: SendTarget): string {
  return target.kind === 'conversation'
    ? `/conversations/${encodeURIComponent(target.id)}`
    : `/guests/${encodeURIComponent(target.id)}`;
}

export function previewTemplate(
  target: SendTarget,
  request: TemplateSendRequest,
  signal?: AbortSignal,
): Promise<TemplatePreview> {
  return api.post<TemplatePreview>(`${targetPath(target)}/template-preview`, request, { signal });
}

/** What the guest will read, the parameters the server fills in, and the cost. */
export function useTemplatePreview(target: SendTarget, templateId: string | null, overrides: Record<string, string>) {
  return useQuery({
    queryKey: sendingKeys.preview(target, templateId ?? '', overrides),
    queryFn: ({ signal }) => previewTemplate(target, { template_id: templateId!, overrides }, signal),
    enabled: templateId !== null,
    placeholderData: keepPreviousData,
    retry: false,
    staleTime: 60_000,
  });
}

export function sendTemplate(target: SendTarget, request: TemplateSendRequest): Promise<Message> {
  return api.post<Message>(`${targetPath(target)}/template-messages`, request);
}

export function useSendTemplate(target: SendTarget) {
  return useMutation({ mutationFn: (request: TemplateSendRequest) => sendTemplate(target, request) });
}

export interface Recipient {
  guest: Guest;
  booking: Booking | null;
}

/** Guests and bookings matching a search, as one list of people to write to. */
export async function searchRecipients(q: string, signal?: AbortSignal): Promise<Recipient[]> {
  const [guests, bookings] = await Promise.all([
    api.get<Page<Guest>>('/guests', { query: { q, limit: 10 }, signal }),
    api.get<Page<Booking>>('/bookings', { query: { q, limit: 10 }, signal }),
  ]);
  const results: Recipient[] = bookings.items.map((booking) => ({ guest: booking.guest, booking }));
  for (const guest of guests.items) {
    if (!results.some((result) => result.guest.id === guest.id)) results.push({ guest, booking: null });
  }
  return results;
}

export function useRecipientSearch(q: string) {
  return useQuery({
    queryKey: sendingKeys.recipients(q),
    queryFn: ({ signal }) => searchRecipients(q, signal),
    enabled: q.length > 0,
    placeholderData: keepPreviousData,
  });
}

/** What each placeholder means ("Guest's first name"), to label the value fields. */
export function usePlaceholderNames() {
  return useQuery({
    queryKey: ['template-sending', 'placeholders'] as const,
    queryFn: ({ signal }) => api.get<Placeholder[]>('/whatsapp/placeholders', { signal }),
    staleTime: 60 * 60_000,
    select: (list) => new Map(list.map((placeholder) => [placeholder.key, placeholder.description])),
  });
}
