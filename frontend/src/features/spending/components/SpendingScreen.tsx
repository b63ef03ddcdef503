import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ErrorMessage } from '@/components/ErrorMessage';
import { Spinner } from '@/components/LoadingScreen';
import { QueryError } from '@/components/NotAvailable';
import type { ChannelSpend } from '@/lib/api-types';
import { useSession } from '@/lib/auth';
import { formatDateTime, formatMoney, formatMonth } from '@/lib/format';
import { useDocumentTitle } from '@/lib/use-document-title';
import { useLocaleContext } from '@/lib/use-locale';
import { useHeldMessages, useSaveCap, useSendAnyway, useSpending } from '../api/spending';

function CapForm({ row, currency, canEdit }: { row: ChannelSpend; currency: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const { locale } = useLocaleContext();
  const id = useId();
  const save = useSaveCap();
  const [value, setValue] = useState(row.monthly_cap ?? '');
  const channelName = t(`channels.${row.channel}`, { defaultValue: row.channel });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ channel: row.channel, monthlyCap: value.trim() === '' ? null : value.trim() });
  };
  return (
    <form className="card stack" onSubmit={submit} data-testid={`cap-${row.channel}`}>
      <h2 className="card__title">{channelName}</h2>
      <p>
        {t('spending.spentThisMonth', {
          spent: formatMoney(row.spent, currency, locale),
          count: row.sends,
        })}{' '}
        {row.monthly_cap !== null
          ? t('spending.remaining', { amount: formatMoney(row.remaining ?? '0', currency, locale) })
          : t('spending.noCap')}
      </p>
      {row.held > 0 && (
        <p className="alert alert--warning" role="status">
          {t('spending.heldCount', { count: row.held })}
        </p>
      )}
      {save.isError && <ErrorMessage error={save.error} />}
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-cap`}>{t('spending.cap', { currency })}</label>
          <input
            id={`${id}-cap`}
            className="input"
            inputMode="decimal"
            value={value}
            disabled={!canEdit}
            placeholder={t('spending.capPlaceholder')}
            onChange={(event) => setValue(event.target.value)}
          />
        </div>
      </div>
      {canEdit && (
        <div className="actions actions--start">
          <button type="submit" className="button button--primary button--small" disabled={save.isPending}>
            {t('spending.save')}
          </button>
        </div>
      )}
    </form>
  );
}

/** Monthly caps per paid channel, and the sends they hold (with "send anyway"). */
export function SpendingScreen() {
  const { t } = useTranslation();
  const { locale, timeZone } = useLocaleContext();
  const me = useSession();
  const canEdit = me.role === 'owner' || me.role === 'manager';
  const spending = useSpending();
  const held = useHeldMessages();
  const sendAnyway = useSendAnyway();
  useDocumentTitle(t('spending.title'));

  return (
    <div className="stack">
      <h1 className="page__title">{t('spending.title')}</h1>
      <p className="muted">{t('spending.intro')}</p>
      {spending.isPending ? (
        <Spinner />
      ) : spending.isError ? (
        <QueryError error={spending.error} onRetry={() => void spending.refetch()} />
      ) : (
        <>
          <p>{t('spending.month', { month: formatMonth(spending.data.month, locale) })}</p>
          {spending.data.channels.map((row) => (
            <CapForm
              key={`${row.channel}-${row.monthly_cap ?? ''}`}
              row={row}
              currency={spending.data.currency}
              canEdit={canEdit}
            />
          ))}
        </>
      )}
      <h2 className="card__title">{t('spending.heldTitle')}</h2>
      {sendAnyway.isError && <ErrorMessage error={sendAnyway.error} />}
      {held.isPending ? (
        <Spinner />
      ) : held.isError ? (
        <QueryError error={held.error} onRetry={() => void held.refetch()} />
      ) : held.data.length === 0 ? (
        <p className="muted">{t('spending.noneHeld')}</p>
      ) : (
        <ul className="stack" data-testid="held-messages">
          {held.data.map((message) => (
            <li key={message.id} className="card">
              <p>
                <Link to={`/conversations/${message.conversation_id}`}>{message.preview}</Link>
              </p>
              <p className="muted">
                {t(`channels.${message.channel}`, { defaultValue: message.channel })}
                {message.held_since ? ` · ${formatDateTime(message.held_since, locale, timeZone)}` : ''}
              </p>
              {canEdit && (
                <button
                  type="button"
                  className="button button--small"
                  disabled={sendAnyway.isPending}
                  onClick={() => sendAnyway.mutate(message.id, { onSuccess: () => void held.refetch() })}
                >
                  {t('spending.sendAnyway')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
