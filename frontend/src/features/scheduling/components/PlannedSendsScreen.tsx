import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { Spinner } from '@/components/LoadingScreen';
import { QueryError } from '@/components/NotAvailable';
import { isNotFound } from '@/lib/api-client';
import { PLANNED_STATES, type PlannedSendFilters } from '@/lib/api-types';
import { useDocumentTitle } from '@/lib/use-document-title';
import { useBookingByRef, useRules } from '../api/rules';
import { PlannedSendsTable } from './PlannedSendsTable';
import { ScheduledNav } from './ScheduledNav';
import '../scheduling.css';

/** Every planned send of the property; filters live in the URL (?rule=…&state=…&booking=REF). */
export function PlannedSendsScreen() {
  const { t } = useTranslation();
  const id = useId();
  const [params, setParams] = useSearchParams();
  const rules = useRules();
  useDocumentTitle(t('scheduling.planned.title'));

  const ruleId = params.get('rule') ?? '';
  const state = params.get('state') ?? '';
  const bookingRef = params.get('booking') ?? '';
  const [refInput, setRefInput] = useState(bookingRef);
  const booking = useBookingByRef(bookingRef);

  const setParam = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  const onBooking = (event: FormEvent) => {
    event.preventDefault();
    setParam('booking', refInput.trim());
  };

  const filters: PlannedSendFilters = {
    ...(ruleId ? { rule_id: ruleId } : {}),
    ...(state ? { state } : {}),
    ...(bookingRef && booking.data ? { booking_id: booking.data.id } : {}),
  };

  let table;
  if (bookingRef && booking.isPending) table = <Spinner />;
  else if (bookingRef && booking.isError)
    table = isNotFound(booking.error) ? (
      <p className="empty-state" role="status">
        {t('scheduling.planned.noSuchBooking', { ref: bookingRef })}
      </p>
    ) : (
      <QueryError error={booking.error} />
    );
  else table = <PlannedSendsTable filters={filters} showRule={!ruleId} />;

  return (
    <main id="main" tabIndex={-1} className="page page--wide">
      <header className="page__header">
        <h1 className="page__title">{t('scheduling.title')}</h1>
      </header>
      <ScheduledNav />
      <p className="muted page__intro">{t('scheduling.planned.intro')}</p>
      <div className="filters filters--bar" role="search" aria-label={t('filters.label')}>
        <div className="field">
          <label htmlFor={`${id}-rule`}>{t('scheduling.planned.rule')}</label>
          <select id={`${id}-rule`} className="select select--compact" value={ruleId} onChange={(event) => setParam('rule', event.target.value)}>
            <option value="">{t('scheduling.planned.allRules')}</option>
            {(rules.data ?? []).map((rule) => (
              <option key={rule.id} value={rule.id}>
                {rule.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-state`}>{t('scheduling.planned.state')}</label>
          <select id={`${id}-state`} className="select select--compact" value={state} onChange={(event) => setParam('state', event.target.value)}>
            <option value="">{t('scheduling.planned.allStates')}</option>
            {PLANNED_STATES.map((value) => (
              <option key={value} value={value}>
                {t(`scheduling.states.${value}`)}
              </option>
            ))}
          </select>
        </div>
        <form className="field" onSubmit={onBooking}>
          <label htmlFor={`${id}-booking`}>{t('scheduling.planned.bookingRef')}</label>
          <span className="input-group">
            <input
              id={`${id}-booking`}
              className="input input--compact"
              type="search"
              value={refInput}
              placeholder="DEMO-1001"
              onChange={(event) => {
                setRefInput(event.target.value);
                if (!event.target.value) setParam('booking', '');
              }}
            />
            <button type="submit" className="button button--small">
              {t('scheduling.planned.filter')}
            </button>
          </span>
        </form>
      </div>
      {table}
    </main>
  );
}
