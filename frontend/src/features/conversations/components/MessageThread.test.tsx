import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { message } from '@/testing/fixtures';
import { jsonResponse, mockFetch } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { MessageThread } from './MessageThread';

// instants, not local clock times: the thread shows days in the property's timezone (Europe/Paris in the
// fixtures), so "09:30 today" on the test machine's clock was yesterday in Paris between 23:00 and 00:00 UTC
const today = new Date();
const twoDaysAgo = new Date(today.getTime() - 48 * 3600 * 1000);

describe('MessageThread', () => {
  it('groups by day and shows direction, notes, channel and delivery status', async () => {
    mockFetch({
      'GET /api/v1/conversations/c1/messages': () =>
        jsonResponse(200, {
          items: [
            message({ id: 'a', body: 'Is parking free?', created_at: twoDaysAgo.toISOString() }),
            message({
              id: 'b',
              direction: 'outbound',
              body: 'Yes, it is.',
              status: 'read',
              author: { type: 'user', id: 'u1', name: 'Anna' },
              created_at: today.toISOString(),
            }),
            message({
              id: 'c',
              kind: 'note',
              direction: 'outbound',
              body: 'Regular guest',
              status: 'sent',
              author: { type: 'user', id: 'u1', name: 'Anna' },
              created_at: today.toISOString(),
            }),
            message({
              id: 'd',
              direction: 'outbound',
              channel: 'sms',
              body: 'Reminder',
              status: 'failed',
              error_code: '30003',
              error_reason: 'Unreachable destination handset',
              author: { type: 'scheduler', id: null, name: null },
              rule_name: 'Pre-arrival',
              created_at: today.toISOString(),
            }),
          ],
          next_cursor: null,
        }),
    });
    renderWithProviders(<MessageThread conversationId="c1" />);

    const log = await screen.findByRole('log', { name: 'Conversation history' });
    const days = within(log).getAllByRole('heading').map((heading) => heading.textContent);
    expect(days).toHaveLength(2);
    expect(days[1]).toBe('Today');

    const bubbles = screen.getAllByTestId('message');
    expect(bubbles.map((bubble) => bubble.className)).toEqual([
      'msg msg--inbound',
      'msg msg--outbound',
      'msg msg--outbound msg--note',
      'msg msg--outbound msg--failed',
    ]);
    expect(within(bubbles[1]!).getByTestId('message-status').textContent).toBe('Read');
    expect(within(bubbles[2]!).getByText('Internal note')).toBeTruthy();
    expect(within(bubbles[2]!).queryByTestId('message-status')).toBeNull();
    expect(within(bubbles[3]!).getByText('SMS')).toBeTruthy();
    expect(within(bubbles[3]!).getByText('Scheduled · Pre-arrival')).toBeTruthy();
    expect(within(bubbles[3]!).getByText('Failed: Unreachable destination handset')).toBeTruthy();
    expect(screen.getByText('Start of the conversation')).toBeTruthy();
  });
});
