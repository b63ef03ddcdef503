import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, buildUrl } from '@/lib/api-client';
import type { WhatsAppLink } from '@/lib/api-types';

export function getWhatsAppLink(text: string, signal?: AbortSignal): Promise<WhatsAppLink> {
  return api.get<WhatsAppLink>('/whatsapp/link', { query: { text }, signal });
}

export function useWhatsAppLink(text: string) {
  return useQuery({
    queryKey: ['whatsapp-link', text],
    queryFn: ({ signal }) => getWhatsAppLink(text, signal),
    placeholderData: keepPreviousData,
  });
}

/** The QR image URL (same origin: the session cookie goes along). */
export function qrUrl(format: 'svg' | 'png', text: string): string {
  return buildUrl(`/whatsapp/qr.${format}`, { text });
}
