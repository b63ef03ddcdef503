import { useTranslation } from 'react-i18next';
import { Link, type To } from 'react-router-dom';
import type { ConversationRow } from '@/lib/api-types';
import { formatDateTime, formatRelativeTime, formatStay } from '@/lib/format';
import { useLocaleContext } from '@/lib/use-locale';
import { ChannelBadge } from './ChannelBadge';
import { WindowBadge } from './WindowBadge';

interface Props {
  row: ConversationRow;
  to: To;
  selected: boolean;
  tabbable: boolean;
  now: Date;
  onFocus: () => void;
}

export function ConversationListItem({ row, to, selected, tabbable, now, onFocus }: Props) {
  const { t } = useTranslation();
  const { locale, timeZone } = useLocaleContext();
  const unread = row.unread_count > 0;
  const activityAt = row.last_message?.at ?? row.last_activity_at;
  const preview = row.last_message
    ? row.last_message.direction === 'outbound'
      ? t('row.you', { preview: row.last_message.preview })
      : row.last_message.preview
    : t('row.noMessages');
  const showWindow = row.channels.includes('whatsapp') || row.reply_state.whatsapp !== undefined;

  return (
    <Link
      to={to}
      className={`conv-row${unread ? ' conv-row--unread' : ''}${row.status === 'closed' ? ' conv-row--closed' : ''}`}
      aria-current={selected ? 'page' : undefined}
      tabIndex={tabbable ? 0 : -1}
      onFocus={onFocus}
      data-conversation-id={row.id}
    >
      <span className="conv-row__line">
        <span className="conv-row__name">{row.guest.display_name}</span>
        <time className="conv-row__time" dateTime={activityAt} title={formatDateTime(activityAt, locale, timeZone)}>
          {formatRelativeTime(activityAt, now, locale, timeZone)}
        </time>
      </span>
      <span className="conv-row__line">
        <span className="conv-row__preview">{preview}</span>
        {unread && (
          <span className="badge badge--unread" data-testid="unread-badge">
            <span aria-hidden="true">{row.unread_count}</span>
            <span className="visually-hidden">{t('row.unread', { count: row.unread_count })}</span>
          </span>
        )}
      </span>
      <span className="conv-row__line conv-row__meta">
        <span className="conv-row__channels">
          {row.channels.map((channel) => (
            <ChannelBadge key={channel} channel={channel} />
          ))}
        </span>
        {showWindow && <WindowBadge window={row.reply_state.whatsapp} now={now} />}
        {row.booking && (
          <span className="conv-row__stay">
            <span className="visually-hidden">{t('row.stay')} </span>
            {formatStay(row.booking.check_in, row.booking.check_out, locale, now)}
          </span>
        )}
        {row.labels && row.labels.length > 0 && (
          <span className="conv-row__labels">
            <span className="visually-hidden">{t('labels.inRow', { names: row.labels.map((l) => l.name).join(', ') })}</span>
            {row.labels.map((label) => (
              <span
                key={label.id}
                className="label-chip label-chip--small"
                style={{ borderColor: label.colour, color: label.colour }}
                aria-hidden="true"
                data-testid="row-label"
              >
                {label.name}
              </span>
            ))}
          </span>
        )}
        {row.assignee && (
          <span className="conv-row__assignee">
            <span aria-hidden="true">{row.assignee.name}</span>
            <span className="visually-hidden">{t('row.assignee', { name: row.assignee.name })}</span>
          </span>
        )}
      </span>
    </Link>
  );
}
