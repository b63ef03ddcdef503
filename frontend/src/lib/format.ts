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

/**
 * Every instant is shown in the property's timezone (`timeZone`, an IANA name
 * such as "Europe/Paris"), not the browser's: staff abroad or on a laptop set
 * to another zone still see the hotel's clock. Undefined means the browser's.
 */

/** "5 min ago", "3 hr. ago", "yesterday"; beyond a week, a short date. */
export function formatRelativeTime(iso: string, now: Date, locale: string, timeZone?: string): string {
  const then = new Date(iso);
  const diff = then.getTime() - now.getTime();
  const abs = Math.abs(diff);
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' });
  if (abs < MINUTE) return rtf.format(0, 'second');
  if (abs < HOUR) return rtf.format(Math.trunc(diff / MINUTE), 'minute');
  if (abs < DAY) return rtf.format(Math.trunc(diff / HOUR), 'hour');
  if (abs < 7 * DAY) return rtf.format(Math.trunc(diff / DAY), 'day');
  const sameYear = ymd(then, timeZone).slice(0, 4) === ymd(now, timeZone).slice(0, 4);
  return dateFormat(locale, {
    day: 'numeric',
    month: 'short',
    ...(sameYear ? {} : { year: 'numeric' }),
    timeZone,
  }).format(then);
}

export function formatDateTime(iso: string, locale: string, timeZone?: string): string {
  return dateFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(iso));
}

export function formatTime(iso: string, locale: string, timeZone?: string): string {
  return dateFormat(locale, { hour: 'numeric', minute: '2-digit', timeZone }).format(new Date(iso));
}

/** A booking date "YYYY-MM-DD" is a calendar day, not an instant: format it in UTC. */
export function calendarDate(ymdText: string): Date {
  const [y, m, d] = ymdText.split('-').map(Number);
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

/** "Nov 2026" for a "2026-11" month key. */
export function formatMonth(month: string, locale: string): string {
  return dateFormat(locale, { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(calendarDate(`${month}-01`));
}

/** The calendar day ("YYYY-MM-DD") of an instant in `timeZone`. */
export function ymd(date: Date, timeZone?: string): string {
  const parts = dateFormat('en-US', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone }).formatToParts(date);
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** Key of the calendar day of an instant (in the property's timezone), for grouping messages. */
export function dayKey(date: Date, timeZone?: string): string {
  return ymd(date, timeZone);
}

function previousDay(ymdText: string): string {
  const date = calendarDate(ymdText);
  date.setUTCDate(date.getUTCDate() - 1);
  return date.toISOString().slice(0, 10);
}

export type DayLabel = { kind: 'today' } | { kind: 'yesterday' } | { kind: 'date'; text: string };

export function describeDay(date: Date, now: Date, locale: string, timeZone?: string): DayLabel {
  const day = ymd(date, timeZone);
  const today = ymd(now, timeZone);
  if (day === today) return { kind: 'today' };
  if (day === previousDay(today)) return { kind: 'yesterday' };
  const sameYear = day.slice(0, 4) === today.slice(0, 4);
  return {
    kind: 'date',
    text: dateFormat(locale, {
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      ...(sameYear ? {} : { year: 'numeric' }),
      timeZone,
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

/** The wall-clock parts of an instant in `timeZone`, as a UTC timestamp (for offset arithmetic). */
function wallClockAsUtc(date: Date, timeZone?: string): number {
  const parts = dateFormat('en-US', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZone,
  }).formatToParts(date);
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
}

/** "2026-11-30T10:00" for a `<input type="datetime-local">`, on the clock of `timeZone`. */
export function toZonedInputValue(iso: string, timeZone?: string): string {
  const wall = new Date(wallClockAsUtc(new Date(iso), timeZone));
  return wall.toISOString().slice(0, 16);
}

/**
 * The instant (ISO, UTC) of a "YYYY-MM-DDTHH:MM" wall-clock time in `timeZone`:
 * what staff type is the hotel's time, whatever the browser's zone. Null when unreadable.
 */
export function fromZonedInputValue(value: string, timeZone?: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value);
  if (!match) return null;
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number];
  const target = Date.UTC(y, mo - 1, d, h, mi);
  // Guess, then correct by the zone's offset at the guess (twice, for DST edges).
  let instant = target;
  for (let i = 0; i < 2; i += 1) {
    instant += target - wallClockAsUtc(new Date(instant), timeZone);
  }
  return new Date(instant).toISOString();
}
