import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '@/components/ErrorMessage';
import { Spinner } from '@/components/LoadingScreen';
import { QueryError } from '@/components/NotAvailable';
import { SecretShownOnce } from '@/components/SecretShownOnce';
import type { ApiKeyCreated, ApiKeyRole } from '@/lib/api-types';
import { useSession } from '@/lib/auth';
import { formatDateTime } from '@/lib/format';
import { useDocumentTitle } from '@/lib/use-document-title';
import { useLocaleContext } from '@/lib/use-locale';
import { useApiKeys, useCreateApiKey, useRevokeApiKey } from '../api/api-keys';

/** The new key, shown once: the server never returns it again. */
function NewKey({ created, onDone }: { created: ApiKeyCreated; onDone: () => void }) {
  const { t } = useTranslation();
  return (
    <SecretShownOnce
      title={t('apiKeys.createdTitle', { name: created.name })}
      value={created.key}
      warning={t('apiKeys.shownOnce')}
      copyLabel={t('apiKeys.copy')}
      copiedLabel={t('apiKeys.copied')}
      dismissLabel={t('apiKeys.done')}
      onDismiss={onDone}
      testId="new-key"
      valueTestId="new-key-value"
    />
  );
}

export function ApiKeysScreen() {
  const { t } = useTranslation();
  const { locale, timeZone } = useLocaleContext();
  const id = useId();
  const me = useSession();
  const isOwner = me.role === 'owner';
  const keys = useApiKeys(isOwner);
  const create = useCreateApiKey();
  const revoke = useRevokeApiKey();
  const [name, setName] = useState('');
  const [role, setRole] = useState<ApiKeyRole>('agent');
  const [created, setCreated] = useState<ApiKeyCreated | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  useDocumentTitle(t('settings.apiKeys'));

  if (!isOwner) {
    return (
      <div className="stack">
        <h1 className="page__title">{t('settings.apiKeys')}</h1>
        <p className="muted">{t('apiKeys.ownerOnly')}</p>
      </div>
    );
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return;
    create.mutate(
      { name: name.trim(), role },
      {
        onSuccess: (result) => {
          setCreated(result);
          setName('');
        },
      },
    );
  };

  const date = (iso: string | null) => (iso ? formatDateTime(iso, locale, timeZone) : t('apiKeys.never'));

  return (
    <div className="stack">
      <h1 className="page__title">{t('settings.apiKeys')}</h1>
      <p className="muted">{t('apiKeys.intro')}</p>

      {created && <NewKey created={created} onDone={() => setCreated(null)} />}

      <form className="card stack" onSubmit={submit} aria-labelledby={`${id}-title`}>
        <h2 id={`${id}-title`} className="card__title">
          {t('apiKeys.create')}
        </h2>
        {create.isError && <ErrorMessage error={create.error} />}
        <div className="field-row">
          <div className="field field--grow">
            <label htmlFor={`${id}-name`}>{t('apiKeys.name')}</label>
            <input
              id={`${id}-name`}
              className="input"
              value={name}
              required
              maxLength={100}
              placeholder={t('apiKeys.namePlaceholder')}
              onChange={(event) => setName(event.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-role`}>{t('apiKeys.role')}</label>
            <select
              id={`${id}-role`}
              className="select"
              value={role}
              onChange={(event) => setRole(event.target.value as ApiKeyRole)}
            >
              <option value="agent">{t('roles.agent')}</option>
              <option value="manager">{t('roles.manager')}</option>
            </select>
          </div>
        </div>
        <div className="actions actions--start">
          <button type="submit" className="button button--primary" disabled={create.isPending || !name.trim()}>
            {t('apiKeys.createButton')}
          </button>
        </div>
      </form>

      {revoke.isError && <ErrorMessage error={revoke.error} />}
      {keys.isPending ? (
        <Spinner />
      ) : keys.isError ? (
        <QueryError error={keys.error} onRetry={() => void keys.refetch()} />
      ) : keys.data.length === 0 ? (
        <p className="muted">{t('apiKeys.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label={t('settings.apiKeys')}>
            <thead>
              <tr>
                <th scope="col">{t('apiKeys.name')}</th>
                <th scope="col">{t('apiKeys.prefix')}</th>
                <th scope="col">{t('apiKeys.role')}</th>
                <th scope="col">{t('apiKeys.createdAt')}</th>
                <th scope="col">{t('apiKeys.lastUsed')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('apiKeys.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.data.map((key) => (
                <tr key={key.id} className={key.revoked_at ? 'table__row--muted' : undefined} data-testid="api-key-row">
                  <td>{key.name}</td>
                  <td>
                    <code>{key.prefix}…</code>
                  </td>
                  <td>{key.role === 'manager' || key.role === 'agent' ? t(`roles.${key.role}`) : key.role}</td>
                  <td>{date(key.created_at)}</td>
                  <td>{date(key.last_used_at)}</td>
                  <td>
                    {key.revoked_at ? (
                      <span className="badge">{t('apiKeys.revokedOn', { date: date(key.revoked_at) })}</span>
                    ) : confirming === key.id ? (
                      <span className="confirm">
                        <button
                          type="button"
                          className="button button--danger button--small"
                          disabled={revoke.isPending}
                          onClick={() => revoke.mutate(key.id, { onSettled: () => setConfirming(null) })}
                        >
                          {t('apiKeys.confirmRevoke')}
                        </button>
                        <button type="button" className="button button--ghost button--small" onClick={() => setConfirming(null)}>
                          {t('app.cancel')}
                        </button>
                      </span>
                    ) : (
                      <button
                        type="button"
                        className="button button--ghost button--small button--danger-text"
                        onClick={() => setConfirming(key.id)}
                        aria-label={t('apiKeys.revokeNamed', { name: key.name })}
                      >
                        {t('apiKeys.revoke')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
