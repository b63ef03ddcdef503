import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { describe, expect, it, vi } from 'vitest';
import type { TemplateSendRequest } from '@/lib/api-types';
import { conversation, message } from '@/testing/fixtures';
import { jsonResponse, mockFetch } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { template } from '@/testing/template-fixtures';
import NewMessageDialog from './NewMessageDialog';

const guest = conversation().guest;

describe('NewMessageDialog', () => {
  it('finds a guest through a booking, sends an approved template and opens the conversation', async () => {
    const user = userEvent.setup();
    const onClose = vi.fn();
    const { requests } = mockFetch({
      'GET /api/v1/guests': () => jsonResponse(200, { items: [], next_cursor: null }),
      'GET /api/v1/bookings': () =>
        jsonResponse(200, {
          items: [
            {
              id: 'b1', external_ref: 'PMS-1001', guest_id: 'g1', check_in: '2026-11-27', check_out: '2026-11-30',
              source: 'direct', status: 'confirmed', confirmation_code: null, room: '12', party_size: 2, custom_fields: {}, guest,
            },
          ],
          next_cursor: null,
        }),
      'GET /api/v1/whatsapp/templates': () => jsonResponse(200, [template()]),
      'POST /api/v1/guests/g1/template-preview': (request) =>
        jsonResponse(200, {
          text: 'x',
          parameters: { header: null, body: ['Marie', (request.body as TemplateSendRequest).overrides['2'] ?? 'Friday'], buttons: [] },
          cost: { amount: '0.0250', currency: 'EUR', category: 'utility', free: false, reason: null },
        }),
      'POST /api/v1/guests/g1/template-messages': () =>
        jsonResponse(202, message({ id: 'm5', conversation_id: 'c42', kind: 'template', direction: 'outbound' })),
    });
    renderWithProviders(
      <Routes>
        <Route path="/" element={<NewMessageDialog onClose={onClose} />} />
        <Route path="/conversations/:id" element={<p>conversation page</p>} />
      </Routes>,
    );

    const dialog = screen.getByRole('dialog', { name: 'New message' });
    await user.type(within(dialog).getByLabelText('Find a guest or booking'), 'PMS-1001');
    await user.click(await within(dialog).findByRole('button', { name: /Marie Curie/ }));
    expect(within(dialog).getByText(/To Marie Curie/)).toBeTruthy();

    await user.click(await within(dialog).findByRole('radio', { name: /arrival_info/ }));
    await waitFor(() => expect(screen.getByTestId<HTMLInputElement>('template-value-1').value).toBe('Marie'));
    expect(screen.getByTestId('template-cost').textContent).toBe('Estimated cost: €0.025 (utility)');
    await user.click(screen.getByRole('button', { name: 'Send template' }));

    expect(await screen.findByText('conversation page')).toBeTruthy();
    expect(onClose).toHaveBeenCalled();
    expect(requests.find((request) => request.url.pathname.endsWith('/template-messages'))?.body).toEqual({
      template_id: 'tpl1',
      overrides: {},
    });
  });

  it('falls back to the examples when the server has no guest-level preview', async () => {
    const user = userEvent.setup();
    mockFetch({
      'GET /api/v1/guests': () => jsonResponse(200, { items: [guest], next_cursor: null }),
      'GET /api/v1/bookings': () => jsonResponse(200, { items: [], next_cursor: null }),
      'GET /api/v1/whatsapp/templates': () => jsonResponse(200, [template()]),
    });
    renderWithProviders(<NewMessageDialog onClose={() => {}} />);

    await user.type(screen.getByLabelText('Find a guest or booking'), 'Marie');
    await user.click(await screen.findByRole('button', { name: /Marie Curie/ }));
    await user.click(await screen.findByRole('radio', { name: /arrival_info/ }));
    expect(await screen.findByText(/Values are filled in from the guest and booking when sent/)).toBeTruthy();
    expect(screen.getByTestId('bubble-body').textContent).toBe('Hello Camille, see you on Monday 14 December!');
    expect(screen.getByTestId<HTMLInputElement>('template-value-1').placeholder).toBe('Camille');
  });
});
