// What an SMS will cost in parts: the server counts (GSM-7 vs UCS-2, concatenation
// headers), so the composer and the scheduled-message editor agree with the bill.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from './api-client';
import type { SmsSegments } from './api-types';
import { useDebounced } from './use-debounced';

export const SMS_SEGMENT_DELAY_MS = 300;
/** The API refuses longer texts (Twilio's limit). */
export const SMS_MAX_LENGTH = 1600;

export function countSmsSegments(text: string, signal?: AbortSignal): Promise<SmsSegments> {
  return api.post<SmsSegments>('/sms/segments', { text }, { signal });
}

export const smsSegmentKeys = {
  all: ['sms-segments'] as const,
  text: (text: string) => [...smsSegmentKeys.all, text] as const,
};

/** The count for `text`, asked shortly after typing stops; nothing for an empty text or when disabled. */
export function useSmsSegments(text: string, enabled = true) {
  const debounced = useDebounced(text, SMS_SEGMENT_DELAY_MS);
  const ask = enabled && debounced.length > 0 && debounced.length <= SMS_MAX_LENGTH;
  const query = useQuery({
    queryKey: smsSegmentKeys.text(debounced),
    queryFn: ({ signal }) => countSmsSegments(debounced, signal),
    enabled: ask,
    staleTime: Infinity,
    gcTime: 60_000,
    retry: false,
    placeholderData: keepPreviousData,
  });
  return { ...query, data: ask ? query.data : undefined, tooLong: enabled && text.length > SMS_MAX_LENGTH };
}
