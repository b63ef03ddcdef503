import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { PlannedSend } from '@/lib/api-types';
import { jsonResponse, mockFetch, problem } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { PlannedSendsTable } from './PlannedSendsTable';

function send(overrides: Partial<PlannedSend> = {}): PlannedSend {
  return {
    id: 'p1',
    rule_id: 'r1',
    rule_name: 'Pre-arrival',
    booking_id: 'b1',
    booking_ref: 'DEMO-1003',
    guest_name: 'Lucía García',
    due_at: '2026-11-30T09:00:00Z',
    state: 'planned',
    reason: null,
    attempts: [],
    message_id: null,
    sent_at: null,
    ...overrides,
  };
}

const failed = send({
  id: 'p2',
  booking_ref: 'DEMO-1004',
  guest_name: 'Hans Becker',
  state: 'failed',
  reason: 'No channel could reach the guest: whatsapp: no approved template; sms: no phone number',
  attempts: [
    { channel: 'whatsapp', outcome: 'skipped', reason: 'no approved template' },
    { channel: 'sms', outcome: 'skipped', reason: 'no phone number' },
  ],
});

describe('PlannedSendsTable', () => {
  it('shows due time in the hotel’s timezone, the state, the reason and every channel tried', async () => {
    const { requests } = mockFetch({
      'GET /api/v1/planned-sends': () => jsonResponse(200, { items: [send(), failed], next_cursor: null }),
    });
    renderWithProviders(<PlannedSendsTable filters={{ rule_id: 'r1', state: 'failed' }} />);

    const rows = await screen.findAllByTestId('planned-send');
    expect(requests[0]?.url.searchParams.get('rule_id')).toBe('r1');
    expect(requests[0]?.url.searchParams.get('state')).toBe('failed');
    // 09:00 UTC is 10:00 in Paris (the fixture property's timezone).
    expect(within(rows[0]!).getByText(/10:00/)).toBeTruthy();
    expect(within(rows[0]!).getByTestId('planned-state').textContent).toBe('Planned');
    expect(within(rows[1]!).getByTestId('planned-state').textContent).toBe('Failed');
    expect(rows[1]!.textContent).toContain('No channel could reach the guest');
    expect(within(rows[1]!).getAllByTestId('planned-attempt').map((item) => item.textContent)).toEqual([
      'WhatsApp skipped — no approved template',
      'SMS skipped — no phone number',
    ]);
    // Only a planned send can be acted on.
    expect(within(rows[1]!).queryByRole('button', { name: 'Send now' })).toBeNull();
  });

  it('sends now, skips and reschedules (typed in the hotel’s time), then refreshes the list', async () => {
    const user = userEvent.setup();
    let current = [send(), send({ id: 'p3', guest_name: 'Aiko Tanaka', booking_ref: 'DEMO-1005' })];
    const { requests } = mockFetch({
      'GET /api/v1/planned-sends': () => jsonResponse(200, { items: current, next_cursor: null }),
      'POST /api/v1/planned-sends/p1/send-now': () => {
        current = current.map((item) => (item.id === 'p1' ? { ...item, state: 'sent', attempts: [{ channel: 'whatsapp', outcome: 'used', reason: null }] } : item));
        return new Response(null, { status: 204 });
      },
      'POST /api/v1/planned-sends/p3/skip': () => problem(409, { code: 'planned_send_settled', detail: 'This send is already sent.' }),
      'POST /api/v1/planned-sends/p3/reschedule': () => new Response(null, { status: 204 }),
    });
    renderWithProviders(<PlannedSendsTable filters={{}} />);

    const lucia = (await screen.findAllByTestId('planned-send'))[0]!;
    await user.click(within(lucia).getByRole('button', { name: 'Send now' }));
    await waitFor(() => expect(within(screen.getAllByTestId('planned-send')[0]!).getByTestId('planned-state').textContent).toBe('Sent'));
    expect(screen.getAllByTestId('planned-send')[0]!.textContent).toContain('WhatsApp used');

    const aiko = () => screen.getAllByTestId('planned-send')[1]!;
    await user.click(within(aiko()).getByRole('button', { name: 'Skip' }));
    expect((await within(aiko()).findByRole('alert')).textContent).toContain(
      'This send is no longer planned: it was sent, skipped or cancelled meanwhile.',
    );

    await user.click(within(aiko()).getByRole('button', { name: 'Reschedule' }));
    const input = within(aiko()).getByLabelText<HTMLInputElement>('New time for Aiko Tanaka');
    expect(input.value).toBe('2026-11-30T10:00'); // prefilled with the due time, hotel time
    await user.clear(input);
    await user.type(input, '2026-12-01T18:30');
    await user.click(within(aiko()).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(within(aiko()).queryByLabelText('New time for Aiko Tanaka')).toBeNull());

    const posts = requests.filter((request) => request.method === 'POST');
    expect(posts.map((request) => request.url.pathname)).toEqual([
      '/api/v1/planned-sends/p1/send-now',
      '/api/v1/planned-sends/p3/skip',
      '/api/v1/planned-sends/p3/reschedule',
    ]);
    // 18:30 in Paris on 1 December is 17:30 UTC.
    expect(posts[2]?.body).toEqual({ due_at: '2026-12-01T17:30:00.000Z' });
  });

  it('shows the server’s reason under the time when a reschedule is refused', async () => {
    const user = userEvent.setup();
    mockFetch({
      'GET /api/v1/planned-sends': () => jsonResponse(200, { items: [send()], next_cursor: null }),
      'POST /api/v1/planned-sends/p1/reschedule': () =>
        problem(422, { code: 'validation_error', errors: [{ field: 'due_at', code: 'in_the_past', message: 'Choose a time from now on.' }] }),
    });
    renderWithProviders(<PlannedSendsTable filters={{}} />);
    await user.click(await screen.findByRole('button', { name: 'Reschedule' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Choose a time from now on.');
    expect(screen.getByLabelText('New time for Lucía García').getAttribute('aria-invalid')).toBe('true');
  });
});
