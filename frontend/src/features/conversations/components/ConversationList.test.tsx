import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConversationRow } from '@/lib/api-types';
import { conversation } from '@/testing/fixtures';
import { jsonResponse, mockFetch } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { ConversationList } from './ConversationList';

// jsdom does no layout: give scroll containers a height so the virtualiser
// has a viewport to fill.
const clientHeight = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientHeight');
beforeEach(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 600 });
});
afterEach(() => {
  if (clientHeight) Object.defineProperty(HTMLElement.prototype, 'clientHeight', clientHeight);
});

const paul = conversation({
  id: 'c2',
  guest: { ...conversation().guest, id: 'g2', display_name: 'Paul Martin' },
  unread_count: 0,
  assignee: { id: 'u1', name: 'Anna' },
  channels: ['airbnb'],
  reply_state: { airbnb: { state: 'open', open_until: null, reason: null } },
  last_message: {
    preview: 'Thanks, see you Friday',
    at: new Date().toISOString(),
    direction: 'outbound',
    channel: 'airbnb',
  },
});

function rowsByName() {
  return screen.getAllByTestId('conversation-row').map((row) => row.querySelector('.conv-row__name')?.textContent);
}

describe('ConversationList', () => {
  it('renders one row per conversation from the API, with its details', async () => {
    const { requests } = mockFetch({
      'GET /api/v1/conversations': () => jsonResponse(200, { items: [conversation(), paul], next_cursor: null }),
    });
    renderWithProviders(
      <ConversationList filters={{ status: 'open', channel: 'whatsapp', unread: true }} selectedId="c2" search="" />,
    );

    const rows = await screen.findAllByRole('listitem');
    expect(rows).toHaveLength(2);
    expect(rowsByName()).toEqual(['Marie Curie', 'Paul Martin']);

    const marie = within(rows[0]!);
    expect(marie.getByText('What time is check-in?')).toBeTruthy();
    expect(marie.getByText('2 unread messages')).toBeTruthy();
    expect(marie.getByText('WhatsApp')).toBeTruthy();
    expect(marie.getByText('SMS')).toBeTruthy();
    expect(marie.getByTestId('window-badge').textContent).toContain('open · 3 h left');
    expect(marie.getByRole('link').getAttribute('href')).toBe('/conversations/c1');

    const paulRow = within(rows[1]!);
    expect(paulRow.getByText('You: Thanks, see you Friday')).toBeTruthy();
    expect(paulRow.getByText('Assigned to Anna')).toBeTruthy();
    expect(paulRow.queryByTestId('window-badge')).toBeNull(); // not a WhatsApp conversation
    expect(paulRow.queryByTestId('unread-badge')).toBeNull();
    expect(paulRow.getByRole('link').getAttribute('aria-current')).toBe('page');

    const query = requests[0]!.url.searchParams;
    expect(Object.fromEntries(query)).toEqual({ status: 'open', channel: 'whatsapp', unread: 'true', limit: '50' });
  });

  it('follows next_cursor to load the next page', async () => {
    const page2: ConversationRow[] = [
      conversation({ id: 'c3', guest: { ...conversation().guest, id: 'g3', display_name: 'Zoé Leroy' } }),
    ];
    const { requests } = mockFetch({
      'GET /api/v1/conversations': (request) =>
        request.url.searchParams.get('cursor') === 'page-2'
          ? jsonResponse(200, { items: page2, next_cursor: null })
          : jsonResponse(200, { items: [conversation(), paul], next_cursor: 'page-2' }),
    });
    renderWithProviders(<ConversationList filters={{}} selectedId={null} search="?status=all" />);

    await waitFor(() => expect(rowsByName()).toEqual(['Marie Curie', 'Paul Martin', 'Zoé Leroy']));
    expect(requests.map((request) => request.url.searchParams.get('cursor'))).toEqual([null, 'page-2']);
    // Row links keep the list's filters.
    expect(screen.getAllByRole('link')[2]?.getAttribute('href')).toBe('/conversations/c3?status=all');
  });

  it('moves through rows with j/k and the arrow keys', async () => {
    const user = userEvent.setup();
    mockFetch({
      'GET /api/v1/conversations': () => jsonResponse(200, { items: [conversation(), paul], next_cursor: null }),
    });
    renderWithProviders(<ConversationList filters={{}} selectedId={null} search="" />);
    const links = await screen.findAllByRole('link');

    await user.keyboard('j');
    await waitFor(() => expect(document.activeElement).toBe(links[1]));
    await user.keyboard('k');
    await waitFor(() => expect(document.activeElement).toBe(links[0]));
    await user.keyboard('{ArrowDown}');
    await waitFor(() => expect(document.activeElement).toBe(links[1]));
    expect(links[1]?.getAttribute('tabindex')).toBe('0');
    expect(links[0]?.getAttribute('tabindex')).toBe('-1');
  });

  it('says so when nothing matches', async () => {
    mockFetch({ 'GET /api/v1/conversations': () => jsonResponse(200, { items: [], next_cursor: null }) });
    renderWithProviders(<ConversationList filters={{ q: 'nobody' }} selectedId={null} search="" />);
    expect(await screen.findByText('No conversations match these filters.')).toBeTruthy();
  });
});
