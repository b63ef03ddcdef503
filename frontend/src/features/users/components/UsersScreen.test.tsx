import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { StaffMember } from '@/lib/api-types';
import { me } from '@/testing/fixtures';
import { jsonResponse, mockFetch, problem } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { UsersScreen } from './UsersScreen';

const owner = { ...me, role: 'owner' as const };
const LINK = 'http://localhost:8000/invitations/tok_8f2k3j4h5g6f7d8s9a0';

function members(): StaffMember[] {
  return [
    { id: 'u1', name: 'Anna', email: 'anna@hotel-du-lac.fr', role: 'owner' },
    { id: 'u2', name: 'Bruno', email: 'bruno@hotel-du-lac.fr', role: 'agent' },
  ];
}

describe('UsersScreen', () => {
  it('invites by e-mail with a role and shows the link once', async () => {
    const user = userEvent.setup();
    let pending: unknown[] = [];
    const { requests } = mockFetch({
      'GET /api/v1/users': () => jsonResponse(200, members()),
      'GET /api/v1/users/invitations': () => jsonResponse(200, pending),
      'POST /api/v1/users/invitations': (request) => {
        const body = request.body as { email: string; role: string };
        const created = {
          id: 'i1',
          email: body.email,
          role: body.role,
          created_at: '2026-11-26T08:00:00Z',
          expires_at: '2026-12-03T08:00:00Z',
        };
        pending = [created];
        return jsonResponse(201, { ...created, link: LINK, emailed: false });
      },
    });
    renderWithProviders(<UsersScreen />, { me: owner });

    expect(await screen.findAllByTestId('member-row')).toHaveLength(2);
    await user.click(screen.getByRole('button', { name: 'Invite someone' }));
    const dialog = screen.getByRole('dialog', { name: 'Invite a team member' });
    await user.type(within(dialog).getByLabelText('E-mail'), 'chloe@hotel-du-lac.fr');
    await user.selectOptions(within(dialog).getByLabelText('Role'), 'manager');
    await user.click(within(dialog).getByRole('button', { name: 'Send invitation' }));

    expect((await screen.findByTestId('invitation-link')).textContent).toBe(LINK);
    expect(screen.getByTestId('new-invitation').textContent).toContain('send this link yourself');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(requests.find((request) => request.method === 'POST')?.body).toEqual({
      email: 'chloe@hotel-du-lac.fr',
      role: 'manager',
    });
    const row = await screen.findByTestId('invitation-row');
    expect(row.textContent).toContain('chloe@hotel-du-lac.fr');
    expect(row.textContent).not.toContain('tok_');

    await user.click(screen.getByRole('button', { name: 'Done' }));
    expect(document.body.textContent).not.toContain(LINK);
  });

  it('shows why an invitation is refused, in the dialog', async () => {
    const user = userEvent.setup();
    mockFetch({
      'GET /api/v1/users': () => jsonResponse(200, members()),
      'GET /api/v1/users/invitations': () => jsonResponse(200, []),
      'POST /api/v1/users/invitations': () =>
        problem(409, { code: 'already_member', title: 'Conflict', detail: 'bruno@… is already a member.' }),
    });
    renderWithProviders(<UsersScreen />, { me: owner });
    await user.click(await screen.findByRole('button', { name: 'Invite someone' }));
    const dialog = screen.getByRole('dialog');
    await user.type(within(dialog).getByLabelText('E-mail'), 'bruno@hotel-du-lac.fr');
    await user.click(within(dialog).getByRole('button', { name: 'Send invitation' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe(
      'This person is already a member of the property.',
    );
  });

  it('changes a role, and explains the last-owner rule when refused', async () => {
    const user = userEvent.setup();
    const { requests } = mockFetch({
      'GET /api/v1/users': () => jsonResponse(200, members()),
      'GET /api/v1/users/invitations': () => jsonResponse(200, []),
      'PATCH /api/v1/users/u2': () =>
        jsonResponse(200, { id: 'u2', name: 'Bruno', email: 'bruno@hotel-du-lac.fr', role: 'manager' }),
      'PATCH /api/v1/users/u1': () => problem(409, { code: 'last_owner', title: 'Conflict', detail: 'x' }),
      'GET /api/v1/auth/me': () => jsonResponse(200, owner),
    });
    renderWithProviders(<UsersScreen />, { me: owner });

    await user.selectOptions(await screen.findByLabelText('Role of Bruno'), 'manager');
    await waitFor(() => expect((screen.getByLabelText('Role of Bruno') as HTMLSelectElement).value).toBe('manager'));
    expect(requests.find((r) => r.url.pathname === '/api/v1/users/u2')?.body).toEqual({ role: 'manager' });

    await user.selectOptions(screen.getByLabelText('Role of Anna'), 'agent');
    expect((await screen.findByTestId('users-error')).textContent).toContain('at least one owner');
    expect((screen.getByLabelText('Role of Anna') as HTMLSelectElement).value).toBe('owner');
  });

  it('removes a member only after a confirmation, and never offers to remove yourself', async () => {
    const user = userEvent.setup();
    let team = members();
    const { requests } = mockFetch({
      'GET /api/v1/users': () => jsonResponse(200, team),
      'GET /api/v1/users/invitations': () => jsonResponse(200, []),
      'DELETE /api/v1/users/u2': () => {
        team = team.filter((member) => member.id !== 'u2');
        return new Response(null, { status: 204 });
      },
    });
    renderWithProviders(<UsersScreen />, { me: owner });

    const [mine, bruno] = await screen.findAllByTestId('member-row');
    expect(within(mine!).queryByRole('button', { name: /Remove/ })).toBeNull();
    await user.click(within(bruno!).getByRole('button', { name: 'Remove Bruno' }));
    expect(requests.some((r) => r.method === 'DELETE')).toBe(false);
    await user.click(within(bruno!).getByRole('button', { name: 'Remove now' }));
    await waitFor(() => expect(screen.getAllByTestId('member-row')).toHaveLength(1));
    expect(requests.filter((r) => r.method === 'DELETE').map((r) => r.url.pathname)).toEqual(['/api/v1/users/u2']);
  });

  it('shows non-owners the team read-only, in French, without asking for invitations', async () => {
    const { requests } = mockFetch({ 'GET /api/v1/users': () => jsonResponse(200, members()) });
    renderWithProviders(<UsersScreen />, { language: 'fr' });
    expect(await screen.findAllByTestId('member-row')).toHaveLength(2);
    expect(screen.getByRole('heading', { name: 'Utilisateurs et rôles' })).toBeTruthy();
    expect(screen.getByText(/Seul un propriétaire de l’établissement peut inviter/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Inviter quelqu’un' })).toBeNull();
    expect(screen.queryByRole('combobox')).toBeNull();
    expect(requests.map((r) => r.url.pathname)).toEqual(['/api/v1/users']);
  });
});
