import { type FormEvent, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ErrorMessage } from '@/components/ErrorMessage';
import { FieldProblems } from '@/components/FieldProblems';
import { Spinner } from '@/components/LoadingScreen';
import { isApiError } from '@/lib/api-client';
import type { AttentionItem, AttentionKind, AttentionRemedy } from '@/lib/api-types';
import { formatDateTime } from '@/lib/format';
import { useLocaleContext } from '@/lib/use-locale';
import '../attention.css';
import { useAttention, useAttentionSettings, useRemedy, useSaveAttentionSettings } from '../api/attention';

const KINDS: AttentionKind[] = ['failed_send', 'held_send', 'skipped_scheduled', 'waiting_reply'];

/** One queue of what failed or is stuck, across channels, each item with its one-click remedies. */
export function AttentionScreen() {
  const { t } = useTranslation();
  const [kind, setKind] = useState<AttentionKind | null>(null);
  const queue = useAttention(kind);
  const first = queue.data?.pages[0];
  const items = queue.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <main id="main" tabIndex={-1} className="page page--attention">
      <h1>{t('attention.title')}</h1>
      <p className="muted">{t('attention.intro')}</p>
      <div className="attention__kinds" role="group" aria-label={t('attention.filter')}>
        <button type="button" className="toggle" aria-pressed={kind === null} onClick={() => setKind(null)}>
          {t('attention.all')} {first && kind === null ? `(${first.total})` : ''}
        </button>
        {KINDS.map((option) => (
          <button
            key={option}
            type="button"
            className="toggle"
            aria-pressed={kind === option}
            onClick={() => setKind(option)}
          >
            {t(`attention.kinds.${option}`)} {first ? `(${first.counts[option] ?? 0})` : ''}
          </button>
        ))}
      </div>
      {queue.isPending && <Spinner />}
      {queue.isError && <ErrorMessage error={queue.error} onRetry={() => void queue.refetch()} />}
      {queue.isSuccess && items.length === 0 && <p className="muted">{t('attention.empty')}</p>}
      <ul className="attention__list">
        {items.map((item) => (
          <AttentionRow key={`${item.kind}-${item.id}`} item={item} />
        ))}
      </ul>
      {queue.hasNextPage && (
        <button type="button" className="button" disabled={queue.isFetchingNextPage} onClick={() => void queue.fetchNextPage()}>
          {t('attention.more')}
        </button>
      )}
      <ThresholdForm />
    </main>
  );
}

function AttentionRow({ item }: { item: AttentionItem }) {
  const { t } = useTranslation();
  const { locale, timeZone } = useLocaleContext();
  const remedy = useRemedy();
  const channel = item.channel ? t(`channels.${item.channel}`) : null;

  const button = (option: AttentionRemedy) => {
    switch (option.action) {
      case 'open':
        return (
          <Link className="button button--small" to={`/conversations/${item.conversation_id}`}>
            {t('attention.remedies.open')}
          </Link>
        );
      case 'reconnect':
        return (
          <Link className="button button--small" to="/settings/channels">
            {t('attention.remedies.reconnect', { channel: option.channel ? t(`channels.${option.channel}`) : '' })}
          </Link>
        );
      case 'retry':
        return (
          <button
            type="button"
            className="button button--small button--primary"
            disabled={remedy.isPending}
            onClick={() => remedy.mutate({ action: 'retry', messageId: item.id })}
          >
            {t('attention.remedies.retry')}
          </button>
        );
      case 'resend':
        return (
          <button
            type="button"
            className="button button--small"
            disabled={remedy.isPending}
            onClick={() => remedy.mutate({ action: 'resend', messageId: item.id, channel: option.channel! })}
          >
            {t('attention.remedies.resend', { channel: option.channel ? t(`channels.${option.channel}`) : '' })}
          </button>
        );
      case 'dismiss':
        return (
          <button
            type="button"
            className="button button--small button--ghost"
            disabled={remedy.isPending}
            onClick={() => remedy.mutate({ action: 'dismiss', kind: item.kind, id: item.id })}
          >
            {t('attention.remedies.dismiss')}
          </button>
        );
    }
  };

  return (
    <li className={`attention-item attention-item--${item.kind}`} data-testid="attention-item">
      <p className="attention-item__title">
        <strong>{item.guest_name}</strong> · {t(`attention.kinds.${item.kind}`)}
        {channel && ` · ${channel}`}{' '}
        <time className="muted small" dateTime={item.at}>
          {formatDateTime(item.at, locale, timeZone)}
        </time>
      </p>
      {item.preview && <p className="attention-item__preview">{item.preview}</p>}
      {item.reason && (
        <p className="attention-item__reason">
          {t('attention.reason')}: {item.reason}
        </p>
      )}
      {item.retry_refused && <p className="muted small">{t('attention.retryRefused', { reason: item.retry_refused })}</p>}
      <div className="attention-item__remedies" role="group" aria-label={t('attention.remediesLabel')}>
        {item.remedies.map((option) => (
          <span key={`${option.action}-${option.channel ?? ''}`}>{button(option)}</span>
        ))}
      </div>
      {remedy.isError && <ErrorMessage error={remedy.error} />}
    </li>
  );
}

function ThresholdForm() {
  const { t } = useTranslation();
  const id = useId();
  const settings = useAttentionSettings();
  const save = useSaveAttentionSettings();
  const [minutes, setMinutes] = useState('');
  useEffect(() => {
    if (settings.data) setMinutes(String(settings.data.reply_after_minutes));
  }, [settings.data]);
  const problems = isApiError(save.error) ? save.error.errors : [];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ reply_after_minutes: Number(minutes) });
  };

  return (
    <form className="attention__settings" onSubmit={submit}>
      <div className="field">
        <label htmlFor={`${id}-minutes`}>{t('attention.threshold')}</label>
        <input
          id={`${id}-minutes`}
          className="input input--compact"
          type="number"
          min={5}
          value={minutes}
          onChange={(event) => setMinutes(event.target.value)}
        />
        <p className="field__hint">{t('attention.thresholdHint')}</p>
        <FieldProblems id={`${id}-problems`} problems={problems} />
      </div>
      {save.isError && problems.length === 0 && <ErrorMessage error={save.error} />}
      <button type="submit" className="button" disabled={save.isPending || !minutes}>
        {t('attention.saveThreshold')}
      </button>
      {save.isSuccess && <span className="muted small"> {t('attention.saved')}</span>}
    </form>
  );
}
