import { CHANNELS, type Channel, type ConversationFilters } from '@/lib/api-types';

// Filters live in the URL (?status=closed&channel=sms&unread=1&assigned=me&q=…)
// so they survive reloads and opening a conversation. Status defaults to open;
// "all" means no status filter.

export type StatusChoice = 'open' | 'closed' | 'all';

export function statusChoice(params: URLSearchParams): StatusChoice {
  const value = params.get('status');
  return value === 'closed' || value === 'all' ? value : 'open';
}

export function filtersFromParams(params: URLSearchParams): ConversationFilters {
  const filters: ConversationFilters = {};
  const status = statusChoice(params);
  if (status !== 'all') filters.status = status;
  const channel = params.get('channel');
  if (channel && (CHANNELS as readonly string[]).includes(channel)) filters.channel = channel as Channel;
  if (params.get('unread') === '1') filters.unread = true;
  const assigned = params.get('assigned');
  if (assigned === 'me' || assigned === 'unassigned') filters.assigned = assigned;
  const q = params.get('q')?.trim();
  if (q) filters.q = q;
  const label = params.get('label');
  if (label) filters.label = label;
  return filters;
}

/** Returns new params with `key` set, or removed when `value` is empty. */
export function withParam(params: URLSearchParams, key: string, value: string | null): URLSearchParams {
  const next = new URLSearchParams(params);
  if (value) next.set(key, value);
  else next.delete(key);
  return next;
}
