import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { ApiKey } from '@/lib/api-types';
import { me } from '@/testing/fixtures';
import { jsonResponse, mockFetch } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { ApiKeysScreen } from './ApiKeysScreen';

const owner = { ...me, role: 'owner' as const };
const SECRET = 'gmc_live_8f2k3j4h5g6f7d8s9a0';

describe('ApiKeysScreen', () => {
  it('shows a new key once, then only its prefix', async () => {
    const user = userEvent.setup();
    let keys: ApiKey[] = [
      {
        id: 'k1',
        name: 'Old script',
        prefix: 'gmc_live_aa',
        role: 'agent',
        created_at: '2026-10-01T08:00:00Z',
        last_used_at: null,
        revoked_at: '2026-10-02T08:00:00Z',
      },
    ];
    const { requests } = mockFetch({
      'GET /api/v1/api-keys': () => jsonResponse(200, keys),
      'POST /api/v1/api-keys': (request) => {
        const body = request.body as { name: string; role: string };
        const created = {
          id: 'k2',
          name: body.name,
          prefix: 'gmc_live_8f',
          role: body.role,
          created_at: '2026-11-26T08:00:00Z',
          last_used_at: null,
          revoked_at: null,
        };
        keys = [...keys, created];
        return jsonResponse(201, { ...created, key: SECRET });
      },
    });
    renderWithProviders(<ApiKeysScreen />, { me: owner });

    expect((await screen.findAllByTestId('api-key-row'))[0]!.textContent).toContain('Revoked');
    await user.type(screen.getByLabelText('Name'), 'PMS sync');
    await user.selectOptions(screen.getByLabelText('Role'), 'manager');
    await user.click(screen.getByRole('button', { name: 'Create key' }));

    expect((await screen.findByTestId('new-key-value')).textContent).toBe(SECRET);
    expect(screen.getByTestId('new-key').textContent).toContain('it will not be shown again');
    expect(requests.find((request) => request.method === 'POST')?.body).toEqual({ name: 'PMS sync', role: 'manager' });
    await waitFor(() => expect(screen.getAllByTestId('api-key-row')).toHaveLength(2));
    // The table never holds the secret, only the prefix.
    const newRow = screen.getAllByTestId('api-key-row')[1]!;
    expect(within(newRow).getByText('gmc_live_8f…')).toBeTruthy();
    expect(newRow.textContent).not.toContain(SECRET);

    await user.click(screen.getByRole('button', { name: 'I have copied it' }));
    expect(screen.queryByTestId('new-key')).toBeNull();
    expect(document.body.textContent).not.toContain(SECRET);
  });

  it('revokes after a confirmation', async () => {
    const user = userEvent.setup();
    const { requests } = mockFetch({
      'GET /api/v1/api-keys': () =>
        jsonResponse(200, [
          { id: 'k1', name: 'PMS', prefix: 'gmc_1', role: 'manager', created_at: '2026-10-01T08:00:00Z', last_used_at: '2026-11-25T22:30:00Z', revoked_at: null },
        ]),
      'DELETE /api/v1/api-keys/k1': () => new Response(null, { status: 204 }),
    });
    renderWithProviders(<ApiKeysScreen />, { me: owner });

    const row = (await screen.findAllByTestId('api-key-row'))[0]!;
    // Last used 22:30 UTC is 23:30 at the (Paris) property.
    expect(row.textContent).toContain('11:30 PM');
    await user.click(within(row).getByRole('button', { name: 'Revoke PMS' }));
    expect(requests.some((request) => request.method === 'DELETE')).toBe(false);
    await user.click(within(row).getByRole('button', { name: 'Revoke now' }));
    await waitFor(() => expect(requests.some((request) => request.method === 'DELETE')).toBe(true));
  });

  it('tells non-owners that only the owner manages keys, without asking the API', () => {
    const { requests } = mockFetch({});
    renderWithProviders(<ApiKeysScreen />, { language: 'fr' });
    expect(screen.getByText('Seul le propriétaire de l’établissement peut gérer les clés d’API.')).toBeTruthy();
    expect(requests).toHaveLength(0);
  });
});
