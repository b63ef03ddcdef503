import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { AttentionPage } from '@/lib/api-types';
import { jsonResponse, mockFetch } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { AttentionNavLink } from './AttentionNavLink';
import { AttentionScreen } from './AttentionScreen';

const PAGE: AttentionPage = {
  counts: { failed_send: 1, held_send: 0, skipped_scheduled: 0, waiting_reply: 1 },
  total: 2,
  next_cursor: null,
  items: [
    {
      kind: 'failed_send',
      id: 'm1',
      at: '2026-06-15T09:00:00Z',
      conversation_id: 'c1',
      guest_name: 'Camille Durand',
      channel: 'whatsapp',
      code: 'whatsapp_131047',
      reason: 'More than 24 hours have passed since the customer last replied.',
      preview: 'The code is 4821.',
      remedies: [
        { action: 'resend', channel: 'sms' },
        { action: 'open', channel: null },
        { action: 'dismiss', channel: null },
      ],
      retry_refused: 'The 24-hour window is closed.',
    },
    {
      kind: 'waiting_reply',
      id: 'c2',
      at: '2026-06-15T07:00:00Z',
      conversation_id: 'c2',
      guest_name: '+33612345678',
      channel: 'sms',
      code: null,
      reason: null,
      preview: 'Is breakfast included?',
      remedies: [{ action: 'open', channel: null }],
      retry_refused: null,
    },
  ],
};

describe('AttentionScreen', () => {
  it('lists items with their reason and runs the chosen remedy', async () => {
    const user = userEvent.setup();
    const { requests } = mockFetch({
      'GET /api/v1/attention': () => jsonResponse(200, PAGE),
      'GET /api/v1/attention/settings': () => jsonResponse(200, { reply_after_minutes: 120 }),
      'POST /api/v1/attention/messages/m1/resend': () => jsonResponse(202, { id: 'm2' }),
    });
    renderWithProviders(<AttentionScreen />);

    const [failed, waiting] = await screen.findAllByTestId('attention-item');
    expect(failed!.textContent).toContain('Failed send');
    expect(failed!.textContent).toContain('Reason: More than 24 hours');
    expect(failed!.textContent).toContain('Retrying is not possible: The 24-hour window is closed.');
    expect(within(failed!).queryByRole('button', { name: 'Retry' })).toBeNull();
    expect(within(waiting!).getByRole('link', { name: 'Open the conversation' }).getAttribute('href')).toBe(
      '/conversations/c2',
    );
    expect(screen.getByRole('button', { name: /Failed send \(1\)/ })).toBeTruthy();

    await user.click(within(failed!).getByRole('button', { name: 'Send by SMS' }));
    await waitFor(() =>
      expect(requests.find((r) => r.method === 'POST')?.body).toEqual({ channel: 'sms' }),
    );
    expect(screen.getByLabelText<HTMLInputElement>(/needs attention/).value).toBe('120');
  });

  it('filters by kind and the nav badge shows the total', async () => {
    const user = userEvent.setup();
    const { requests } = mockFetch({
      'GET /api/v1/attention': () => jsonResponse(200, PAGE),
      'GET /api/v1/attention/settings': () => jsonResponse(200, { reply_after_minutes: 120 }),
    });
    renderWithProviders(
      <>
        <AttentionNavLink className={() => ''} />
        <AttentionScreen />
      </>,
    );
    expect((await screen.findByTestId('attention-badge')).textContent).toContain('2');
    await user.click(await screen.findByRole('button', { name: /Guest waiting for a reply/ }));
    await waitFor(() =>
      expect(requests.some((r) => r.url.searchParams.get('kind') === 'waiting_reply')).toBe(true),
    );
  });
});
