import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '@/components/ErrorMessage';
import type { Me } from '@/lib/api-types';
import { useLogin } from '../api/login';

interface Props {
  onSuccess: (me: Me) => void;
}

export function LoginForm({ onSuccess }: Props) {
  const { t } = useTranslation();
  const login = useLogin();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    login.mutate({ email: email.trim(), password }, { onSuccess });
  };

  return (
    <form className="login-form" onSubmit={submit} aria-labelledby="login-title">
      <h1 id="login-title" className="login-form__title">
        {t('auth.title')}
      </h1>
      {login.isError && <ErrorMessage error={login.error} />}
      <div className="field">
        <label htmlFor="login-email">{t('auth.email')}</label>
        <input
          id="login-email"
          className="input"
          type="email"
          name="email"
          autoComplete="username"
          inputMode="email"
          required
          autoFocus
          value={email}
          onChange={(event) => setEmail(event.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="login-password">{t('auth.password')}</label>
        <input
          id="login-password"
          className="input"
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
      </div>
      <button
        type="submit"
        className="button button--primary button--block"
        disabled={login.isPending}
        aria-busy={login.isPending}
      >
        {t('auth.signIn')}
      </button>
    </form>
  );
}
