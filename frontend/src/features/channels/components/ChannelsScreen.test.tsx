import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { ChannelConnection } from '@/lib/api-types';
import { me } from '@/testing/fixtures';
import { jsonResponse, mockFetch, problem } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { ChannelsScreen } from './ChannelsScreen';

const channels: ChannelConnection[] = [
  { channel: 'whatsapp', status: 'needs_reauthorization', last_error: 'Token expired', details: { waba_id: 'W1', phone_number_id: 'P1', display_phone_number: '+33 1 84 88 00 00' } },
  { channel: 'sms', status: 'connected', last_error: null, details: { from_number: '+33757000000' } },
  { channel: 'airbnb', status: 'disconnected', last_error: null, details: {} },
  { channel: 'email', status: 'disconnected', last_error: null, details: {} },
];

describe('ChannelsScreen', () => {
  it('shows each channel’s status and last error, and never shows secrets after saving', async () => {
    const user = userEvent.setup();
    let attempt = 0;
    let current = channels;
    const { requests } = mockFetch({
      'GET /api/v1/channels': () => jsonResponse(200, current),
      'PUT /api/v1/channels/whatsapp': () => {
        attempt += 1;
        return attempt === 1
          ? problem(422, { code: 'provider_rejected', detail: 'The WhatsApp access token has expired.' })
          : ((current = [{ ...channels[0]!, status: 'connected', last_error: null }, ...channels.slice(1)]),
            jsonResponse(200, current[0]));
      },
    });
    renderWithProviders(<ChannelsScreen />, { me: { ...me, role: 'manager' } });

    const whatsapp = await screen.findByTestId('channel-whatsapp');
    expect(whatsapp.textContent).toContain('Needs reconnecting');
    expect(whatsapp.textContent).toContain('Token expired');
    expect(whatsapp.textContent).toContain('+33 1 84 88 00 00');
    expect(screen.getByTestId('channel-sms').textContent).toContain('Connected');
    // Non-secret settings are prefilled; secrets are password fields.
    expect(screen.getByLabelText<HTMLInputElement>('WhatsApp Business Account ID').value).toBe('W1');
    expect(screen.getByLabelText<HTMLInputElement>('Access token').type).toBe('password');

    await user.type(screen.getByLabelText('Access token'), 'EAAG-old');
    await user.type(screen.getByLabelText('Webhook verify token'), 'verify-me');
    const whatsappForm = screen.getByRole('form', { name: 'Connect WhatsApp' });
    await user.click(within(whatsappForm).getByRole('button', { name: 'Check and save' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'WhatsApp refused these settings: The WhatsApp access token has expired.',
    );
    expect(screen.getByLabelText<HTMLInputElement>('Access token').value).toBe('EAAG-old');

    await user.clear(screen.getByLabelText('Access token'));
    await user.type(screen.getByLabelText('Access token'), 'EAAG-new');
    await user.click(within(whatsappForm).getByRole('button', { name: 'Check and save' }));
    await screen.findByText('WhatsApp is connected.');
    expect(screen.getByLabelText<HTMLInputElement>('Access token').value).toBe('');
    expect(screen.getByLabelText<HTMLInputElement>('Webhook verify token').value).toBe('');
    const puts = requests.filter((request) => request.method === 'PUT' && request.url.pathname === '/api/v1/channels/whatsapp');
    // No app secret typed: the field is left out rather than sent empty.
    expect(puts[1]?.body).toEqual({ waba_id: 'W1', phone_number_id: 'P1', access_token: 'EAAG-new', verify_token: 'verify-me' });
    await waitFor(() => expect(within(screen.getByTestId('channel-whatsapp')).getByText('Connected')).toBeTruthy());
  });

  it('shows agents the status only', async () => {
    mockFetch({ 'GET /api/v1/channels': () => jsonResponse(200, channels) });
    renderWithProviders(<ChannelsScreen />);
    await screen.findByTestId('channel-whatsapp');
    expect(screen.queryByLabelText('Access token')).toBeNull();
  });
});
