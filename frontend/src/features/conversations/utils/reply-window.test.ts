import { describe, expect, it } from 'vitest';
import type { ReplyWindow } from '@/lib/api-types';
import { createI18n } from '@/lib/i18n';
import { describeReplyWindow, formatReplyWindow } from './reply-window';

const now = new Date('2026-11-26T10:00:00Z');
const openUntil = (ms: number): ReplyWindow => ({
  state: 'open',
  open_until: new Date(now.getTime() + ms).toISOString(),
  reason: null,
});
const HOUR = 3_600_000;
const closed: ReplyWindow = { state: 'closed', open_until: null, reason: 'Window closed' };

describe('WhatsApp window badge', () => {
  const en = createI18n('en').t;
  const fr = createI18n('fr').t;

  it('shows whole hours left, rounded down, in English and French', () => {
    const window = openUntil(3 * HOUR + 40 * 60_000);
    expect(formatReplyWindow(en, window, now)).toBe('open · 3 h left');
    expect(formatReplyWindow(fr, window, now)).toBe('ouverte · encore 3 h');
  });

  it('counts minutes in the last hour', () => {
    const window = openUntil(42 * 60_000 + 10_000);
    expect(formatReplyWindow(en, window, now)).toBe('open · 43 min left');
    expect(formatReplyWindow(fr, window, now)).toBe('ouverte · encore 43 min');
  });

  it('says closed when the server says closed, or the window has expired since', () => {
    expect(formatReplyWindow(en, closed, now)).toBe('closed');
    expect(formatReplyWindow(fr, closed, now)).toBe('fermée');
    expect(formatReplyWindow(en, openUntil(-1_000), now)).toBe('closed');
    expect(formatReplyWindow(en, undefined, now)).toBe('closed');
  });

  it('says just open when there is no deadline', () => {
    const window: ReplyWindow = { state: 'open', open_until: null, reason: null };
    expect(formatReplyWindow(en, window, now)).toBe('open');
    expect(describeReplyWindow(window, now)).toEqual({ state: 'open', hoursLeft: null, minutesLeft: null });
  });
});
