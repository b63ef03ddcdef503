// Locale-aware formatting with Intl. Every function takes the active locale
// explicitly so output follows the language switcher, not the OS.

const cache = new Map<string, Intl.DateTimeFormat>();

function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = cache.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    cache.set(key, format);
  }
  return format;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "5 min ago", "3 hr. ago", "yesterday"; beyond a week, a short date. */
export function formatRelativeTime(iso: string, now: Date, locale: string): string {
  const then = new Date(iso);
  const diff = then.getTime() - now.getTime();
  const abs = Math.abs(diff);
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' });
  if (abs < MINUTE) return rtf.format(0, 'second');
  if (abs < HOUR) return rtf.format(Math.trunc(diff / MINUTE), 'minute');
  if (abs < DAY) return rtf.format(Math.trunc(diff / HOUR), 'hour');
  if (abs < 7 * DAY) return rtf.format(Math.trunc(diff / DAY), 'day');
  const sameYear = then.getFullYear() === now.getFullYear();
  return dateFormat(locale, {
    day: 'numeric',
    month: 'short',
    ...(sameYear ? {} : { year: 'numeric' }),
  }).format(then);
}

export function formatDateTime(iso: string, locale: string): string {
  return dateFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

export function formatTime(iso: string, locale: string): string {
  return dateFormat(locale, { hour: 'numeric', minute: '2-digit' }).format(new Date(iso));
}

/** A booking date "YYYY-MM-DD" is a calendar day, not an instant: format it in UTC. */
function calendarDate(ymd: string): Date {
  const [y, m, d] = ymd.split('-').map(Number);
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1));
}

/** "12 – 15 Nov", "28 Nov – 2 Dec 2026": check-in – check-out. */
export function formatStay(checkIn: string, checkOut: string, locale: string, now = new Date()): string {
  const start = calendarDate(checkIn);
  const end = calendarDate(checkOut);
  const showYear =
    start.getUTCFullYear() !== now.getFullYear() || end.getUTCFullYear() !== now.getFullYear();
  const format = dateFormat(locale, {
    day: 'numeric',
    month: 'short',
    ...(showYear ? { year: 'numeric' } : {}),
    timeZone: 'UTC',
  });
  return format.formatRange(start, end);
}

/** Key of the local calendar day of an instant, for grouping messages. */
export function dayKey(date: Date): string {
  return `${date.getFullYear()}-${date.getMonth() + 1}-${date.getDate()}`;
}

export type DayLabel = { kind: 'today' } | { kind: 'yesterday' } | { kind: 'date'; text: string };

export function describeDay(date: Date, now: Date, locale: string): DayLabel {
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (dayKey(date) === dayKey(now)) return { kind: 'today' };
  if (dayKey(date) === dayKey(yesterday)) return { kind: 'yesterday' };
  const sameYear = date.getFullYear() === now.getFullYear();
  return {
    kind: 'date',
    text: dateFormat(locale, {
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      ...(sameYear ? {} : { year: 'numeric' }),
    }).format(date),
  };
}

export function formatMoney(amount: string, currency: string, locale: string): string {
  const value = Number(amount);
  if (!Number.isFinite(value)) return `${amount} ${currency}`;
  try {
    return new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      maximumFractionDigits: 4,
    }).format(value);
  } catch {
    return `${amount} ${currency}`; // unknown currency code
  }
}
