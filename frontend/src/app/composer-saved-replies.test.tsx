import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { Composer } from '@/features/conversations/components/Composer';
import { SlotsProvider } from '@/lib/slots';
import { conversation } from '@/testing/fixtures';
import { jsonResponse, mockFetch, problem } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { SavedReplyPicker } from '@/features/saved-replies/components/SavedReplyPicker';

const REPLIES = [
  { id: 'r1', name: 'Wi-Fi', shortcut: 'wifi', bodies: { en: 'x' }, created_at: '', updated_at: '' },
  { id: 'r2', name: 'Parking', shortcut: 'parking', bodies: { en: 'y' }, created_at: '', updated_at: '' },
  { id: 'r3', name: 'Late check-out', shortcut: 'late', bodies: { en: 'z' }, created_at: '', updated_at: '' },
];

const textarea = () => screen.getByLabelText<HTMLTextAreaElement>('Message');
const picker = () => within(screen.getByRole('listbox', { name: 'Saved replies' }));

function renderComposer() {
  return renderWithProviders(
    <SlotsProvider slots={{ SavedReplyPicker }}>
      <Composer conversation={conversation()} />
    </SlotsProvider>,
  );
}

describe('Composer "/" shortcut', () => {
  it('filters saved replies as you type and Enter inserts the rendered text without sending', async () => {
    const user = userEvent.setup();
    const { requests } = mockFetch({
      'GET /api/v1/saved-replies': () => jsonResponse(200, REPLIES),
      'POST /api/v1/conversations/c1/saved-replies/r2/render': () =>
        jsonResponse(200, { text: 'Hi Camille, parking P2 is free.', language: 'en' }),
    });
    renderComposer();

    await user.type(textarea(), 'Hello! /');
    await screen.findByRole('listbox', { name: 'Saved replies' });
    expect(picker().getAllByRole('option').map((option) => option.textContent)).toEqual([
      '/wifi Wi-Fi',
      '/parking Parking',
      '/late Late check-out',
    ]);
    await user.type(textarea(), 'par');
    await waitFor(() => expect(picker().getAllByRole('option')).toHaveLength(1));
    await user.keyboard('{Enter}');

    await waitFor(() => expect(textarea().value).toBe('Hello! Hi Camille, parking P2 is free.'));
    expect(screen.queryByTestId('saved-reply-picker')).toBeNull();
    // inserted, still editable: nothing was sent
    expect(requests.filter((r) => r.url.pathname.endsWith('/messages'))).toEqual([]);
  });

  it('arrows move the choice, Escape closes the picker, and a missing value is explained', async () => {
    const user = userEvent.setup();
    mockFetch({
      'GET /api/v1/saved-replies': () => jsonResponse(200, REPLIES),
      'POST /api/v1/conversations/c1/saved-replies/r2/render': () =>
        problem(409, {
          code: 'placeholder_without_value',
          detail: 'These placeholders have no value for this conversation: booking.room.',
        }),
    });
    renderComposer();

    await user.type(textarea(), '/');
    await screen.findByRole('listbox', { name: 'Saved replies' });
    await user.keyboard('{ArrowDown}');
    expect(picker().getByRole('option', { selected: true }).textContent).toBe('/parking Parking');
    await user.keyboard('{Enter}');
    expect((await screen.findByRole('alert')).textContent).toContain('booking.room');
    expect(textarea().value).toBe('/');

    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('saved-reply-picker')).toBeNull();
  });
});
