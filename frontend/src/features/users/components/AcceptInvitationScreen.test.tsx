import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { meQueryKey } from '@/lib/auth';
import { me } from '@/testing/fixtures';
import { jsonResponse, mockFetch, problem } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { AcceptInvitationScreen } from './AcceptInvitationScreen';

const preview = {
  email: 'chloe@hotel-du-lac.fr',
  role: 'manager',
  property_name: 'Hôtel du Lac',
  expires_at: '2026-12-03T08:00:00Z',
  existing_account: false,
};

function renderAt(token: string, language: 'en' | 'fr' = 'en') {
  return renderWithProviders(<AcceptInvitationScreen />, {
    route: `/invitations/${token}`,
    path: '/invitations/:token',
    me: null,
    language,
  });
}

describe('AcceptInvitationScreen', () => {
  it('creates the account with a name and password, then holds the new session', async () => {
    const user = userEvent.setup();
    const joined = { ...me, user: { id: 'u9', email: preview.email, name: 'Chloé' }, role: 'manager' as const };
    const { requests } = mockFetch({
      'GET /api/v1/invitations/tok1': () => jsonResponse(200, preview),
      'POST /api/v1/invitations/tok1/accept': () => jsonResponse(200, joined),
    });
    const { queryClient } = renderAt('tok1');
    expect((await screen.findByTestId('invitation-summary')).textContent).toBe(
      'You are invited as Manager with the address chloe@hotel-du-lac.fr.',
    );
    expect(screen.getByRole('heading', { name: 'Join Hôtel du Lac' })).toBeTruthy();
    await user.type(screen.getByLabelText('Your name'), ' Chloé ');
    await user.type(screen.getByLabelText('Choose a password'), 'a long password');
    await user.click(screen.getByRole('button', { name: 'Accept and sign in' }));
    await waitFor(() => expect(queryClient.getQueryData(meQueryKey)).toEqual(joined));
    expect(requests.find((r) => r.method === 'POST')?.body).toEqual({ name: 'Chloé', password: 'a long password' });
  });

  it('asks an existing account only for its current password, and says when it is wrong', async () => {
    const user = userEvent.setup();
    const { requests } = mockFetch({
      'GET /api/v1/invitations/tok2': () => jsonResponse(200, { ...preview, existing_account: true }),
      'POST /api/v1/invitations/tok2/accept': () =>
        problem(401, { code: 'invalid_credentials', title: 'Unauthorized', detail: 'wrong' }),
    });
    renderAt('tok2', 'fr');
    await user.type(await screen.findByLabelText('Votre mot de passe actuel'), 'guess');
    expect(screen.queryByLabelText('Votre nom')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Accepter et se connecter' }));
    expect(await screen.findByRole('alert')).toBeTruthy();
    expect(requests.find((r) => r.method === 'POST')?.body).toEqual({ password: 'guess' });
  });

  it('says plainly when the link is unknown or used', async () => {
    mockFetch({
      'GET /api/v1/invitations/used': () => problem(404, { code: 'not_found', title: 'Not Found', detail: 'x' }),
    });
    renderAt('used');
    expect((await screen.findByRole('alert')).textContent).toContain('unknown or was already used');
  });
});
