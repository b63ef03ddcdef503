import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { conversation, message } from '@/testing/fixtures';
import { jsonResponse, mockFetch, problem } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { Composer } from './Composer';

const textarea = () => screen.getByLabelText<HTMLTextAreaElement>('Message');
const sendButton = () => screen.getByRole<HTMLButtonElement>('button', { name: 'Send' });

describe('Composer', () => {
  it('keeps the typed text and shows the API detail when the send fails', async () => {
    const user = userEvent.setup();
    const { requests } = mockFetch({
      'POST /api/v1/conversations/c1/messages': () =>
        problem(409, {
          title: 'Conflict',
          detail: 'The 24-hour WhatsApp window has closed.',
          code: 'whatsapp_window_closed',
        }),
      'GET /api/v1/conversations/c1': () => jsonResponse(200, conversation()),
    });
    renderWithProviders(<Composer conversation={conversation()} />);

    await user.type(textarea(), 'Your room is ready');
    await user.click(sendButton());

    expect((await screen.findByRole('alert')).textContent).toContain('The 24-hour WhatsApp window has closed.');
    expect(textarea().value).toBe('Your room is ready');
    const sent = requests.find((request) => request.method === 'POST');
    // Replies go where the guest last wrote (WhatsApp in the fixture).
    expect(sent?.body).toEqual({ channel: 'whatsapp', body: 'Your room is ready' });
  });

  it('sends with Ctrl+Enter on the chosen channel and clears the text on success', async () => {
    const user = userEvent.setup();
    const { requests } = mockFetch({
      'POST /api/v1/conversations/c1/messages': (request) =>
        jsonResponse(202, message({ id: 'm9', direction: 'outbound', status: 'queued', ...(request.body as object) })),
      'GET /api/v1/conversations': () => jsonResponse(200, { items: [], next_cursor: null }),
    });
    renderWithProviders(<Composer conversation={conversation()} />);

    await user.selectOptions(screen.getByLabelText('Channel'), 'sms');
    await user.type(textarea(), 'See you soon');
    await user.keyboard('{Control>}{Enter}{/Control}');

    await waitFor(() => expect(textarea().value).toBe(''));
    expect(requests.filter((request) => request.method === 'POST').map((request) => request.body)).toEqual([
      { channel: 'sms', body: 'See you soon' },
    ]);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('posts an internal note instead when Note is on', async () => {
    const user = userEvent.setup();
    const { requests } = mockFetch({
      'POST /api/v1/conversations/c1/notes': () =>
        jsonResponse(201, message({ id: 'n1', kind: 'note', direction: 'outbound' })),
      'GET /api/v1/conversations': () => jsonResponse(200, { items: [], next_cursor: null }),
    });
    renderWithProviders(<Composer conversation={conversation()} />);

    await user.click(screen.getByRole('button', { name: 'Note' }));
    await user.type(textarea(), 'VIP guest, upgrade if possible');
    await user.click(sendButton());

    await waitFor(() => expect(textarea().value).toBe(''));
    const posted = requests.filter((request) => request.method === 'POST');
    expect(posted.map((request) => request.url.pathname)).toEqual(['/api/v1/conversations/c1/notes']);
    expect(posted[0]?.body).toEqual({ body: 'VIP guest, upgrade if possible' });
  });

  it('offers only open channels and shows why the others are unavailable', () => {
    mockFetch({});
    renderWithProviders(<Composer conversation={conversation()} />);

    const options = screen.getAllByRole<HTMLOptionElement>('option');
    const email = options.find((option) => option.value === 'email');
    expect(email?.disabled).toBe(true);
    expect(email?.textContent).toBe('Email — E-mail is for scheduled messages only');
    expect(options.find((option) => option.value === 'sms')?.disabled).toBe(false);
    expect(options.find((option) => option.value === 'whatsapp')?.textContent).toBe('WhatsApp · open · 3 h left');
  });

  it('cannot send a reply when no channel is open, but can still post a note', async () => {
    const user = userEvent.setup();
    mockFetch({});
    renderWithProviders(
      <Composer
        conversation={conversation({
          reply_state: { whatsapp: { state: 'closed', open_until: null, reason: 'Window closed' } },
        })}
      />,
    );

    await user.type(textarea(), 'Hello');
    expect(sendButton().disabled).toBe(true);
    expect(screen.getByText('No channel is open for a reply right now.')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Note' }));
    expect(sendButton().disabled).toBe(false);
  });

  it('counts characters, encoding and SMS parts under the text when SMS is the channel', async () => {
    const user = userEvent.setup();
    const { requests } = mockFetch({
      'POST /api/v1/sms/segments': (request) => {
        const text = (request.body as { text: string }).text;
        const ucs2 = /[^\x00-\x7f]/.test(text);
        return jsonResponse(200, { characters: text.length, encoding: ucs2 ? 'UCS-2' : 'GSM-7', units: text.length, segments: ucs2 && text.length > 70 ? 2 : 1, remaining_in_segment: 0 });
      },
    });
    renderWithProviders(<Composer conversation={conversation()} />);

    // On WhatsApp, no counter.
    await user.type(textarea(), 'Hi');
    expect(screen.queryByTestId('sms-segments')).toBeNull();

    await user.selectOptions(screen.getByLabelText('Channel'), 'sms');
    await user.clear(textarea());
    await user.type(textarea(), 'Your room 12 is ready, see you at the desk!');
    await waitFor(() => expect(screen.getByTestId('sms-segments').textContent).toBe('43 characters · GSM-7 · 1 SMS'));
    // Debounced: one request for the text as typed, not one per key.
    const counted = requests.filter((request) => request.url.pathname === '/api/v1/sms/segments');
    expect(counted.length).toBeLessThanOrEqual(2);
    expect(counted.at(-1)?.body).toEqual({ text: 'Your room 12 is ready, see you at the desk!' });

    await user.type(textarea(), ' 🙂 Bienvenue à l’hôtel, profitez bien de votre séjour !');
    await waitFor(() => expect(screen.getByTestId('sms-segments').textContent).toMatch(/UCS-2 · 2 SMS$/));

    // A note is not an SMS.
    await user.click(screen.getByRole('button', { name: 'Note' }));
    expect(screen.queryByTestId('sms-segments')).toBeNull();
  });
});
