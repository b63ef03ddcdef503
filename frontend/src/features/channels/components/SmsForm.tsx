import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChannelConnection, SmsConnectRequest } from '@/lib/api-types';
import { useConnectSms } from '../api/channels';
import { ChannelError, detail, fieldErrorsOnly, FormField } from './FormField';

const FIELDS = ['account_sid', 'auth_token', 'from_number', 'messaging_service_sid'];

export function SmsForm({ current }: { current: ChannelConnection | undefined }) {
  const { t } = useTranslation();
  const id = useId();
  const connect = useConnectSms();
  const [accountSid, setAccountSid] = useState(() => detail(current, 'account_sid'));
  const [authToken, setAuthToken] = useState('');
  const [fromNumber, setFromNumber] = useState(() => detail(current, 'from_number'));
  const [serviceSid, setServiceSid] = useState(() => detail(current, 'messaging_service_sid'));
  const [via, setVia] = useState<'number' | 'service'>(() => (detail(current, 'messaging_service_sid') ? 'service' : 'number'));
  const [saved, setSaved] = useState(false);

  const changed =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      setSaved(false);
    };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const request: SmsConnectRequest = {
      account_sid: accountSid.trim(),
      auth_token: authToken.trim(),
      from_number: via === 'number' ? fromNumber.trim() || null : null,
      messaging_service_sid: via === 'service' ? serviceSid.trim() || null : null,
    };
    connect.mutate(request, {
      onSuccess: () => {
        setAuthToken(''); // write-only: forget it once the server has it
        setSaved(true);
      },
    });
  };

  return (
    <form className="card stack" onSubmit={submit} aria-labelledby={`${id}-title`} data-testid="sms-form">
      <h2 id={`${id}-title`} className="card__title">
        {current?.status === 'connected' ? t('channelsScreen.sms.update') : t('channelsScreen.sms.title')}
      </h2>
      <p className="muted small">{t('channelsScreen.sms.intro')}</p>
      {connect.isError && !fieldErrorsOnly(connect.error, FIELDS) && <ChannelError error={connect.error} provider="sms" />}
      {saved && (
        <p role="status" className="alert alert--success">
          {t('channelsScreen.sms.connected')}
        </p>
      )}
      <div className="field-row field-row--even">
        <FormField
          id={`${id}-sid`}
          label={t('channelsScreen.sms.accountSid')}
          value={accountSid}
          onChange={changed(setAccountSid)}
          error={connect.error}
          field="account_sid"
          placeholder="AC…"
        />
        <FormField
          id={`${id}-token`}
          label={t('channelsScreen.sms.authToken')}
          type="password"
          value={authToken}
          onChange={changed(setAuthToken)}
          error={connect.error}
          field="auth_token"
          hint={t('channelsScreen.writeOnlyHint')}
        />
      </div>
      <fieldset className="fieldset">
        <legend>{t('channelsScreen.sms.sendFrom')}</legend>
        <div className="field-row">
          <label className="checkbox">
            <input type="radio" name={`${id}-via`} checked={via === 'number'} onChange={() => changed(setVia)('number')} />
            <span>{t('channelsScreen.sms.fromNumber')}</span>
          </label>
          <label className="checkbox">
            <input type="radio" name={`${id}-via`} checked={via === 'service'} onChange={() => changed(setVia)('service')} />
            <span>{t('channelsScreen.sms.messagingService')}</span>
          </label>
        </div>
        {via === 'number' ? (
          <FormField
            id={`${id}-from`}
            label={t('channelsScreen.sms.fromNumberLabel')}
            value={fromNumber}
            onChange={changed(setFromNumber)}
            error={connect.error}
            field="from_number"
            inputMode="tel"
            placeholder="+33757000000"
            hint={t('channelsScreen.sms.fromNumberHint')}
          />
        ) : (
          <FormField
            id={`${id}-service`}
            label={t('channelsScreen.sms.messagingServiceLabel')}
            value={serviceSid}
            onChange={changed(setServiceSid)}
            error={connect.error}
            field="messaging_service_sid"
            placeholder="MG…"
          />
        )}
      </fieldset>
      <div className="actions actions--start">
        <button type="submit" className="button button--primary" disabled={connect.isPending} aria-busy={connect.isPending}>
          {connect.isPending ? t('channelsScreen.sms.checking') : t('channelsScreen.save')}
        </button>
      </div>
    </form>
  );
}
