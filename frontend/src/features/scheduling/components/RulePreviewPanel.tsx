import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '@/components/ErrorMessage';
import { Spinner } from '@/components/LoadingScreen';
import { SmsSegmentCounter } from '@/components/SmsSegmentCounter';
import { CHANNELS, type Booking, type ChannelPreview, type Template } from '@/lib/api-types';
import { formatStay } from '@/lib/format';
import { languageName } from '@/lib/languages';
import { useDebounced } from '@/lib/use-debounced';
import { useLocaleContext } from '@/lib/use-locale';
import { useBookingSearch, usePreviewRule, useWhatsAppTemplates } from '../api/rules';

/** The WhatsApp template's text with its variables named ({{ guest.first_name }}), instead of its id. */
function templateText(template: Template): string {
  const byIndex = new Map(template.body_variables.map((variable) => [variable.index, variable.placeholder]));
  return template.body.replace(/\{\{\s*(\d+)\s*\}\}/g, (token, index: string) => {
    const placeholder = byIndex.get(Number(index));
    return placeholder ? `{{ ${placeholder} }}` : token;
  });
}

function ChannelRendition({ channel, preview, template }: { channel: string; preview: ChannelPreview; template?: Template }) {
  const { t } = useTranslation();
  return (
    <li className="card preview-channel" data-testid={`preview-${channel}`}>
      <div className="card__line">
        <h3 className="card__title">{t(`channels.${channel}` as 'channels.sms')}</h3>
        <span className={`badge ${preview.ok ? 'badge--ok' : 'badge--problem'}`}>
          {preview.ok ? t('scheduling.preview.ok') : t('scheduling.preview.problem')}
        </span>
      </div>
      {preview.problem && (
        <p className="alert alert--error" data-testid="preview-problem">
          {preview.problem}
        </p>
      )}
      {channel === 'email' && preview.ok && (
        <>
          <p className="preview-channel__subject">
            <span className="muted">{t('scheduling.preview.subject')}</span> <strong>{preview.subject}</strong>
          </p>
          {preview.html != null && (
            <iframe
              className="preview-channel__frame"
              title={t('scheduling.preview.emailFrame')}
              sandbox=""
              srcDoc={preview.html}
              data-testid="preview-email-html"
            />
          )}
        </>
      )}
      {channel === 'whatsapp' && template && preview.ok ? (
        <>
          <p className="small">{t('scheduling.preview.template', { name: template.name })}</p>
          <p className="preview-channel__text">{templateText(template)}</p>
        </>
      ) : (
        channel !== 'email' && preview.text != null && <p className="preview-channel__text">{preview.text}</p>
      )}
      {channel === 'sms' && preview.text ? <SmsSegmentCounter text={preview.text} /> : null}
    </li>
  );
}

/** The saved rule rendered for a real booking, channel by channel, with each channel's problem. */
export function RulePreviewPanel({ ruleId, dirty, templateId }: { ruleId: string; dirty: boolean; templateId?: string | null }) {
  const { t } = useTranslation();
  const { locale } = useLocaleContext();
  const id = useId();
  const [q, setQ] = useState('');
  const [chosen, setChosen] = useState<Booking | null>(null);
  const debounced = useDebounced(q.trim(), 300);
  const bookings = useBookingSearch(debounced);
  const preview = usePreviewRule(ruleId);
  const templates = useWhatsAppTemplates();
  const template = templates.data?.find((item) => item.id === templateId);

  const choose = (booking: Booking) => {
    setChosen(booking);
    if (booking.external_ref) preview.mutate(booking.external_ref);
  };

  const result = preview.data;
  const channels = result ? CHANNELS.filter((channel) => result.channels[channel]) : [];

  return (
    <div className="stack preview-panel">
      <h2 className="editor__preview-title">{t('scheduling.preview.title')}</h2>
      <p className="muted small">{dirty ? t('scheduling.preview.savedVersion') : t('scheduling.preview.intro')}</p>
      <div className="field">
        <label htmlFor={`${id}-q`}>{t('scheduling.preview.booking')}</label>
        <input
          id={`${id}-q`}
          className="input"
          type="search"
          value={q}
          placeholder={t('scheduling.preview.bookingPlaceholder')}
          onChange={(event) => setQ(event.target.value)}
        />
      </div>
      {bookings.isError ? (
        <ErrorMessage error={bookings.error} />
      ) : bookings.data ? (
        bookings.data.items.length === 0 ? (
          <p className="muted small">{t('scheduling.preview.noBooking')}</p>
        ) : (
          <ul className="pick-list pick-list--compact" aria-label={t('scheduling.preview.bookings')}>
            {bookings.data.items.map((booking) => (
              <li key={booking.id}>
                <button
                  type="button"
                  className={`pick-list__item${chosen?.id === booking.id ? ' pick-list__item--selected' : ''}`}
                  aria-pressed={chosen?.id === booking.id}
                  onClick={() => choose(booking)}
                  data-testid="preview-booking"
                >
                  <span className="pick-list__title">
                    {booking.guest.display_name} · {booking.external_ref}
                  </span>
                  <span className="pick-list__meta muted">
                    {formatStay(booking.check_in, booking.check_out, locale)}
                    {booking.guest.language ? ` · ${languageName(booking.guest.language, locale)}` : ''}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )
      ) : (
        <Spinner />
      )}
      {chosen && (
        <div className="actions actions--start">
          <button
            type="button"
            className="button button--small"
            disabled={preview.isPending}
            onClick={() => chosen.external_ref && preview.mutate(chosen.external_ref)}
          >
            {t('scheduling.preview.refresh')}
          </button>
        </div>
      )}
      {preview.isPending && <Spinner label={t('scheduling.preview.rendering')} />}
      {preview.isError && <ErrorMessage error={preview.error} />}
      {result && !preview.isPending && (
        <div className="stack" data-testid="rule-preview">
          <p className="small">
            {t('scheduling.preview.for', { ref: result.booking_ref })} ·{' '}
            {result.language === 'default'
              ? t('scheduling.content.default')
              : t('scheduling.preview.language', { language: languageName(result.language, locale) })}
          </p>
          <ol className="card-list" aria-label={t('scheduling.preview.channels')}>
            {channels.map((channel) => (
              <ChannelRendition key={channel} channel={channel} preview={result.channels[channel]!} template={template} />
            ))}
          </ol>
        </div>
      )}
    </div>
  );
}
