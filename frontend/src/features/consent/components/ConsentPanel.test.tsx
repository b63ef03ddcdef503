import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { ConsentRegister } from '@/lib/api-types';
import { me } from '@/testing/fixtures';
import { jsonResponse, mockFetch, problem } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { ConsentPanel } from './ConsentPanel';
import { GuestPrivacyActions } from './GuestPrivacyActions';

const register = (whatsapp: 'opt_in' | 'unknown'): ConsentRegister => ({
  guest_id: 'g1',
  channels: [
    { channel: 'whatsapp', marketing: whatsapp, blocked: false, since: null, source: whatsapp === 'opt_in' ? 'staff' : null },
    { channel: 'sms', marketing: 'opt_out', blocked: true, since: '2026-11-20T10:00:00Z', source: 'sms_stop' },
    { channel: 'email', marketing: 'unknown', blocked: false, since: null, source: null },
    { channel: 'airbnb', marketing: 'unknown', blocked: false, since: null, source: null },
  ],
  history: [
    {
      id: 'c1',
      channel: 'sms',
      state: 'opt_out',
      source: 'sms_stop',
      note: null,
      recorded_by: null,
      recorded_at: '2026-11-20T10:00:00Z',
    },
  ],
});

describe('ConsentPanel', () => {
  it('shows the state per channel and records an opt-in', async () => {
    const user = userEvent.setup();
    const { requests } = mockFetch({
      'GET /api/v1/guests/g1/consents': () => jsonResponse(200, register('unknown')),
      'POST /api/v1/guests/g1/consents': () => jsonResponse(201, register('opt_in')),
    });
    renderWithProviders(<ConsentPanel guestId="g1" />);

    const sms = await screen.findByTestId('consent-sms');
    expect(sms.textContent).toContain('Opted out');
    expect(sms.textContent).toContain('Blocked');
    expect(sms.textContent).toContain('SMS STOP');
    expect(screen.getByTestId('consent-whatsapp').textContent).toContain('No consent');

    await user.type(screen.getByLabelText('Note'), 'asked at the desk');
    await user.click(screen.getByRole('button', { name: 'Record' }));
    await waitFor(() => expect(screen.getByTestId('consent-whatsapp').textContent).toContain('Opted in'));
    expect(requests.find((request) => request.method === 'POST')?.body).toEqual({
      channel: 'whatsapp',
      state: 'opt_in',
      note: 'asked at the desk',
      block_channel: false,
    });
  });

  it('says why an opt-in was refused, in French too', async () => {
    const user = userEvent.setup();
    mockFetch({
      'GET /api/v1/guests/g1/consents': () => jsonResponse(200, register('unknown')),
      'POST /api/v1/guests/g1/consents': () =>
        problem(409, { code: 'guest_must_lift_opt_out', detail: 'The guest blocked sms themselves.' }),
    });
    renderWithProviders(<ConsentPanel guestId="g1" />, { language: 'fr' });
    await screen.findByTestId('consent-sms');
    await user.selectOptions(screen.getByLabelText('Canal'), 'sms');
    await user.click(screen.getByRole('button', { name: 'Enregistrer' }));
    expect((await screen.findByRole('alert')).textContent).toContain('START');
  });
});

describe('GuestPrivacyActions', () => {
  it('erases only once ERASE is typed, and only for owners', async () => {
    const user = userEvent.setup();
    const { requests } = mockFetch({
      'POST /api/v1/guests/g1/erase': () =>
        jsonResponse(200, {
          guest_id: 'g1',
          erased: true,
          messages_redacted: 4,
          attachments_deleted: 0,
          bookings_cleared: 1,
          raw_webhooks_redacted: 2,
        }),
    });
    renderWithProviders(<GuestPrivacyActions guestId="g1" name="Camille Durand" />, { me: { ...me, role: 'owner' } });
    await user.click(screen.getByRole('button', { name: 'Erase guest' }));
    const dialog = screen.getByRole('dialog', { name: 'Erase Camille Durand' });
    const confirm = within(dialog).getByRole('button', { name: 'Erase for good' });
    expect((confirm as HTMLButtonElement).disabled).toBe(true);
    await user.type(within(dialog).getByLabelText('Type ERASE to confirm'), 'erase');
    expect((confirm as HTMLButtonElement).disabled).toBe(true);
    await user.clear(within(dialog).getByLabelText('Type ERASE to confirm'));
    await user.type(within(dialog).getByLabelText('Type ERASE to confirm'), 'ERASE');
    await user.click(confirm);
    expect((await screen.findByTestId('erase-done')).textContent).toContain('4 messages were redacted');
    expect(requests.filter((request) => request.method === 'POST').map((request) => request.body)).toEqual([
      { confirmation: 'ERASE' },
    ]);
  });

  it('offers managers the export but not the erasure, and agents neither', () => {
    mockFetch({});
    const { unmount } = renderWithProviders(<GuestPrivacyActions guestId="g1" name="C" />, {
      me: { ...me, role: 'manager' },
    });
    expect(screen.getByRole('button', { name: 'Export data' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Erase guest' })).toBeNull();
    unmount();
    renderWithProviders(<GuestPrivacyActions guestId="g1" name="C" />, { me: { ...me, role: 'agent' } });
    expect(screen.queryByRole('button', { name: 'Export data' })).toBeNull();
  });
});
