import { type FormEvent, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { LanguageSwitcher } from '@/components/LanguageSwitcher';
import { Spinner } from '@/components/LoadingScreen';
import { isNotFound } from '@/lib/api-client';
import { type InvitationPreview, useAcceptInvitation, useInvitationPreview } from '../api/users';
import { UsersError } from './UsersError';

const PASSWORD_MIN_LENGTH = 8; // the API's rule, repeated so the browser can say it before sending

function AcceptForm({ token, invitation }: { token: string; invitation: InvitationPreview }) {
  const { t } = useTranslation();
  const id = useId();
  const navigate = useNavigate();
  const accept = useAcceptInvitation(token);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const existing = invitation.existing_account;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    accept.mutate(existing ? { password } : { name: name.trim(), password }, {
      onSuccess: () => navigate('/', { replace: true }),
    });
  };

  return (
    <form className="login-form" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`} className="login-form__title">
        {t('users.acceptTitle', { property: invitation.property_name })}
      </h1>
      <p data-testid="invitation-summary">
        {t('users.acceptIntro', { email: invitation.email, role: t(`roles.${invitation.role}`) })}
      </p>
      {existing && <p className="muted">{t('users.existingAccount')}</p>}
      {accept.isError && <UsersError error={accept.error} />}
      {!existing && (
        <div className="field">
          <label htmlFor={`${id}-name`}>{t('users.yourName')}</label>
          <input
            id={`${id}-name`}
            className="input"
            autoComplete="name"
            required
            maxLength={200}
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
        </div>
      )}
      <div className="field">
        <label htmlFor={`${id}-password`}>{existing ? t('users.currentPassword') : t('users.choosePassword')}</label>
        <input
          id={`${id}-password`}
          className="input"
          type="password"
          autoComplete={existing ? 'current-password' : 'new-password'}
          required
          minLength={existing ? undefined : PASSWORD_MIN_LENGTH}
          aria-describedby={existing ? undefined : `${id}-password-hint`}
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
        {!existing && (
          <p id={`${id}-password-hint`} className="muted">
            {t('users.passwordHint', { count: PASSWORD_MIN_LENGTH })}
          </p>
        )}
      </div>
      <button
        type="submit"
        className="button button--primary button--block"
        disabled={accept.isPending}
        aria-busy={accept.isPending}
      >
        {t('users.accept')}
      </button>
    </form>
  );
}

/** Reached from the e-mailed link, signed in or not: joining signs the person in. */
export function AcceptInvitationScreen() {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  const invitation = useInvitationPreview(token);

  useEffect(() => {
    document.title = t('users.acceptPageTitle');
  }, [t]);

  return (
    <div className="login-page">
      <header className="login-page__top">
        <LanguageSwitcher />
      </header>
      <main className="login-page__card" id="main">
        <p className="login-page__brand">
          <span aria-hidden="true">✉ </span>
          {t('app.name')}
        </p>
        {invitation.isPending ? (
          <Spinner />
        ) : invitation.isError ? (
          <div className="stack">
            <h1 className="login-form__title">{t('users.acceptPageTitle')}</h1>
            {isNotFound(invitation.error) ? (
              <p role="alert" className="alert alert--error">
                {t('users.unknownLink')}
              </p>
            ) : (
              <UsersError error={invitation.error} />
            )}
          </div>
        ) : (
          <AcceptForm token={token} invitation={invitation.data} />
        )}
      </main>
    </div>
  );
}
