import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChannelConnection } from '@/lib/api-types';
import { me } from '@/testing/fixtures';
import { jsonResponse, mockFetch, problem } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { navigation } from './AirbnbPanel';
import { ChannelsScreen } from './ChannelsScreen';
import { ReauthorizationBanner } from './ReauthorizationBanner';

const owner = { ...me, role: 'owner' as const };

const channels: ChannelConnection[] = [
  { channel: 'whatsapp', status: 'connected', last_error: null, details: { waba_id: 'W1', phone_number_id: 'P1' } },
  { channel: 'sms', status: 'disconnected', last_error: null, details: {} },
  { channel: 'airbnb', status: 'disconnected', last_error: null, details: {} },
  {
    channel: 'email',
    status: 'connected',
    last_error: null,
    details: { host: 'smtp.hotel.test', port: 587, tls: 'starttls', username: 'desk', sender: 'desk@hotel.test', sender_name: 'Hôtel du Lac' },
  },
];

afterEach(() => vi.restoreAllMocks());

describe('SMS form', () => {
  it('sends the Twilio settings with either a number or a messaging service, and forgets the token once saved', async () => {
    const user = userEvent.setup();
    let attempt = 0;
    const { requests } = mockFetch({
      'GET /api/v1/channels': () => jsonResponse(200, channels),
      'PUT /api/v1/channels/sms': () => {
        attempt += 1;
        return attempt === 1
          ? problem(422, { code: 'provider_rejected', detail: 'Authenticate: the Account SID or token is wrong.' })
          : jsonResponse(200, { channel: 'sms', status: 'connected', last_error: null, details: { account_sid: 'AC1', messaging_service_sid: 'MG1' } });
      },
    });
    renderWithProviders(<ChannelsScreen />, { me: owner });
    const form = within(await screen.findByTestId('sms-form'));

    await user.type(form.getByLabelText('Account SID'), 'AC1');
    await user.type(form.getByLabelText('Auth token'), 'tok-1');
    expect(form.getByLabelText<HTMLInputElement>('Auth token').type).toBe('password');
    await user.type(form.getByLabelText('Sender number'), '+33757000000');
    await user.click(form.getByRole('button', { name: 'Check and save' }));
    expect((await form.findByRole('alert')).textContent).toBe('Twilio refused these settings: Authenticate: the Account SID or token is wrong.');

    await user.click(form.getByLabelText('A messaging service'));
    expect(form.queryByLabelText('Sender number')).toBeNull();
    await user.type(form.getByLabelText('Messaging service SID'), 'MG1');
    await user.click(form.getByRole('button', { name: 'Check and save' }));
    await form.findByText('SMS is connected.');
    expect(form.getByLabelText<HTMLInputElement>('Auth token').value).toBe('');

    const puts = requests.filter((request) => request.url.pathname === '/api/v1/channels/sms');
    expect(puts.map((request) => request.body)).toEqual([
      { account_sid: 'AC1', auth_token: 'tok-1', from_number: '+33757000000', messaging_service_sid: null },
      { account_sid: 'AC1', auth_token: 'tok-1', from_number: null, messaging_service_sid: 'MG1' },
    ]);
  });
});

describe('E-mail form', () => {
  it('prefills the saved server, sends the SMTP settings, shows field problems, and sends a test e-mail', async () => {
    const user = userEvent.setup();
    let attempt = 0;
    const { requests } = mockFetch({
      'GET /api/v1/channels': () => jsonResponse(200, channels),
      'PUT /api/v1/channels/email': () => {
        attempt += 1;
        return attempt === 1
          ? problem(422, { code: 'validation_error', errors: [{ field: 'sender_address', code: 'invalid', message: 'Enter an e-mail address.' }] })
          : jsonResponse(200, channels[3]);
      },
      'POST /api/v1/channels/email/test': () => jsonResponse(200, { ok: true, server_reply: '250 2.0.0 Ok: queued as 4Xk2' }),
    });
    renderWithProviders(<ChannelsScreen />, { me: owner });
    const form = within(await screen.findByTestId('email-form'));

    expect(form.getByLabelText<HTMLInputElement>('SMTP server').value).toBe('smtp.hotel.test');
    expect(form.getByLabelText<HTMLInputElement>('Port').value).toBe('587');
    expect(form.getByLabelText<HTMLSelectElement>('Security').value).toBe('starttls');
    expect(form.getByLabelText<HTMLInputElement>(/^Password/).type).toBe('password');

    // Implicit TLS moves the usual port along.
    await user.selectOptions(form.getByLabelText('Security'), 'tls');
    expect(form.getByLabelText<HTMLInputElement>('Port').value).toBe('465');
    await user.type(form.getByLabelText(/^Password/), 's3cret');
    await user.clear(form.getByLabelText('Sender address'));
    await user.type(form.getByLabelText('Sender address'), 'desk@hotel');
    await user.click(form.getByRole('button', { name: 'Check and save' }));
    const sender = form.getByLabelText('Sender address');
    await waitFor(() => expect(sender.getAttribute('aria-invalid')).toBe('true'));
    expect(document.getElementById(sender.getAttribute('aria-describedby')!)?.textContent).toBe('Enter an e-mail address.');

    await user.type(sender, '.test');
    await user.type(form.getByLabelText(/^Reply-to/), 'reply.hotel.test');
    await user.click(form.getByRole('button', { name: 'Check and save' }));
    await form.findByText('E-mail is connected.');
    expect(form.getByLabelText<HTMLInputElement>(/^Password/).value).toBe('');
    expect(requests.filter((request) => request.method === 'PUT').at(-1)?.body).toEqual({
      host: 'smtp.hotel.test',
      port: 465,
      tls: 'tls',
      username: 'desk',
      password: 's3cret',
      sender_address: 'desk@hotel.test',
      sender_name: 'Hôtel du Lac',
      reply_to: 'reply.hotel.test',
    });

    const to = form.getByLabelText<HTMLInputElement>('Send to');
    expect(to.value).toBe('anna@hotel.test');
    await user.click(form.getByRole('button', { name: 'Send test e-mail' }));
    const result = await form.findByTestId('email-test-result');
    expect(result.textContent).toContain('250 2.0.0 Ok: queued as 4Xk2');
    expect(requests.find((request) => request.url.pathname === '/api/v1/channels/email/test')?.body).toEqual({ to: 'anna@hotel.test' });
  });

  it('shows the mail server’s refusal of a test e-mail in its words', async () => {
    const user = userEvent.setup();
    mockFetch({
      'GET /api/v1/channels': () => jsonResponse(200, channels),
      'POST /api/v1/channels/email/test': () => problem(409, { code: 'provider_rejected', detail: '550 5.7.1 Relaying denied' }),
    });
    renderWithProviders(<ChannelsScreen />, { me: owner });
    const test = within(await screen.findByTestId('email-test'));
    await user.click(test.getByRole('button', { name: 'Send test e-mail' }));
    expect((await test.findByRole('alert')).textContent).toBe('The mail server refused these settings: 550 5.7.1 Relaying denied');
  });
});

describe('Airbnb', () => {
  it('sends the browser to the authorisation URL the server gives', async () => {
    const user = userEvent.setup();
    const assign = vi.spyOn(navigation, 'assign').mockImplementation(() => undefined);
    mockFetch({
      'GET /api/v1/channels': () => jsonResponse(200, channels),
      'GET /api/v1/channels/airbnb/authorize': () => jsonResponse(200, { url: 'https://www.airbnb.test/oauth2/auth?state=abc' }),
    });
    renderWithProviders(<ChannelsScreen />, { me: owner });
    await user.click(await screen.findByRole('button', { name: 'Connect Airbnb' }));
    await waitFor(() => expect(assign).toHaveBeenCalledWith('https://www.airbnb.test/oauth2/auth?state=abc'));
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Opening Airbnb…' }).disabled).toBe(true);
  });

  it('offers to re-authorise when the connection needs it, and tells what the callback said', async () => {
    const user = userEvent.setup();
    mockFetch({
      'GET /api/v1/channels': () =>
        jsonResponse(200, channels.map((item) => (item.channel === 'airbnb' ? { ...item, status: 'needs_reauthorization', last_error: 'Re-authorise Airbnb.' } : item))),
    });
    renderWithProviders(<ChannelsScreen />, { me: owner, route: '/settings/channels?airbnb=error&reason=provider_rejected', path: '/settings/channels' });
    expect((await screen.findByTestId('airbnb-notice')).textContent).toContain(
      'Airbnb could not be connected: Airbnb refused the authorisation.',
    );
    expect(await screen.findByRole('button', { name: 'Re-authorise Airbnb' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByTestId('airbnb-notice')).toBeNull();
  });

  it('after connecting, asks which listings are the property and saves them', async () => {
    const user = userEvent.setup();
    const { requests } = mockFetch({
      'GET /api/v1/channels': () =>
        jsonResponse(200, channels.map((item) => (item.channel === 'airbnb' ? { ...item, status: 'needs_mapping' } : item))),
      'GET /api/v1/channels/airbnb/listings': () =>
        jsonResponse(200, { status: 'needs_mapping', listing_ids: [], listings_available: [{ id: '51', name: 'Garden suite' }, { id: '52', name: 'Loft' }] }),
      'PUT /api/v1/channels/airbnb/listings': () =>
        jsonResponse(200, { status: 'connected', listing_ids: ['51'], listings_available: [{ id: '51', name: 'Garden suite' }, { id: '52', name: 'Loft' }] }),
    });
    renderWithProviders(<ChannelsScreen />, { me: owner, route: '/settings/channels?airbnb=connected', path: '/settings/channels' });
    expect((await screen.findByTestId('airbnb-notice')).textContent).toContain('Airbnb is connected.');
    expect((await screen.findByTestId('channel-airbnb')).textContent).toContain('Choose listings');
    await user.click(await screen.findByLabelText(/Garden suite/));
    await user.click(screen.getByRole('button', { name: 'Save listings' }));
    await screen.findByText('Listings saved.');
    expect(requests.find((request) => request.method === 'PUT')?.body).toEqual({ listing_ids: ['51'] });
  });
});

describe('ReauthorizationBanner', () => {
  it('names the channels to reconnect and links to the settings', async () => {
    mockFetch({
      'GET /api/v1/channels': () =>
        jsonResponse(200, channels.map((item) => (item.channel === 'airbnb' || item.channel === 'whatsapp' ? { ...item, status: 'needs_reauthorization' } : item))),
    });
    renderWithProviders(<ReauthorizationBanner />);
    const banner = await screen.findByTestId('channel-banner');
    expect(banner.textContent).toContain('WhatsApp and Airbnb need to be reconnected');
    expect(within(banner).getByRole('link', { name: 'Open channel settings' }).getAttribute('href')).toBe('/settings/channels');
  });

  it('stays away while every channel is fine', async () => {
    const { fetchMock } = mockFetch({ 'GET /api/v1/channels': () => jsonResponse(200, channels) });
    renderWithProviders(<ReauthorizationBanner />);
    await waitFor(() => expect(fetchMock).toHaveBeenCalled());
    expect(screen.queryByTestId('channel-banner')).toBeNull();
  });
});
