import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '@/components/ErrorMessage';
import { Spinner } from '@/components/LoadingScreen';
import { QueryError } from '@/components/NotAvailable';
import { isApiError } from '@/lib/api-client';
import type { PlannedAttempt, PlannedSend, PlannedSendFilters } from '@/lib/api-types';
import { formatDateTime, fromZonedInputValue, toZonedInputValue } from '@/lib/format';
import { useLocaleContext } from '@/lib/use-locale';
import { usePlannedSendAction, usePlannedSends } from '../api/planned-sends';

const KNOWN_STATES = ['planned', 'sent', 'skipped', 'cancelled', 'failed'];
const KNOWN_OUTCOMES = ['used', 'skipped', 'failed', 'refused', 'unavailable'];
const KNOWN_CHANNELS = ['whatsapp', 'sms', 'airbnb', 'email'];

export function PlannedStateBadge({ state }: { state: string }) {
  const { t } = useTranslation();
  return (
    <span className={`badge badge--state badge--state-${state}`} data-testid="planned-state">
      {KNOWN_STATES.includes(state) ? t(`scheduling.states.${state as 'planned'}`) : state}
    </span>
  );
}

function Attempts({ attempts }: { attempts: PlannedAttempt[] }) {
  const { t } = useTranslation();
  if (attempts.length === 0) return null;
  return (
    <ol className="attempts" aria-label={t('scheduling.planned.attempts')} data-testid="planned-attempts">
      {attempts.map((attempt, index) => (
        <li key={index} className={`attempts__item attempts__item--${attempt.outcome}`} data-testid="planned-attempt">
          <span className={`badge badge--channel badge--${attempt.channel}`}>
            {KNOWN_CHANNELS.includes(attempt.channel) ? t(`channels.${attempt.channel as 'sms'}`) : attempt.channel}
          </span>{' '}
          <span className="attempts__outcome">
            {KNOWN_OUTCOMES.includes(attempt.outcome)
              ? t(`scheduling.outcomes.${attempt.outcome as 'used'}`)
              : attempt.outcome}
          </span>
          {attempt.reason && <span className="attempts__reason"> — {attempt.reason}</span>}
        </li>
      ))}
    </ol>
  );
}

function PlannedRow({ send, showRule }: { send: PlannedSend; showRule: boolean }) {
  const { t } = useTranslation();
  const { locale, timeZone } = useLocaleContext();
  const id = useId();
  const action = usePlannedSendAction();
  const [rescheduling, setRescheduling] = useState(false);
  const [when, setWhen] = useState('');
  const [invalid, setInvalid] = useState(false);
  const planned = send.state === 'planned';

  const dueAtProblems = isApiError(action.error) ? action.error.errors.filter((error) => error.field === 'due_at') : [];
  const otherError = action.isError && dueAtProblems.length === 0 ? action.error : null;

  const openReschedule = () => {
    setWhen(toZonedInputValue(send.due_at, timeZone));
    setInvalid(false);
    action.reset();
    setRescheduling(true);
  };

  const submitReschedule = (event: FormEvent) => {
    event.preventDefault();
    const dueAt = fromZonedInputValue(when, timeZone);
    if (!dueAt) {
      setInvalid(true);
      return;
    }
    action.mutate({ kind: 'reschedule', id: send.id, dueAt }, { onSuccess: () => setRescheduling(false) });
  };

  return (
    <tr data-testid="planned-send" data-state={send.state}>
      <td>
        <span className="planned__guest">{send.guest_name}</span>
      </td>
      <td>{send.booking_ref}</td>
      {showRule && <td>{send.rule_name}</td>}
      <td>
        <time dateTime={send.due_at}>{formatDateTime(send.due_at, locale, timeZone)}</time>
        {send.sent_at && (
          <span className="muted small planned__sent">
            {t('scheduling.planned.sentAt', { when: formatDateTime(send.sent_at, locale, timeZone) })}
          </span>
        )}
      </td>
      <td>
        <PlannedStateBadge state={send.state} />
      </td>
      <td className="table__wrap">
        {send.reason && <p className="planned__reason">{send.reason}</p>}
        <Attempts attempts={send.attempts} />
      </td>
      <td className="table__wrap">
        {planned && !rescheduling && (
          <div className="actions actions--start planned__actions">
            <button
              type="button"
              className="button button--small button--primary"
              disabled={action.isPending}
              onClick={() => action.mutate({ kind: 'send-now', id: send.id })}
            >
              {t('scheduling.planned.sendNow')}
            </button>
            <button
              type="button"
              className="button button--small"
              disabled={action.isPending}
              onClick={() => action.mutate({ kind: 'skip', id: send.id })}
            >
              {t('scheduling.planned.skip')}
            </button>
            <button type="button" className="button button--small button--ghost" disabled={action.isPending} onClick={openReschedule}>
              {t('scheduling.planned.reschedule')}
            </button>
          </div>
        )}
        {planned && rescheduling && (
          <form className="planned__reschedule" onSubmit={submitReschedule} noValidate>
            <label htmlFor={`${id}-when`} className="visually-hidden">
              {t('scheduling.planned.newTime', { guest: send.guest_name })}
            </label>
            <input
              id={`${id}-when`}
              className="input input--compact"
              type="datetime-local"
              value={when}
              aria-invalid={invalid || dueAtProblems.length > 0}
              aria-describedby={`${id}-when-hint`}
              onChange={(event) => {
                setWhen(event.target.value);
                setInvalid(false);
              }}
            />
            <span id={`${id}-when-hint`} className="muted small">
              {t('scheduling.planned.timeZoneHint', { timeZone: timeZone ?? '' })}
            </span>
            <span className="actions actions--start">
              <button type="submit" className="button button--small button--primary" disabled={action.isPending}>
                {t('scheduling.planned.saveTime')}
              </button>
              <button type="button" className="button button--small button--ghost" onClick={() => setRescheduling(false)}>
                {t('app.cancel')}
              </button>
            </span>
            {(invalid || dueAtProblems.length > 0) && (
              <p className="field-problems" role="alert">
                {invalid ? t('scheduling.planned.invalidTime') : dueAtProblems.map((problem) => problem.message).join(' ')}
              </p>
            )}
          </form>
        )}
        {otherError !== null && <ErrorMessage error={otherError} />}
      </td>
    </tr>
  );
}

/** Planned sends matching `filters`, by due time; actions on the ones still planned. */
export function PlannedSendsTable({ filters, showRule = true }: { filters: PlannedSendFilters; showRule?: boolean }) {
  const { t } = useTranslation();
  const planned = usePlannedSends(filters);

  if (planned.isPending) return <Spinner />;
  if (planned.isError) return <QueryError error={planned.error} onRetry={() => void planned.refetch()} />;
  const items = planned.data.pages.flatMap((page) => page.items);
  if (items.length === 0) {
    return (
      <div className="empty-state" data-testid="planned-empty">
        <p>{t('scheduling.planned.empty')}</p>
      </div>
    );
  }
  return (
    <div className="stack">
      <div className="table-wrap">
        <table className="table planned" aria-label={t('scheduling.planned.title')} data-testid="planned-sends">
          <thead>
            <tr>
              <th scope="col">{t('scheduling.planned.guest')}</th>
              <th scope="col">{t('scheduling.planned.booking')}</th>
              {showRule && <th scope="col">{t('scheduling.planned.rule')}</th>}
              <th scope="col">{t('scheduling.planned.due')}</th>
              <th scope="col">{t('scheduling.planned.state')}</th>
              <th scope="col">{t('scheduling.planned.details')}</th>
              <th scope="col">{t('scheduling.planned.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((send) => (
              <PlannedRow key={send.id} send={send} showRule={showRule} />
            ))}
          </tbody>
        </table>
      </div>
      {planned.hasNextPage && (
        <div className="actions actions--start">
          <button
            type="button"
            className="button button--small"
            disabled={planned.isFetchingNextPage}
            onClick={() => void planned.fetchNextPage()}
          >
            {planned.isFetchingNextPage ? t('app.loading') : t('scheduling.planned.more')}
          </button>
        </div>
      )}
    </div>
  );
}
