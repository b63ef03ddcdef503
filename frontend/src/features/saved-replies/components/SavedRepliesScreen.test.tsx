import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { jsonResponse, mockFetch, problem } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { SavedRepliesScreen } from './SavedRepliesScreen';

const PLACEHOLDERS = [
  { key: 'guest.first_name', description: "Guest's first name", example: 'Anna' },
  { key: 'booking.room', description: 'Room', example: '12' },
];

describe('SavedRepliesScreen', () => {
  it('creates a reply with a placeholder inserted from the picker', async () => {
    const user = userEvent.setup();
    const { requests } = mockFetch({
      'GET /api/v1/saved-replies': () => jsonResponse(200, []),
      'GET /api/v1/whatsapp/placeholders': () => jsonResponse(200, PLACEHOLDERS),
      'POST /api/v1/saved-replies': (request) =>
        jsonResponse(201, { id: 'r1', created_at: '', updated_at: '', ...(request.body as object) }),
    });
    renderWithProviders(<SavedRepliesScreen />);

    expect(await screen.findByText('No saved replies yet.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'New saved reply' }));
    await user.type(screen.getByLabelText('Name'), 'Wi-Fi');
    await user.type(screen.getByLabelText('Shortcut'), 'wifi');
    await user.type(screen.getByLabelText('Text (English)'), 'Hi ');
    await screen.findByRole('option', { name: /Guest's first name/ });
    await user.selectOptions(screen.getByLabelText('Placeholder'), 'guest.first_name');
    await user.click(screen.getByRole('button', { name: 'Insert' }));
    expect(screen.getByLabelText<HTMLTextAreaElement>('Text (English)').value).toBe('Hi {{ guest.first_name }}');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(requests.some((r) => r.method === 'POST')).toBe(true));
    expect(requests.find((r) => r.method === 'POST')?.body).toEqual({
      name: 'Wi-Fi',
      shortcut: 'wifi',
      bodies: { en: 'Hi {{ guest.first_name }}' },
    });
  });

  it('shows the server’s problems under their fields, in French', async () => {
    const user = userEvent.setup();
    mockFetch({
      'GET /api/v1/saved-replies': () => jsonResponse(200, []),
      'GET /api/v1/whatsapp/placeholders': () => jsonResponse(200, PLACEHOLDERS),
      'POST /api/v1/saved-replies': () =>
        problem(422, {
          code: 'validation_error',
          errors: [{ field: 'bodies.fr', code: 'unknown_placeholder', message: '{{ guest.nickname }} inconnu.' }],
        }),
    });
    renderWithProviders(<SavedRepliesScreen />, { language: 'fr' });

    await user.click(await screen.findByRole('button', { name: 'Nouvelle réponse' }));
    await user.type(screen.getByLabelText('Nom'), 'X');
    await user.type(screen.getByLabelText('Raccourci'), 'x');
    await user.type(screen.getByLabelText('Texte (Français)'), 'Bonjour');
    await user.click(screen.getByRole('button', { name: 'Enregistrer' }));

    const problems = await screen.findByTestId('field-problems');
    expect(problems.textContent).toBe('{{ guest.nickname }} inconnu.');
  });
});
