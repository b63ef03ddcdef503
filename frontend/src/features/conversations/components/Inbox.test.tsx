import { waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { conversation } from '@/testing/fixtures';
import { jsonResponse, mockFetch } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { InboxLayout } from './Inbox';

describe('InboxLayout', () => {
  it('puts the total unread count in the tab title, in the active language', async () => {
    const { requests } = mockFetch({
      'GET /api/v1/conversations': (request) =>
        jsonResponse(200, {
          items: request.url.searchParams.get('unread')
            ? [conversation({ unread_count: 2 }), conversation({ id: 'c2', unread_count: 1 })]
            : [conversation()],
          next_cursor: null,
        }),
    });
    const { i18n } = renderWithProviders(<InboxLayout />);

    await waitFor(() => expect(document.title).toBe('(3) Inbox'));
    await i18n.changeLanguage('fr');
    await waitFor(() => expect(document.title).toBe('(3) Boîte de réception'));
    // The list itself defaults to open conversations.
    expect(requests.some((request) => request.url.searchParams.get('status') === 'open')).toBe(true);
  });
});
