import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '@/components/ErrorMessage';
import { Spinner } from '@/components/LoadingScreen';
import { QueryError } from '@/components/NotAvailable';
import type { ChannelConsent, ConsentChannel, ConsentState } from '@/lib/api-types';
import { formatDateTime } from '@/lib/format';
import { useLocaleContext } from '@/lib/use-locale';
import { useConsents, useRecordConsent } from '../api/consent';

const CHANNELS: ConsentChannel[] = ['whatsapp', 'sms', 'email', 'airbnb'];

function stateKey(channel: ChannelConsent) {
  if (channel.marketing === 'opt_in') return 'consent.state.opt_in' as const;
  if (channel.marketing === 'opt_out') return 'consent.state.opt_out' as const;
  return 'consent.state.unknown' as const;
}

/** Marketing consent per channel, its history, and recording an opt-in or opt-out. */
export function ConsentPanel({ guestId }: { guestId: string }) {
  const { t } = useTranslation();
  const { locale, timeZone } = useLocaleContext();
  const id = useId();
  const register = useConsents(guestId);
  const record = useRecordConsent(guestId);
  const [channel, setChannel] = useState<ConsentChannel>('whatsapp');
  const [state, setState] = useState<ConsentState>('opt_in');
  const [note, setNote] = useState('');
  const [block, setBlock] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    record.mutate(
      { channel, state, note: note.trim() || null, block_channel: state === 'opt_out' && block },
      { onSuccess: () => setNote('') },
    );
  };
  const source = (value: string | null) => (value ? t(`consent.source.${value}`, { defaultValue: value }) : '');

  return (
    <section className="sidebar__section" aria-labelledby={`${id}-title`} data-testid="consent-panel">
      <h3 id={`${id}-title`} className="sidebar__heading">
        {t('consent.title')}
      </h3>
      <p className="muted">{t('consent.intro')}</p>
      {register.isPending ? (
        <Spinner />
      ) : register.isError ? (
        <QueryError error={register.error} onRetry={() => void register.refetch()} />
      ) : (
        <>
          <dl className="details">
            {register.data.channels.map((row) => (
              <div key={row.channel} className="details__row" data-testid={`consent-${row.channel}`}>
                <dt>{t(`channels.${row.channel}`, { defaultValue: row.channel })}</dt>
                <dd>
                  <span className={`badge${row.marketing === 'opt_in' ? ' badge--window-open' : ''}`}>
                    {t(stateKey(row))}
                  </span>
                  {row.blocked && <span className="badge badge--window-closed">{t('consent.blocked')}</span>}
                  {row.since && (
                    <span className="muted">
                      {' '}
                      {t('consent.since', { date: formatDateTime(row.since, locale, timeZone), source: source(row.source) })}
                    </span>
                  )}
                </dd>
              </div>
            ))}
          </dl>
          <details>
            <summary>{t('consent.history', { count: register.data.history.length })}</summary>
            {register.data.history.length === 0 ? (
              <p className="muted">{t('consent.noHistory')}</p>
            ) : (
              <ol className="consent-history" data-testid="consent-history">
                {register.data.history.map((entry) => (
                  <li key={entry.id}>
                    {formatDateTime(entry.recorded_at, locale, timeZone)} —{' '}
                    {t(`channels.${entry.channel}`, { defaultValue: entry.channel })}:{' '}
                    {entry.state === 'opt_in' ? t('consent.state.opt_in') : t('consent.state.opt_out')} (
                    {source(entry.source)}){entry.note ? ` — ${entry.note}` : ''}
                  </li>
                ))}
              </ol>
            )}
          </details>
        </>
      )}
      <form className="stack" onSubmit={submit} aria-label={t('consent.record')}>
        {record.isError && <ErrorMessage error={record.error} />}
        <div className="field-row">
          <div className="field">
            <label htmlFor={`${id}-channel`}>{t('consent.channel')}</label>
            <select
              id={`${id}-channel`}
              className="select"
              value={channel}
              onChange={(event) => setChannel(event.target.value as ConsentChannel)}
            >
              {CHANNELS.map((value) => (
                <option key={value} value={value}>
                  {t(`channels.${value}`, { defaultValue: value })}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-state`}>{t('consent.choice')}</label>
            <select
              id={`${id}-state`}
              className="select"
              value={state}
              onChange={(event) => setState(event.target.value as ConsentState)}
            >
              <option value="opt_in">{t('consent.state.opt_in')}</option>
              <option value="opt_out">{t('consent.state.opt_out')}</option>
            </select>
          </div>
        </div>
        <div className="field">
          <label htmlFor={`${id}-note`}>{t('consent.note')}</label>
          <input
            id={`${id}-note`}
            className="input"
            value={note}
            maxLength={500}
            placeholder={t('consent.notePlaceholder')}
            onChange={(event) => setNote(event.target.value)}
          />
        </div>
        {state === 'opt_out' && (
          <label className="checkbox">
            <input type="checkbox" checked={block} onChange={(event) => setBlock(event.target.checked)} />{' '}
            {t('consent.blockChannel')}
          </label>
        )}
        <div className="actions actions--start">
          <button type="submit" className="button button--small button--primary" disabled={record.isPending}>
            {t('consent.save')}
          </button>
        </div>
      </form>
    </section>
  );
}
