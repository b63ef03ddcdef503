import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { jsonResponse, mockFetch } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { ConversationLabels } from './ConversationLabels';

const VIP = { id: 'l1', name: 'VIP', colour: '#d97706' };
const LATE = { id: 'l2', name: 'Late arrival', colour: '#2563eb' };

describe('ConversationLabels', () => {
  it('removes a label, adds one from the catalogue and creates a new one', async () => {
    const user = userEvent.setup();
    const { requests } = mockFetch({
      'GET /api/v1/labels': () => jsonResponse(200, [LATE, VIP]),
      'DELETE /api/v1/conversations/c1/labels/l1': () => jsonResponse(200, []),
      'PUT /api/v1/conversations/c1/labels/l2': () => jsonResponse(200, [LATE, VIP]),
      'POST /api/v1/labels': (request) => jsonResponse(201, { id: 'l3', ...(request.body as object) }),
      'PUT /api/v1/conversations/c1/labels/l3': () => jsonResponse(200, [VIP]),
    });
    renderWithProviders(<ConversationLabels conversationId="c1" labels={[VIP]} />);

    expect(screen.getByTestId('label-chip').textContent).toContain('VIP');
    await user.click(screen.getByRole('button', { name: 'Remove the label VIP' }));
    await screen.findByRole('option', { name: 'Late arrival' });
    await user.selectOptions(screen.getByLabelText('Add a label…'), 'l2');
    await user.selectOptions(screen.getByLabelText('Add a label…'), '__new');
    await user.type(screen.getByLabelText('Name'), 'Anniversary');
    await user.click(screen.getByRole('button', { name: 'Create' }));

    await waitFor(() => expect(requests.some((r) => r.url.pathname.endsWith('/labels/l3'))).toBe(true));
    expect(requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.url.pathname}`)).toEqual([
      'DELETE /api/v1/conversations/c1/labels/l1',
      'PUT /api/v1/conversations/c1/labels/l2',
      'POST /api/v1/labels',
      'PUT /api/v1/conversations/c1/labels/l3',
    ]);
    expect(requests.find((r) => r.method === 'POST')?.body).toMatchObject({ name: 'Anniversary' });
  });
});
