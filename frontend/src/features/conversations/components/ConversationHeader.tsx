import { useTranslation } from 'react-i18next';
import { Link, type To } from 'react-router-dom';
import { ErrorMessage } from '@/components/ErrorMessage';
import type { ConversationRow } from '@/lib/api-types';
import { useSession } from '@/lib/auth';
import { formatStay } from '@/lib/format';
import { useUpdateConversation } from '../api/update-conversation';
import { bookingSourceLabel, bookingStatusLabel } from '../utils/labels';

interface Props {
  conversation: ConversationRow;
  backTo: To;
}

export function ConversationHeader({ conversation, backTo }: Props) {
  const { t, i18n } = useTranslation();
  const me = useSession();
  const update = useUpdateConversation(conversation.id);
  const { booking, assignee } = conversation;
  const mine = assignee?.id === me.user.id;
  const closed = conversation.status === 'closed';

  const bookingParts = booking
    ? [
        booking.external_ref && t('booking.ref', { ref: booking.external_ref }),
        formatStay(booking.check_in, booking.check_out, i18n.language),
        booking.room && t('booking.room', { room: booking.room }),
        booking.source && bookingSourceLabel(t, booking.source),
        booking.confirmation_code && t('booking.confirmation', { code: booking.confirmation_code }),
        booking.status && bookingStatusLabel(t, booking.status),
      ].filter(Boolean)
    : [];

  return (
    <header className="conv-header">
      <Link
        to={backTo}
        className="conv-header__back button button--ghost button--small"
        aria-label={t('inbox.back')}
        title={t('inbox.back')}
      >
        <span aria-hidden="true">←</span>
      </Link>
      <div className="conv-header__who">
        <h2 className="conv-header__name" id={`conversation-${conversation.id}-title`}>
          {conversation.guest.display_name}
          <span className={`badge badge--status badge--status-${conversation.status}`}>
            {closed ? t('conversation.statusClosed') : t('conversation.statusOpen')}
          </span>
        </h2>
        <p className="conv-header__booking" data-testid="booking-summary">
          <span className="visually-hidden">{t('booking.label')}: </span>
          {booking ? bookingParts.join(' · ') : t('booking.none')}
        </p>
      </div>
      <div className="conv-header__actions" role="group" aria-label={t('conversation.actions')}>
        <span className="conv-header__assignee muted">
          {assignee ? t('conversation.assignedTo', { name: assignee.name }) : t('conversation.unassigned')}
        </span>
        {!mine && (
          <button
            type="button"
            className="button button--small"
            disabled={update.isPending}
            onClick={() => update.mutate({ type: 'assign', userId: me.user.id })}
          >
            {t('conversation.assignToMe')}
          </button>
        )}
        {assignee && (
          <button
            type="button"
            className="button button--small button--ghost"
            disabled={update.isPending}
            onClick={() => update.mutate({ type: 'assign', userId: null })}
          >
            {t('conversation.unassign')}
          </button>
        )}
        <button
          type="button"
          className="button button--small"
          disabled={update.isPending}
          onClick={() => update.mutate({ type: closed ? 'reopen' : 'close' })}
        >
          {closed ? t('conversation.reopen') : t('conversation.close')}
        </button>
      </div>
      {update.isError && <ErrorMessage error={update.error} className="conv-header__error" />}
    </header>
  );
}
