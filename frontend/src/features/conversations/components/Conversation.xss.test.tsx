import { screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { conversation, message } from '@/testing/fixtures';
import { jsonResponse, mockFetch } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { ConversationList } from './ConversationList';
import { MessageBubble } from './MessageBubble';

// What a guest controls (their name, their messages) and what staff type, at their most hostile.
const HOSTILE = [
  '<script>window.__xss = true</script>',
  '<img src=x onerror="window.__xss = true">',
  '<a href="javascript:window.__xss = true">click</a>',
  '{{ 7*7 }} {% for x in y %}${7*7}',
  '<svg onload="window.__xss = true"></svg>',
];
const INJECTED = 'script, img, a[href^="javascript"], svg, iframe, [onerror], [onload]';

declare global {
  interface Window {
    __xss?: boolean;
  }
}

const clientHeight = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientHeight');
beforeEach(() => {
  window.__xss = false;
  // jsdom does no layout: the list's virtualiser needs a viewport height to render rows
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 600 });
});
afterEach(() => {
  if (clientHeight) Object.defineProperty(HTMLElement.prototype, 'clientHeight', clientHeight);
  expect(window.__xss).toBe(false);
});

describe('hostile text in a conversation stays text', () => {
  it.each(HOSTILE)('a guest message and name: %s', (hostile) => {
    mockFetch({});
    const { container } = renderWithProviders(
      <ul>
        <MessageBubble message={message({ body: hostile, author: { type: 'guest', id: 'g1', name: hostile } })} />
      </ul>,
    );
    expect(container.querySelectorAll(INJECTED)).toHaveLength(0);
    expect(container.textContent).toContain(hostile);
  });

  it.each(HOSTILE)('a staff message, its author and its failure reason: %s', (hostile) => {
    mockFetch({});
    const { container } = renderWithProviders(
      <ul>
        <MessageBubble
          message={message({
            direction: 'outbound',
            channel: 'sms',
            body: hostile,
            author: { type: 'user', id: 'u1', name: hostile },
            status: 'failed',
            error_code: '30006',
            error_reason: hostile,
          })}
        />
      </ul>,
    );
    expect(container.querySelectorAll(INJECTED)).toHaveLength(0);
    expect(screen.getByTestId('message-error').textContent).toBe(`Failed: ${hostile}`);
  });

  it('guest names and message previews in the inbox list', async () => {
    const rows = HOSTILE.map((hostile, index) =>
      conversation({
        id: `c${index}`,
        guest: { ...conversation().guest, id: `g${index}`, display_name: hostile, first_name: hostile },
        last_message: { preview: hostile, at: new Date().toISOString(), direction: 'inbound', channel: 'whatsapp' },
      }),
    );
    mockFetch({ 'GET /api/v1/conversations': () => jsonResponse(200, { items: rows, next_cursor: null }) });
    const { container } = renderWithProviders(
      <ConversationList filters={{ status: 'open' }} selectedId={null} search="" />,
    );
    const items = await screen.findAllByTestId('conversation-row');
    expect(items).toHaveLength(HOSTILE.length);
    HOSTILE.forEach((hostile, index) => {
      expect(within(items[index]!).getAllByText(hostile).length).toBeGreaterThan(0);
    });
    // the only links are the rows' own, to their conversation
    container.querySelectorAll('a').forEach((link) => expect(link.getAttribute('href')).toMatch(/^\/conversations\/c\d$/));
    expect(container.querySelectorAll('script, img, svg[onload], [onerror], [onload]')).toHaveLength(0);
  });
});

// Every source file of the SPA, as text (tests excluded: this very file names what it looks for).
const sources = import.meta.glob(['/src/**/*.{ts,tsx}', '!/src/**/*.test.{ts,tsx}'], {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

// Reviewed places that may write HTML; each must sanitise what it writes. None so far.
const REVIEWED_HTML_SINKS: string[] = [];

describe('the SPA never writes HTML from strings', () => {
  it('reads the whole source tree', () => {
    expect(Object.keys(sources).length).toBeGreaterThan(50);
    expect(Object.keys(sources)).toContain('/src/features/conversations/components/MessageBubble.tsx');
  });

  it.each([
    ['dangerouslySetInnerHTML', /dangerouslySetInnerHTML/],
    ['innerHTML / outerHTML assignment', /\.(inner|outer)HTML\s*[+]?=/],
    ['insertAdjacentHTML', /insertAdjacentHTML/],
    ['document.write', /document\.write(ln)?\s*\(/],
    ['eval / new Function', /\beval\s*\(|new\s+Function\s*\(/],
    ['javascript: URLs', /["'`]javascript:/i],
  ])('no %s outside reviewed places', (_name, sink) => {
    const offenders = Object.entries(sources)
      .filter(([path, text]) => sink.test(text) && !REVIEWED_HTML_SINKS.includes(path))
      .map(([path]) => path);
    expect(offenders).toEqual([]);
  });
});
