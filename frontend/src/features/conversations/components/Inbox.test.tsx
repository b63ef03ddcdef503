import { waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { conversation } from '@/testing/fixtures';
import { jsonResponse, mockFetch } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { InboxLayout } from './Inbox';

describe('InboxLayout', () => {
  it('puts the unread count from /conversations/unread in the tab title, in the active language', async () => {
    const { requests } = mockFetch({
      'GET /api/v1/conversations/unread': () => jsonResponse(200, { conversations: 2, messages: 7 }),
      'GET /api/v1/conversations': () => jsonResponse(200, { items: [conversation()], next_cursor: null }),
    });
    const { i18n } = renderWithProviders(<InboxLayout />);

    await waitFor(() => expect(document.title).toBe('(7) Inbox'));
    await i18n.changeLanguage('fr');
    await waitFor(() => expect(document.title).toBe('(7) Boîte de réception'));
    // The count is not summed from list pages any more.
    expect(requests.some((request) => request.url.searchParams.get('unread'))).toBe(false);
    // The list itself defaults to open conversations.
    expect(requests.some((request) => request.url.searchParams.get('status') === 'open')).toBe(true);
  });

  it('shows a plain title when everything is read', async () => {
    mockFetch({
      'GET /api/v1/conversations/unread': () => jsonResponse(200, { conversations: 0, messages: 0 }),
      'GET /api/v1/conversations': () => jsonResponse(200, { items: [], next_cursor: null }),
    });
    renderWithProviders(<InboxLayout />);
    await waitFor(() => expect(document.title).toBe('Inbox'));
  });
});
