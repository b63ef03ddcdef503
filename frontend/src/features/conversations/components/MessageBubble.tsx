import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Message } from '@/lib/api-types';
import { codeMessage } from '@/lib/errors';
import { formatDateTime, formatMoney, formatTime } from '@/lib/format';
import { useLocaleContext } from '@/lib/use-locale';
import { messageStatusLabel } from '../utils/labels';
import { ChannelBadge } from './ChannelBadge';

function authorLabel(t: TFunction, message: Message): string | null {
  switch (message.author.type) {
    case 'guest':
      return null; // the conversation header already names the guest
    case 'user':
      return message.author.name;
    case 'scheduler':
      return message.rule_name
        ? t('message.scheduledRule', { rule: message.rule_name })
        : t('message.scheduled');
    case 'system':
      return t('message.system');
    default:
      return message.author.name;
  }
}

export function MessageBubble({ message }: { message: Message }) {
  const { t } = useTranslation();
  const { locale, timeZone } = useLocaleContext();
  const isNote = message.kind === 'note';
  const side = isNote || message.direction === 'outbound' ? 'outbound' : 'inbound';
  const failed = message.status === 'failed';
  // Waiting for the channel to be reconnected (e.g. Airbnb to be authorised again): it goes out then.
  const paused = message.status === 'queued' && message.error_code === 'channel_paused';
  const author = authorLabel(t, message);

  return (
    <li
      className={`msg msg--${side}${isNote ? ' msg--note' : ''}${failed ? ' msg--failed' : ''}`}
      data-testid="message"
      data-kind={message.kind}
      data-direction={message.direction}
    >
      <article className="msg__bubble" aria-label={isNote ? t('message.internalNote') : undefined}>
        {isNote && <p className="msg__label">{t('message.internalNote')}</p>}
        {message.kind === 'template' && <p className="msg__label">{t('message.template')}</p>}
        {message.kind === 'media' && <p className="msg__label">{t('message.media')}</p>}
        <p className="msg__body">{message.body}</p>
        <p className="msg__meta">
          {!isNote && <ChannelBadge channel={message.channel} />}
          {author && <span className="msg__author">{author}</span>}
          <time dateTime={message.created_at} title={formatDateTime(message.created_at, locale, timeZone)}>
            {formatTime(message.created_at, locale, timeZone)}
          </time>
          {message.direction === 'outbound' && !isNote && (
            <span className={`msg__status msg__status--${message.status}`} data-testid="message-status">
              {messageStatusLabel(t, message.status)}
            </span>
          )}
          {message.cost && (
            <span className="msg__cost">
              {t('message.cost', { amount: formatMoney(message.cost.amount, message.cost.currency, locale) })}
            </span>
          )}
        </p>
        {paused && (
          <p className="msg__notice" data-testid="message-paused">
            {t('message.paused', { reason: message.error_reason || t('codes.channel_paused') })}
          </p>
        )}
        {failed && (message.error_reason || message.error_code) && (
          <p className="msg__error" data-testid="message-error">
            {t('message.failedReason', { reason: message.error_reason || codeMessage(t, message.error_code) || message.error_code })}
          </p>
        )}
        {failed && message.direction === 'outbound' && !isNote && (
          <p className="msg__hint" data-testid="send-another-way">
            {t('message.sendAnotherWay')}
          </p>
        )}
      </article>
    </li>
  );
}
