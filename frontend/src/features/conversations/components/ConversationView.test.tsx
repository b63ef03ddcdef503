import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Booking } from '@/lib/api-types';
import { conversation } from '@/testing/fixtures';
import { jsonResponse, mockFetch } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { AssigneePicker } from './AssigneePicker';
import { ConversationView } from './ConversationView';
import { GuestSidebar } from './GuestSidebar';

const row = conversation();

function booking(overrides: Partial<Booking> = {}): Booking {
  return {
    id: 'b1',
    external_ref: 'PMS-1001',
    guest_id: 'g1',
    check_in: '2026-11-27',
    check_out: '2026-11-30',
    source: 'direct',
    status: 'confirmed',
    confirmation_code: null,
    room: '12',
    party_size: 2,
    custom_fields: {},
    guest: row.guest,
    ...overrides,
  };
}

const staff = [
  { id: 'u2', name: 'Lucas', email: 'lucas@hotel.test', role: 'agent' },
  { id: 'u1', name: 'Anna', email: 'anna@hotel.test', role: 'agent' },
];

describe('GuestSidebar', () => {
  it('shows the profile, the linked booking and the guest’s other bookings, and links one', async () => {
    const user = userEvent.setup();
    const { requests } = mockFetch({
      'GET /api/v1/guests/g1': () => jsonResponse(200, { ...row.guest, language: 'de', phone: '+4915112345678' }),
      'GET /api/v1/bookings': () =>
        jsonResponse(200, {
          items: [
            booking(),
            booking({ id: 'b2', external_ref: 'BK-77', check_in: '2027-03-02', check_out: '2027-03-05', source: 'booking_com', room: null, confirmation_code: 'XZ12' }),
          ],
          next_cursor: null,
        }),
      'POST /api/v1/conversations/c1/link-booking': (request) =>
        jsonResponse(200, conversation({ booking: { ...row.booking!, id: (request.body as { booking_id: string }).booking_id } })),
    });
    renderWithProviders(<GuestSidebar conversation={row} onClose={() => {}} onLinkBooking={() => {}} />);

    const sidebar = screen.getByRole('complementary', { name: 'Guest and bookings' });
    // The full profile replaces what the row knew.
    await waitFor(() => expect(within(sidebar).getByRole('link', { name: '+4915112345678' })).toBeTruthy());
    expect(within(sidebar).getByRole('link', { name: 'marie@example.test' }).getAttribute('href')).toBe(
      'mailto:marie@example.test',
    );
    expect(within(sidebar).getByText('German')).toBeTruthy();

    const current = screen.getByTestId('current-booking');
    expect(current.textContent).toContain('Room12');
    expect(current.textContent).toContain('ReferencePMS-1001');

    const others = await screen.findAllByTestId('other-booking');
    expect(others).toHaveLength(1); // the linked one is not repeated
    expect(others[0]!.textContent).toContain('Booking.com');
    expect(others[0]!.textContent).toContain('XZ12');
    expect(others[0]!.textContent).toContain('Mar 2');

    expect(requests.find((request) => request.url.pathname === '/api/v1/bookings')?.url.searchParams.get('guest_id')).toBe('g1');
    await user.click(within(others[0]!).getByRole('button', { name: 'Link to this conversation' }));
    await waitFor(() =>
      expect(requests.find((request) => request.method === 'POST')?.body).toEqual({ booking_id: 'b2' }),
    );
  });

  it('toggles from the conversation header, and links a booking found by search when none is linked', async () => {
    const user = userEvent.setup();
    const unlinked = conversation({ booking: null });
    const { requests } = mockFetch({
      'GET /api/v1/conversations/c1': () => jsonResponse(200, unlinked),
      'GET /api/v1/conversations/c1/messages': () => jsonResponse(200, { items: [], next_cursor: null }),
      'POST /api/v1/conversations/c1/read': () => new Response(null, { status: 204 }),
      'GET /api/v1/guests/g1': () => jsonResponse(200, row.guest),
      'GET /api/v1/users': () => jsonResponse(200, staff),
      'GET /api/v1/bookings': (request) =>
        jsonResponse(200, {
          items: request.url.searchParams.get('q') ? [booking({ id: 'b5', external_ref: 'PMS-2002' })] : [],
          next_cursor: null,
        }),
      'POST /api/v1/conversations/c1/link-booking': () => jsonResponse(200, conversation()),
    });
    renderWithProviders(<ConversationView id="c1" backTo="/" />);

    const summary = await screen.findByTestId('booking-summary');
    expect(summary.textContent).toContain('Not linked to a booking');
    expect(screen.getByTestId('guest-sidebar')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Hide guest details' }));
    expect(screen.queryByTestId('guest-sidebar')).toBeNull();
    expect(localStorage.getItem('gm_sidebar')).toBe('closed');
    await user.click(screen.getByRole('button', { name: 'Guest details' }));
    expect(screen.getByTestId('guest-sidebar')).toBeTruthy();

    await user.click(within(summary).getByRole('button', { name: 'Link to a booking' }));
    const dialog = screen.getByRole('dialog', { name: 'Link to a booking' });
    await user.type(within(dialog).getByLabelText('Search bookings'), 'PMS-2002');
    await user.click(await within(dialog).findByRole('button', { name: /Ref\. PMS-2002/ }));

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(requests.find((request) => request.url.pathname.endsWith('/link-booking'))?.body).toEqual({ booking_id: 'b5' });
    expect(screen.getByTestId('booking-summary').textContent).toContain('Ref. PMS-1001');
  });
});

describe('AssigneePicker', () => {
  it('assigns to any staff member, marks me, and unassigns', async () => {
    const user = userEvent.setup();
    const { requests } = mockFetch({
      'GET /api/v1/users': () => jsonResponse(200, staff),
      'POST /api/v1/conversations/c1/assign': (request) => {
        const id = (request.body as { user_id: string | null }).user_id;
        return jsonResponse(200, conversation({ assignee: id ? { id, name: id === 'u2' ? 'Lucas' : 'Anna' } : null }));
      },
      'GET /api/v1/conversations': () => jsonResponse(200, { items: [], next_cursor: null }),
    });
    renderWithProviders(<AssigneePicker conversation={conversation({ assignee: { id: 'u1', name: 'Anna' } })} />);

    const select = screen.getByLabelText<HTMLSelectElement>('Assignee');
    await screen.findByRole('option', { name: 'Lucas' });
    expect(within(select).getAllByRole('option').map((option) => option.textContent)).toEqual([
      'Unassigned',
      'Lucas',
      'Anna (me)',
    ]);
    expect(select.value).toBe('u1');

    await user.selectOptions(select, 'Lucas');
    await user.selectOptions(select, 'Unassigned');
    await waitFor(() =>
      expect(requests.filter((request) => request.method === 'POST').map((request) => request.body)).toEqual([
        { user_id: 'u2' },
        { user_id: null },
      ]),
    );
  });
});
