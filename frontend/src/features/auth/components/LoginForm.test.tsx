import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { me } from '@/testing/fixtures';
import { jsonResponse, mockFetch, problem } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/render';
import { LoginForm } from './LoginForm';

async function signIn(email: string, password: string) {
  const user = userEvent.setup();
  await user.type(screen.getByLabelText('Email'), email);
  await user.type(screen.getByLabelText('Password'), password);
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('LoginForm', () => {
  it('shows the problem detail when the credentials are refused', async () => {
    mockFetch({
      'POST /api/v1/auth/login': () =>
        problem(401, { title: 'Unauthorized', detail: 'Wrong e-mail or password.', code: 'invalid_credentials' }),
    });
    const onSuccess = vi.fn();
    renderWithProviders(<LoginForm onSuccess={onSuccess} />, { me: null });

    await signIn('anna@hotel.test', 'nope');

    expect((await screen.findByRole('alert')).textContent).toContain('Wrong e-mail or password.');
    expect(onSuccess).not.toHaveBeenCalled();
  });

  it('stores the session and reports success', async () => {
    const { requests } = mockFetch({ 'POST /api/v1/auth/login': () => jsonResponse(200, me) });
    const onSuccess = vi.fn();
    const { queryClient } = renderWithProviders(<LoginForm onSuccess={onSuccess} />, { me: null });

    await signIn(' anna@hotel.test ', 's3cret');

    await vi.waitFor(() => expect(onSuccess).toHaveBeenCalled());
    expect(requests[0]?.body).toEqual({ email: 'anna@hotel.test', password: 's3cret' });
    expect(queryClient.getQueryData(['me'])).toEqual(me);
  });
});
