import type { TFunction } from 'i18next';
import type { ReplyWindow } from '@/lib/api-types';

export type WindowState =
  | { state: 'closed' }
  | { state: 'open'; hoursLeft: number | null; minutesLeft: number | null };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * How long a reply window stays open. Hours are rounded down so we never
 * promise time the guest's window does not have; under an hour we count
 * minutes (rounded up, so "0 min" never shows while still open).
 */
export function describeReplyWindow(window: ReplyWindow | undefined, now: Date): WindowState {
  if (!window || window.state !== 'open') return { state: 'closed' };
  if (!window.open_until) return { state: 'open', hoursLeft: null, minutesLeft: null };
  const left = new Date(window.open_until).getTime() - now.getTime();
  if (!(left > 0)) return { state: 'closed' }; // expired since the server said so
  if (left >= HOUR) return { state: 'open', hoursLeft: Math.floor(left / HOUR), minutesLeft: null };
  return { state: 'open', hoursLeft: null, minutesLeft: Math.ceil(left / MINUTE) };
}

/** "open · 3 h left" / "closed", in the active language. */
export function formatReplyWindow(t: TFunction, window: ReplyWindow | undefined, now: Date): string {
  const described = describeReplyWindow(window, now);
  if (described.state === 'closed') return t('window.closed');
  if (described.hoursLeft !== null) return t('window.openHours', { count: described.hoursLeft });
  if (described.minutesLeft !== null) return t('window.openMinutes', { count: described.minutesLeft });
  return t('window.open');
}
