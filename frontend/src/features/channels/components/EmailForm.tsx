import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChannelConnection, EmailConnectRequest, EmailTls } from '@/lib/api-types';
import { useSession } from '@/lib/auth';
import { useConnectEmail, useSendTestEmail } from '../api/channels';
import { ChannelError, detail, fieldErrorsOnly, FormField } from './FormField';

const FIELDS = ['host', 'port', 'tls', 'username', 'password', 'sender_address', 'sender_name', 'reply_to'];
const TLS_OPTIONS: EmailTls[] = ['starttls', 'tls', 'none'];
const DEFAULT_PORT: Record<EmailTls, string> = { starttls: '587', tls: '465', none: '25' };

function TestEmail({ canTest }: { canTest: boolean }) {
  const { t } = useTranslation();
  const me = useSession();
  const id = useId();
  const test = useSendTestEmail();
  const [to, setTo] = useState(me.user.email);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    test.mutate(to.trim());
  };

  return (
    <form className="stack test-email" onSubmit={submit} aria-labelledby={`${id}-title`} data-testid="email-test">
      <h3 id={`${id}-title`} className="card__subtitle">
        {t('channelsScreen.email.testTitle')}
      </h3>
      <div className="input-group">
        <label htmlFor={`${id}-to`} className="visually-hidden">
          {t('channelsScreen.email.testTo')}
        </label>
        <input
          id={`${id}-to`}
          className="input"
          type="email"
          value={to}
          placeholder={t('channelsScreen.email.testTo')}
          onChange={(event) => setTo(event.target.value)}
        />
        <button type="submit" className="button" disabled={!canTest || test.isPending || to.trim().length < 3} aria-busy={test.isPending}>
          {test.isPending ? t('channelsScreen.email.testSending') : t('channelsScreen.email.testSend')}
        </button>
      </div>
      {test.isError && <ChannelError error={test.error} provider="email" />}
      {test.data && (
        <div role="status" className={`alert ${test.data.ok ? 'alert--success' : 'alert--error'}`} data-testid="email-test-result">
          <p>{t('channelsScreen.email.testSent')}</p>
          <p>
            {t('channelsScreen.email.serverReply')} <code>{test.data.server_reply}</code>
          </p>
        </div>
      )}
    </form>
  );
}

export function EmailForm({ current }: { current: ChannelConnection | undefined }) {
  const { t } = useTranslation();
  const id = useId();
  const connect = useConnectEmail();
  const initialTls = (TLS_OPTIONS as string[]).includes(detail(current, 'tls')) ? (detail(current, 'tls') as EmailTls) : 'starttls';
  const [form, setForm] = useState(() => ({
    host: detail(current, 'host'),
    port: detail(current, 'port') || DEFAULT_PORT[initialTls],
    tls: initialTls,
    username: detail(current, 'username'),
    password: '',
    sender_address: detail(current, 'sender'),
    sender_name: detail(current, 'sender_name'),
    reply_to: detail(current, 'reply_to'),
  }));
  const [saved, setSaved] = useState(false);
  const set = (key: keyof typeof form) => (value: string) => {
    setForm((currentForm) => {
      const next = { ...currentForm, [key]: value };
      // Follow the usual port of the security chosen, unless a custom port was typed.
      if (key === 'tls' && Object.values(DEFAULT_PORT).includes(currentForm.port)) next.port = DEFAULT_PORT[value as EmailTls];
      return next;
    });
    setSaved(false);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const optional = (value: string) => value.trim() || null;
    const request: EmailConnectRequest = {
      host: form.host.trim(),
      port: Number(form.port),
      tls: form.tls,
      username: optional(form.username),
      password: form.password ? form.password : null,
      sender_address: form.sender_address.trim(),
      sender_name: form.sender_name.trim(),
      reply_to: optional(form.reply_to),
    };
    connect.mutate(request, {
      onSuccess: () => {
        setForm((currentForm) => ({ ...currentForm, password: '' }));
        setSaved(true);
      },
    });
  };

  return (
    <div className="card stack" data-testid="email-form">
      <form className="stack" onSubmit={submit} aria-labelledby={`${id}-title`}>
        <h2 id={`${id}-title`} className="card__title">
          {current?.status === 'connected' ? t('channelsScreen.email.update') : t('channelsScreen.email.title')}
        </h2>
        <p className="muted small">{t('channelsScreen.email.intro')}</p>
        {connect.isError && !fieldErrorsOnly(connect.error, FIELDS) && <ChannelError error={connect.error} provider="email" />}
        {saved && (
          <p role="status" className="alert alert--success">
            {t('channelsScreen.email.connected')}
          </p>
        )}
        <div className="field-row">
          <div className="field--grow">
            <FormField id={`${id}-host`} label={t('channelsScreen.email.host')} value={form.host} onChange={set('host')} error={connect.error} field="host" placeholder="smtp.example.com" />
          </div>
          <div className="field">
            <label htmlFor={`${id}-tls`}>{t('channelsScreen.email.tls')}</label>
            <select id={`${id}-tls`} className="select" value={form.tls} onChange={(event) => set('tls')(event.target.value)}>
              {TLS_OPTIONS.map((option) => (
                <option key={option} value={option}>
                  {t(`channelsScreen.email.tlsOptions.${option}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field--port">
            <FormField id={`${id}-port`} label={t('channelsScreen.email.port')} type="number" inputMode="numeric" value={form.port} onChange={set('port')} error={connect.error} field="port" />
          </div>
        </div>
        <div className="field-row">
          <div className="field--grow">
            <FormField id={`${id}-username`} label={t('channelsScreen.email.username')} optional value={form.username} onChange={set('username')} error={connect.error} field="username" />
          </div>
          <div className="field--grow">
            <FormField
              id={`${id}-password`}
              label={t('channelsScreen.email.password')}
              type="password"
              optional
              value={form.password}
              onChange={set('password')}
              error={connect.error}
              field="password"
              hint={t('channelsScreen.optionalSecretHint')}
            />
          </div>
        </div>
        <div className="field-row">
          <div className="field--grow">
            <FormField id={`${id}-sender`} label={t('channelsScreen.email.senderAddress')} type="email" value={form.sender_address} onChange={set('sender_address')} error={connect.error} field="sender_address" placeholder="contact@hotel.example" />
          </div>
          <div className="field--grow">
            <FormField id={`${id}-sender-name`} label={t('channelsScreen.email.senderName')} value={form.sender_name} onChange={set('sender_name')} error={connect.error} field="sender_name" />
          </div>
        </div>
        <FormField
          id={`${id}-reply-to`}
          label={t('channelsScreen.email.replyTo')}
          optional
          value={form.reply_to}
          onChange={set('reply_to')}
          error={connect.error}
          field="reply_to"
          hint={t('channelsScreen.email.replyToHint')}
        />
        <div className="actions actions--start">
          <button type="submit" className="button button--primary" disabled={connect.isPending} aria-busy={connect.isPending}>
            {connect.isPending ? t('channelsScreen.email.checking') : t('channelsScreen.save')}
          </button>
        </div>
      </form>
      <TestEmail canTest={current?.status === 'connected' || saved} />
    </div>
  );
}
