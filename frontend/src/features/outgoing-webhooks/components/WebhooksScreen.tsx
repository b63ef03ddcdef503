import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '@/components/ErrorMessage';
import { Spinner } from '@/components/LoadingScreen';
import { QueryError } from '@/components/NotAvailable';
import { SecretShownOnce } from '@/components/SecretShownOnce';
import { WEBHOOK_EVENTS, type WebhookSubscription, type WebhookSubscriptionCreated } from '@/lib/api-types';
import { useSession } from '@/lib/auth';
import { formatDateTime } from '@/lib/format';
import { useDocumentTitle } from '@/lib/use-document-title';
import { useLocaleContext } from '@/lib/use-locale';
import {
  useCreateSubscription,
  useDeleteSubscription,
  useDeliveries,
  useRedeliver,
  useSubscriptions,
  useUpdateSubscription,
} from '../api/webhooks';

const EVENT_LABELS = {
  'message.received': 'webhooks.eventNames.message_received',
  'message.status': 'webhooks.eventNames.message_status',
  'conversation.assigned': 'webhooks.eventNames.conversation_assigned',
  'scheduled_send.done': 'webhooks.eventNames.scheduled_send_done',
} as const;

/** The signing secret, shown once: integrators need it to check X-GMC-Signature. */
function NewSecret({ created, onDone }: { created: WebhookSubscriptionCreated; onDone: () => void }) {
  const { t } = useTranslation();
  return (
    <SecretShownOnce
      title={t('webhooks.secretTitle')}
      value={created.secret}
      warning={t('webhooks.secretOnce')}
      copyLabel={t('webhooks.secretCopy')}
      copiedLabel={t('webhooks.secretCopied')}
      dismissLabel={t('webhooks.secretDone')}
      onDismiss={onDone}
      testId="webhook-secret"
      valueTestId="webhook-secret-value"
    />
  );
}

function DeliveryLog({ subscription }: { subscription: WebhookSubscription }) {
  const { t } = useTranslation();
  const { locale, timeZone } = useLocaleContext();
  const deliveries = useDeliveries(subscription.id);
  const redeliver = useRedeliver(subscription.id);
  const date = (iso: string) => formatDateTime(iso, locale, timeZone);
  if (deliveries.isPending) return <Spinner />;
  if (deliveries.isError) return <QueryError error={deliveries.error} onRetry={() => void deliveries.refetch()} />;
  if (deliveries.data.length === 0) return <p className="muted">{t('webhooks.noDeliveries')}</p>;
  return (
    <div className="table-wrap">
      {redeliver.isError && <ErrorMessage error={redeliver.error} />}
      <table className="table" aria-label={t('webhooks.log')}>
        <thead>
          <tr>
            <th scope="col">{t('webhooks.event')}</th>
            <th scope="col">{t('webhooks.state')}</th>
            <th scope="col">{t('webhooks.attempts')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('webhooks.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {deliveries.data.map((delivery) => (
            <tr key={delivery.id} data-testid="webhook-delivery">
              <td>
                <code>{delivery.event_type}</code>
                <br />
                <span className="muted">{date(delivery.created_at)}</span>
              </td>
              <td>
                {t(`webhooks.states.${delivery.state}`, { defaultValue: delivery.state })}
                {delivery.state === 'pending' && delivery.next_attempt_at && (
                  <span className="muted"> · {t('webhooks.nextAt', { date: date(delivery.next_attempt_at) })}</span>
                )}
                {delivery.last_error && <div className="muted">{delivery.last_error}</div>}
              </td>
              <td>
                <ol className="attempts">
                  {delivery.attempt_log.map((attempt) => (
                    <li key={attempt.attempted_at}>
                      {date(attempt.attempted_at)} — {attempt.status_code ?? attempt.error ?? '—'} ·{' '}
                      {t('webhooks.latency', { ms: attempt.latency_ms })}
                    </li>
                  ))}
                </ol>
              </td>
              <td>
                <button
                  type="button"
                  className="button button--small"
                  disabled={redeliver.isPending}
                  onClick={() => redeliver.mutate(delivery.id)}
                >
                  {t('webhooks.redeliver')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function SubscriptionCard({ subscription }: { subscription: WebhookSubscription }) {
  const { t } = useTranslation();
  const update = useUpdateSubscription();
  const remove = useDeleteSubscription();
  const [showLog, setShowLog] = useState(false);
  const [confirming, setConfirming] = useState(false);
  return (
    <li className="card stack" data-testid="webhook-subscription">
      <p>
        <code>{subscription.url}</code> {subscription.active ? '' : <span className="badge">{t('webhooks.paused')}</span>}
      </p>
      {subscription.description && <p className="muted">{subscription.description}</p>}
      <p className="muted">{subscription.event_types.join(', ')}</p>
      {(update.isError || remove.isError) && <ErrorMessage error={update.error ?? remove.error} />}
      <div className="actions actions--start">
        <button type="button" className="button button--small" onClick={() => setShowLog((shown) => !shown)}>
          {showLog ? t('webhooks.hideLog') : t('webhooks.showLog')}
        </button>
        <button
          type="button"
          className="button button--small button--ghost"
          disabled={update.isPending}
          onClick={() => update.mutate({ id: subscription.id, active: !subscription.active })}
        >
          {subscription.active ? t('webhooks.pause') : t('webhooks.resume')}
        </button>
        {confirming ? (
          <>
            <button
              type="button"
              className="button button--small button--danger"
              onClick={() => remove.mutate(subscription.id)}
            >
              {t('webhooks.confirmDelete')}
            </button>
            <button type="button" className="button button--small button--ghost" onClick={() => setConfirming(false)}>
              {t('app.cancel')}
            </button>
          </>
        ) : (
          <button
            type="button"
            className="button button--small button--ghost button--danger-text"
            onClick={() => setConfirming(true)}
          >
            {t('webhooks.delete')}
          </button>
        )}
      </div>
      {showLog && <DeliveryLog subscription={subscription} />}
    </li>
  );
}

/** Subscriptions to events for integrators: signing secret shown once, delivery log, redelivery. */
export function WebhooksScreen() {
  const { t } = useTranslation();
  const id = useId();
  const me = useSession();
  const allowed = me.role === 'owner' || me.role === 'manager';
  const subscriptions = useSubscriptions();
  const create = useCreateSubscription();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<string[]>(['message.received']);
  const [created, setCreated] = useState<WebhookSubscriptionCreated | null>(null);
  useDocumentTitle(t('webhooks.title'));

  if (!allowed) {
    return (
      <div className="stack">
        <h1 className="page__title">{t('webhooks.title')}</h1>
        <p className="muted">{t('webhooks.managersOnly')}</p>
      </div>
    );
  }

  const toggle = (event: string) =>
    setEvents((current) => (current.includes(event) ? current.filter((e) => e !== event) : [...current, event]));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { url: url.trim(), description: description.trim(), event_types: events },
      {
        onSuccess: (result) => {
          setCreated(result);
          setUrl('');
          setDescription('');
        },
      },
    );
  };

  return (
    <div className="stack">
      <h1 className="page__title">{t('webhooks.title')}</h1>
      <p className="muted">{t('webhooks.intro')}</p>
      <p className="muted">{t('webhooks.signing')}</p>
      {created && <NewSecret created={created} onDone={() => setCreated(null)} />}
      <form className="card stack" onSubmit={submit} aria-labelledby={`${id}-title`}>
        <h2 id={`${id}-title`} className="card__title">
          {t('webhooks.create')}
        </h2>
        {create.isError && <ErrorMessage error={create.error} />}
        <div className="field">
          <label htmlFor={`${id}-url`}>{t('webhooks.url')}</label>
          <input
            id={`${id}-url`}
            className="input"
            type="url"
            required
            value={url}
            placeholder="https://example.com/hooks/guest-messages"
            onChange={(event) => setUrl(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-description`}>{t('webhooks.description')}</label>
          <input
            id={`${id}-description`}
            className="input"
            maxLength={200}
            value={description}
            onChange={(event) => setDescription(event.target.value)}
          />
        </div>
        <fieldset className="field">
          <legend>{t('webhooks.events')}</legend>
          {WEBHOOK_EVENTS.map((event) => (
            <label key={event} className="checkbox">
              <input type="checkbox" checked={events.includes(event)} onChange={() => toggle(event)} />{' '}
              {t(EVENT_LABELS[event])} <code>{event}</code>
            </label>
          ))}
        </fieldset>
        <div className="actions actions--start">
          <button
            type="submit"
            className="button button--primary"
            disabled={create.isPending || !url.trim() || events.length === 0}
          >
            {t('webhooks.createButton')}
          </button>
        </div>
      </form>
      {subscriptions.isPending ? (
        <Spinner />
      ) : subscriptions.isError ? (
        <QueryError error={subscriptions.error} onRetry={() => void subscriptions.refetch()} />
      ) : subscriptions.data.length === 0 ? (
        <p className="muted">{t('webhooks.empty')}</p>
      ) : (
        <ul className="stack">
          {subscriptions.data.map((subscription) => (
            <SubscriptionCard key={subscription.id} subscription={subscription} />
          ))}
        </ul>
      )}
    </div>
  );
}
