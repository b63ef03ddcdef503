import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { WebhookDelivery, WebhookSubscription } from '@/lib/api-types';
import { me } from '@/testing/fixtures';
import { jsonResponse, mockFetch } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { WebhooksScreen } from './WebhooksScreen';

const SECRET = 'whsec_abcdefghijklmnopqrstuvwxyz0123456789';
const owner = { ...me, role: 'owner' as const };

const delivery: WebhookDelivery = {
  id: 'd1',
  event_id: 'e1',
  event_type: 'message.received',
  state: 'succeeded',
  attempts: 3,
  next_attempt_at: null,
  last_status_code: 204,
  last_error: null,
  redelivery_of: null,
  created_at: '2026-11-26T08:00:00Z',
  finished_at: '2026-11-26T08:02:00Z',
  attempt_log: [
    { attempted_at: '2026-11-26T08:00:00Z', status_code: 500, latency_ms: 12, error: null },
    { attempted_at: '2026-11-26T08:00:30Z', status_code: 500, latency_ms: 9, error: null },
    { attempted_at: '2026-11-26T08:01:30Z', status_code: 204, latency_ms: 8, error: null },
  ],
};

describe('WebhooksScreen', () => {
  it('shows the secret once, then the log with every attempt, and redelivers', async () => {
    const user = userEvent.setup();
    let subscriptions: WebhookSubscription[] = [];
    const { requests } = mockFetch({
      'GET /api/v1/webhook-subscriptions': () => jsonResponse(200, subscriptions),
      'POST /api/v1/webhook-subscriptions': (request) => {
        const body = request.body as { url: string; event_types: string[]; description: string };
        const created = { id: 's1', active: true, created_at: '2026-11-26T08:00:00Z', ...body };
        subscriptions = [created];
        return jsonResponse(201, { ...created, secret: SECRET });
      },
      'GET /api/v1/webhook-subscriptions/s1/deliveries': () => jsonResponse(200, [delivery]),
      'POST /api/v1/webhook-subscriptions/s1/deliveries/d1/redeliver': () => jsonResponse(202, { delivery_id: 'd2' }),
    });
    renderWithProviders(<WebhooksScreen />, { me: owner });

    await user.type(await screen.findByLabelText('URL (https)'), 'https://crm.example.com/in');
    await user.click(screen.getByLabelText(/A conversation was assigned/));
    await user.click(screen.getByRole('button', { name: 'Subscribe' }));
    expect((await screen.findByTestId('webhook-secret-value')).textContent).toBe(SECRET);
    expect(requests.find((request) => request.method === 'POST')?.body).toEqual({
      url: 'https://crm.example.com/in',
      description: '',
      event_types: ['message.received', 'conversation.assigned'],
    });
    await user.click(screen.getByRole('button', { name: 'I have copied it' }));
    expect(screen.queryByText(SECRET)).toBeNull();

    await user.click(await screen.findByRole('button', { name: 'Delivery log' }));
    const row = await screen.findByTestId('webhook-delivery');
    expect(row.textContent).toContain('Delivered');
    expect(row.querySelectorAll('li')).toHaveLength(3);
    await user.click(screen.getByRole('button', { name: 'Redeliver' }));
    await waitFor(() =>
      expect(requests.some((request) => request.url.pathname.endsWith('/deliveries/d1/redeliver'))).toBe(true),
    );
  });

  it('tells agents they cannot manage webhooks', () => {
    mockFetch({});
    renderWithProviders(<WebhooksScreen />, { me });
    expect(screen.getByText('Only owners and managers can manage webhooks.')).toBeTruthy();
  });
});
