import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Spending } from '@/lib/api-types';
import { me } from '@/testing/fixtures';
import { jsonResponse, mockFetch } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { GuestCostsPanel } from './GuestCostsPanel';
import { SpendingScreen } from './SpendingScreen';

const spending = (cap: string | null, held: number): Spending => ({
  month: '2026-11',
  currency: 'USD',
  channels: [
    { channel: 'whatsapp', monthly_cap: null, spent: '0', sends: 0, remaining: null, held: 0 },
    { channel: 'sms', monthly_cap: cap, spent: '0.0158', sends: 2, remaining: cap ? '0' : null, held },
  ],
});

describe('SpendingScreen', () => {
  it('shows held sends, raises a cap and sends one anyway', async () => {
    const user = userEvent.setup();
    let held = [
      {
        id: 'm1',
        conversation_id: 'c1',
        channel: 'sms',
        preview: 'Your late check-in code',
        estimated_cost: null,
        reason: 'cap',
        held_since: '2026-11-26T08:00:00Z',
      },
    ];
    const { requests } = mockFetch({
      'GET /api/v1/spending': () => jsonResponse(200, spending('0.0158', held.length)),
      'GET /api/v1/spending/held': () => jsonResponse(200, held),
      'PUT /api/v1/spending/caps': () => jsonResponse(200, spending('5', 1)),
      'POST /api/v1/spending/held/m1/send-anyway': () => {
        held = [];
        return jsonResponse(202, { status: 'queued' });
      },
    });
    renderWithProviders(<SpendingScreen />, { me: { ...me, role: 'manager' } });

    const sms = await screen.findByTestId('cap-sms');
    expect(sms.textContent).toContain('1 send is waiting for the cap.');
    const input = within(sms).getByLabelText('Monthly cap (USD)');
    await user.clear(input);
    await user.type(input, '5');
    await user.click(within(sms).getByRole('button', { name: 'Save the cap' }));
    await waitFor(() =>
      expect(requests.find((request) => request.method === 'PUT')?.body).toEqual({ channel: 'sms', monthly_cap: '5' }),
    );
    expect((await screen.findByTestId('held-messages')).textContent).toContain('Your late check-in code');
    await user.click(screen.getByRole('button', { name: 'Send anyway' }));
    expect(await screen.findByText('No send is waiting.')).toBeTruthy();
  });
});

describe('GuestCostsPanel', () => {
  it('shows the total and each booking, the linked one marked', async () => {
    mockFetch({
      'GET /api/v1/guests/g1/costs': () =>
        jsonResponse(200, {
          currency: 'USD',
          total: { messages: 3, amount: '0.0658', by_channel: {} },
          bookings: [
            { booking_id: 'b1', external_ref: 'PMS-1', check_in: '2026-12-01', check_out: '2026-12-03', messages: 2, amount: '0.05', by_channel: {} },
          ],
          unattributed: { messages: 1, amount: '0.0158', by_channel: {} },
        }),
    });
    renderWithProviders(<GuestCostsPanel guestId="g1" currentBookingId="b1" />);
    expect((await screen.findByTestId('guest-cost-total')).textContent).toContain('3 messages');
    expect(screen.getByTestId('booking-cost').textContent).toContain('PMS-1 (linked)');
  });
});
