import { describe, expect, it } from 'vitest';
import {
  dayKey,
  describeDay,
  formatDateTime,
  formatRelativeTime,
  formatStay,
  formatTime,
  fromZonedInputValue,
  toZonedInputValue,
} from './format';

// Intl uses (narrow) no-break spaces in some locales; compare words, not bytes.
const plain = (text: string) => text.replace(/\s/g, ' ');

describe('formatStay', () => {
  const now = new Date('2026-11-26T12:00:00');

  it('formats check-in – check-out as calendar days, whatever the local timezone', () => {
    expect(plain(formatStay('2026-11-27', '2026-11-30', 'en', now))).toMatch(/^Nov 27\s*–\s*30$/);
    expect(plain(formatStay('2026-11-27', '2026-11-30', 'fr', now))).toMatch(/^27\s*–\s*30 nov\.$/);
  });

  it('shows the year when the stay is not in the current year', () => {
    expect(formatStay('2026-12-30', '2027-01-02', 'en', now)).toContain('2027');
  });
});

describe('formatRelativeTime', () => {
  const now = new Date('2026-11-26T12:00:00Z');
  it('speaks the active language', () => {
    const fiveMinutesAgo = new Date(now.getTime() - 5 * 60_000).toISOString();
    expect(formatRelativeTime(fiveMinutesAgo, now, 'en')).toBe('5 min. ago');
    expect(plain(formatRelativeTime(fiveMinutesAgo, now, 'fr'))).toBe('il y a 5 min');
  });
});

describe('describeDay', () => {
  const now = new Date(2026, 10, 26, 15, 0);
  it('names today and yesterday, and dates otherwise', () => {
    expect(describeDay(new Date(2026, 10, 26, 1, 0), now, 'en')).toEqual({ kind: 'today' });
    expect(describeDay(new Date(2026, 10, 25, 23, 59), now, 'en')).toEqual({ kind: 'yesterday' });
    expect(describeDay(new Date(2026, 10, 20, 9, 0), now, 'fr')).toEqual({ kind: 'date', text: 'vendredi 20 novembre' });
  });
});

describe('the property timezone', () => {
  it('shows times on the hotel’s clock, not the browser’s', () => {
    const iso = '2026-11-26T08:23:00Z';
    expect(plain(formatTime(iso, 'en', 'Europe/Paris'))).toBe('9:23 AM');
    expect(plain(formatTime(iso, 'en', 'America/New_York'))).toBe('3:23 AM');
    expect(plain(formatTime(iso, 'fr', 'Europe/Paris'))).toBe('9:23');
    expect(plain(formatDateTime('2026-11-26T23:30:00Z', 'en', 'Europe/Paris'))).toContain('Nov 27, 2026');
  });

  it('groups and names days in the property timezone', () => {
    const now = new Date('2026-11-26T10:00:00Z');
    // 23:30 UTC on the 25th is already the 26th in Paris, still the 25th in New York.
    const late = new Date('2026-11-25T23:30:00Z');
    expect(describeDay(late, now, 'en', 'Europe/Paris')).toEqual({ kind: 'today' });
    expect(describeDay(late, now, 'en', 'America/New_York')).toEqual({ kind: 'yesterday' });
    expect(dayKey(late, 'Europe/Paris')).toBe('2026-11-26');
    expect(dayKey(late, 'UTC')).toBe('2026-11-25');
  });

  it('dates older relative times in the property timezone', () => {
    const now = new Date('2026-11-26T10:00:00Z');
    expect(formatRelativeTime('2026-11-01T23:30:00Z', now, 'en', 'Europe/Paris')).toBe('Nov 2');
    expect(formatRelativeTime('2026-11-01T23:30:00Z', now, 'en', 'UTC')).toBe('Nov 1');
  });
});

describe('hotel-time inputs', () => {
  it('round-trips a datetime-local value on the hotel’s clock, across DST', () => {
    expect(fromZonedInputValue('2026-12-01T18:30', 'Europe/Paris')).toBe('2026-12-01T17:30:00.000Z');
    expect(fromZonedInputValue('2026-07-01T18:30', 'Europe/Paris')).toBe('2026-07-01T16:30:00.000Z');
    expect(fromZonedInputValue('2026-12-01T18:30', 'America/New_York')).toBe('2026-12-01T23:30:00.000Z');
    expect(toZonedInputValue('2026-11-30T09:00:00Z', 'Europe/Paris')).toBe('2026-11-30T10:00');
    expect(toZonedInputValue('2026-07-01T16:30:00Z', 'Europe/Paris')).toBe('2026-07-01T18:30');
    expect(fromZonedInputValue('not a date', 'Europe/Paris')).toBeNull();
  });
});
