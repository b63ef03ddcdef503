import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { CHANNELS } from '@/lib/api-types';
import { useSlots } from '@/lib/slots';
import { statusChoice, withParam } from '../utils/filters';
import { channelLabel } from '../utils/labels';

const SEARCH_DELAY_MS = 300;

export function ConversationFilters() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const id = useId();
  const { LabelFilter } = useSlots();
  const set = (key: string, value: string | null) =>
    setParams((current) => withParam(current, key, value), { replace: true });

  // The search box updates the URL (and so the query) after a pause in typing.
  const urlQuery = params.get('q') ?? '';
  const [q, setQ] = useState(urlQuery);
  useEffect(() => setQ(urlQuery), [urlQuery]);
  useEffect(() => {
    if (q.trim() === urlQuery.trim()) return;
    const timer = window.setTimeout(() => set('q', q.trim() || null), SEARCH_DELAY_MS);
    return () => window.clearTimeout(timer);
    // Only typing and URL changes should restart the timer.
  }, [q, urlQuery]);

  return (
    <div className="filters" role="search" aria-label={t('filters.label')}>
      <label htmlFor={`${id}-q`} className="visually-hidden">
        {t('filters.search')}
      </label>
      <input
        id={`${id}-q`}
        className="input input--search"
        type="search"
        placeholder={t('filters.searchPlaceholder')}
        value={q}
        onChange={(event) => setQ(event.target.value)}
      />
      <div className="filters__row">
        <label htmlFor={`${id}-status`} className="visually-hidden">
          {t('filters.status')}
        </label>
        <select
          id={`${id}-status`}
          className="select select--compact"
          value={statusChoice(params)}
          onChange={(event) => set('status', event.target.value === 'open' ? null : event.target.value)}
        >
          <option value="open">{t('filters.statusOpen')}</option>
          <option value="closed">{t('filters.statusClosed')}</option>
          <option value="all">{t('filters.statusAll')}</option>
        </select>

        <label htmlFor={`${id}-channel`} className="visually-hidden">
          {t('filters.channel')}
        </label>
        <select
          id={`${id}-channel`}
          className="select select--compact"
          value={params.get('channel') ?? ''}
          onChange={(event) => set('channel', event.target.value || null)}
        >
          <option value="">{t('filters.allChannels')}</option>
          {CHANNELS.map((channel) => (
            <option key={channel} value={channel}>
              {channelLabel(t, channel)}
            </option>
          ))}
        </select>

        <label htmlFor={`${id}-assigned`} className="visually-hidden">
          {t('filters.assigned')}
        </label>
        <select
          id={`${id}-assigned`}
          className="select select--compact"
          value={params.get('assigned') ?? ''}
          onChange={(event) => set('assigned', event.target.value || null)}
        >
          <option value="">{t('filters.assignedAny')}</option>
          <option value="me">{t('filters.assignedMe')}</option>
          <option value="unassigned">{t('filters.assignedUnassigned')}</option>
        </select>

        {LabelFilter && <LabelFilter value={params.get('label')} onChange={(label) => set('label', label)} />}

        <button
          type="button"
          className="toggle"
          aria-pressed={params.get('unread') === '1'}
          onClick={() => set('unread', params.get('unread') === '1' ? null : '1')}
        >
          {t('filters.unread')}
        </button>
      </div>
    </div>
  );
}
