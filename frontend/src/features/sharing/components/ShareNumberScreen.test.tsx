import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { jsonResponse, mockFetch, problem } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { ShareNumberScreen } from './ShareNumberScreen';

describe('ShareNumberScreen', () => {
  it('shows the QR code and link, with the prefilled text in both and in the downloads', async () => {
    const user = userEvent.setup();
    mockFetch({
      'GET /api/v1/whatsapp/link': (request) => {
        const text = request.url.searchParams.get('text');
        return jsonResponse(200, {
          url: `https://wa.me/33184880000${text ? `?text=${encodeURIComponent(text)}` : ''}`,
          display_phone_number: '+33 1 84 88 00 00',
        });
      },
    });
    renderWithProviders(<ShareNumberScreen />);

    expect((await screen.findByTestId<HTMLInputElement>('share-url')).value).toBe('https://wa.me/33184880000');
    expect(screen.getByTestId('qr-image').getAttribute('src')).toBe('/api/v1/whatsapp/qr.svg');
    await user.type(screen.getByLabelText('Prefilled message (optional)'), 'Hello hotel');
    await waitFor(() =>
      expect(screen.getByTestId<HTMLInputElement>('share-url').value).toBe('https://wa.me/33184880000?text=Hello%20hotel'),
    );
    expect(screen.getByTestId('qr-image').getAttribute('src')).toBe('/api/v1/whatsapp/qr.svg?text=Hello+hotel');
    expect(screen.getByRole('link', { name: 'Download PNG' }).getAttribute('href')).toBe(
      '/api/v1/whatsapp/qr.png?text=Hello+hotel',
    );
    expect(screen.getByRole('link', { name: 'Download SVG' }).hasAttribute('download')).toBe(true);
  });

  it('sends to the channels screen when WhatsApp is not connected', async () => {
    mockFetch({
      'GET /api/v1/whatsapp/link': () =>
        problem(409, { code: 'channel_not_connected', detail: 'Connect WhatsApp first.' }),
    });
    renderWithProviders(<ShareNumberScreen />);
    expect((await screen.findByRole('link', { name: 'Go to channels' })).getAttribute('href')).toBe('/settings/channels');
  });
});
