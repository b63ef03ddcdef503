import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '@/components/ErrorMessage';
import { Spinner } from '@/components/LoadingScreen';
import { QueryError } from '@/components/NotAvailable';
import { isApiError } from '@/lib/api-client';
import type { ChannelConnection, WhatsAppConnectRequest } from '@/lib/api-types';
import { useSession } from '@/lib/auth';
import { useDocumentTitle } from '@/lib/use-document-title';
import { useChannels, useConnectWhatsApp } from '../api/channels';
import { AirbnbNotice, AirbnbPanel } from './AirbnbPanel';
import { EmailForm } from './EmailForm';
import { SmsForm } from './SmsForm';

const DETAIL_KEYS = [
  'display_phone_number',
  'verified_name',
  'phone_number_id',
  'waba_id',
  'from_number',
  'account_sid',
  'messaging_service_sid',
  'sender',
  'sender_name',
  'host',
  'port',
  'tls',
  'username',
  'reply_to',
  'host_user_id',
] as const;

function ChannelCard({ channel }: { channel: ChannelConnection }) {
  const { t } = useTranslation();
  const details = DETAIL_KEYS.filter((key) => {
    const value = channel.details[key];
    return typeof value === 'string' || typeof value === 'number';
  });
  return (
    <li className="card" data-testid={`channel-${channel.channel}`}>
      <div className="card__line">
        <h2 className="card__title">{t(`channels.${channel.channel}`)}</h2>
        <span className={`badge badge--conn badge--conn-${channel.status}`}>{t(`channelsScreen.status.${channel.status}`)}</span>
      </div>
      {channel.last_error && (
        <p className="alert alert--error">
          <strong>{t('channelsScreen.lastError')}</strong> {channel.last_error}
        </p>
      )}
      {details.length > 0 && (
        <dl className="details">
          {details.map((key) => (
            <div className="details__row" key={key}>
              <dt>{t(`channelsScreen.details.${key}`)}</dt>
              <dd>{String(channel.details[key])}</dd>
            </div>
          ))}
        </dl>
      )}
    </li>
  );
}

const FORM_FIELDS = ['waba_id', 'phone_number_id', 'access_token', 'verify_token', 'app_secret'];

/** A 422 whose every problem is shown under its own field needs no banner on top. */
function fieldErrorsOnly(error: unknown): boolean {
  return isApiError(error) && error.errors.length > 0 && error.errors.every((problem) => FORM_FIELDS.includes(problem.field));
}

const EMPTY: WhatsAppConnectRequest = { waba_id: '', phone_number_id: '', access_token: '', verify_token: '', app_secret: '' };

function WhatsAppForm({ current }: { current: ChannelConnection | undefined }) {
  const { t } = useTranslation();
  const id = useId();
  const connect = useConnectWhatsApp();
  const [form, setForm] = useState<WhatsAppConnectRequest>(() => ({
    ...EMPTY,
    waba_id: typeof current?.details.waba_id === 'string' ? current.details.waba_id : '',
    phone_number_id: typeof current?.details.phone_number_id === 'string' ? current.details.phone_number_id : '',
  }));
  const [saved, setSaved] = useState(false);
  const set = (key: keyof WhatsAppConnectRequest) => (value: string) => {
    setForm((currentForm) => ({ ...currentForm, [key]: value }));
    setSaved(false);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const { app_secret, ...rest } = form;
    const request: WhatsAppConnectRequest = {
      waba_id: rest.waba_id.trim(),
      phone_number_id: rest.phone_number_id.trim(),
      access_token: rest.access_token.trim(),
      verify_token: rest.verify_token.trim(),
      ...(app_secret?.trim() ? { app_secret: app_secret.trim() } : {}),
    };
    connect.mutate(request, {
      // Secrets are write-only: forget them as soon as the server has them.
      onSuccess: () => {
        setForm((currentForm) => ({ ...currentForm, access_token: '', verify_token: '', app_secret: '' }));
        setSaved(true);
      },
    });
  };

  const field = (key: keyof WhatsAppConnectRequest, label: string, options: { secret?: boolean; optional?: boolean; hint?: string } = {}) => {
    const fieldId = `${id}-${key}`;
    const problems = isApiError(connect.error) ? connect.error.errors.filter((error) => error.field === key) : [];
    return (
      <div className="field">
        <label htmlFor={fieldId}>
          {label}
          {options.optional && <span className="muted"> {t('app.optional')}</span>}
        </label>
        <input
          id={fieldId}
          className="input"
          type={options.secret ? 'password' : 'text'}
          autoComplete={options.secret ? 'new-password' : 'off'}
          spellCheck={false}
          required={!options.optional}
          value={form[key] ?? ''}
          aria-describedby={options.hint ? `${fieldId}-hint` : undefined}
          onChange={(event) => set(key)(event.target.value)}
        />
        {options.hint && (
          <p id={`${fieldId}-hint`} className="field__hint">
            {options.hint}
          </p>
        )}
        {problems.map((problem, index) => (
          <p key={index} className="field-problems" role="alert">
            {problem.message}
          </p>
        ))}
      </div>
    );
  };

  return (
    <form className="card stack" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="card__title">
        {current?.status === 'connected' ? t('channelsScreen.whatsappUpdate') : t('channelsScreen.whatsappConnect')}
      </h2>
      <p className="muted small">{t('channelsScreen.whatsappIntro')}</p>
      {connect.isError && !fieldErrorsOnly(connect.error) && <ErrorMessage error={connect.error} />}
      {saved && (
        <p role="status" className="alert alert--success">
          {t('channelsScreen.connected')}
        </p>
      )}
      <div className="field-row">
        {field('waba_id', t('channelsScreen.wabaId'))}
        {field('phone_number_id', t('channelsScreen.phoneNumberId'))}
      </div>
      {field('access_token', t('channelsScreen.accessToken'), { secret: true, hint: t('channelsScreen.secretHint') })}
      {field('verify_token', t('channelsScreen.verifyToken'), { secret: true, hint: t('channelsScreen.verifyTokenHint') })}
      {field('app_secret', t('channelsScreen.appSecret'), { secret: true, optional: true, hint: t('channelsScreen.appSecretHint') })}
      <div className="actions actions--start">
        <button type="submit" className="button button--primary" disabled={connect.isPending} aria-busy={connect.isPending}>
          {connect.isPending ? t('channelsScreen.checking') : t('channelsScreen.save')}
        </button>
      </div>
    </form>
  );
}

export function ChannelsScreen() {
  const { t } = useTranslation();
  const me = useSession();
  const channels = useChannels();
  useDocumentTitle(t('settings.channels'));
  const canConnect = me.role === 'owner' || me.role === 'manager';

  return (
    <div className="stack">
      <h1 className="page__title">{t('settings.channels')}</h1>
      <AirbnbNotice />
      {channels.isPending ? (
        <Spinner />
      ) : channels.isError ? (
        <QueryError error={channels.error} onRetry={() => void channels.refetch()} />
      ) : (
        <>
          <ul className="card-grid" aria-label={t('settings.channels')}>
            {channels.data.map((channel) => (
              <ChannelCard key={channel.channel} channel={channel} />
            ))}
          </ul>
          {canConnect ? (
            <>
              <WhatsAppForm current={channels.data.find((channel) => channel.channel === 'whatsapp')} />
              <SmsForm current={channels.data.find((channel) => channel.channel === 'sms')} />
              <EmailForm current={channels.data.find((channel) => channel.channel === 'email')} />
              <AirbnbPanel current={channels.data.find((channel) => channel.channel === 'airbnb')} />
            </>
          ) : (
            <p className="muted">{t('channelsScreen.managersOnly')}</p>
          )}
        </>
      )}
    </div>
  );
}
