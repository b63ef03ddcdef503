import { useTranslation } from 'react-i18next';
import { Link, type To } from 'react-router-dom';
import { ErrorMessage } from '@/components/ErrorMessage';
import type { ConversationRow } from '@/lib/api-types';
import { useSlots } from '@/lib/slots';
import { useUpdateConversation } from '../api/update-conversation';
import { AssigneePicker } from './AssigneePicker';
import { bookingParts } from './BookingDetails';
import { SimulateGuestReply } from './SimulateGuestReply';

interface Props {
  conversation: ConversationRow;
  backTo: To;
  sidebarOpen: boolean;
  sidebarId: string;
  onToggleSidebar: () => void;
  onLinkBooking: () => void;
}

export function ConversationHeader({
  conversation,
  backTo,
  sidebarOpen,
  sidebarId,
  onToggleSidebar,
  onLinkBooking,
}: Props) {
  const { t, i18n } = useTranslation();
  const update = useUpdateConversation(conversation.id);
  const { ConversationLabels } = useSlots();
  const { booking } = conversation;
  const closed = conversation.status === 'closed';

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
          {booking ? (
            bookingParts(t, booking, i18n.language).join(' · ')
          ) : (
            <>
              {t('booking.none')}{' '}
              <button type="button" className="link-button" onClick={onLinkBooking}>
                {t('linkBooking.action')}
              </button>
            </>
          )}
        </p>
        {ConversationLabels && (
          <ConversationLabels conversationId={conversation.id} labels={conversation.labels ?? []} />
        )}
      </div>
      <div className="conv-header__actions" role="group" aria-label={t('conversation.actions')}>
        <AssigneePicker conversation={conversation} />
        <button
          type="button"
          className="button button--small"
          disabled={update.isPending}
          onClick={() => update.mutate({ type: closed ? 'reopen' : 'close' })}
        >
          {closed ? t('conversation.reopen') : t('conversation.close')}
        </button>
        <SimulateGuestReply conversationId={conversation.id} />
        <button
          type="button"
          className="button button--small button--ghost"
          aria-expanded={sidebarOpen}
          aria-controls={sidebarId}
          onClick={onToggleSidebar}
          data-testid="sidebar-toggle"
        >
          {sidebarOpen ? t('sidebar.hide') : t('sidebar.show')}
        </button>
      </div>
      {update.isError && <ErrorMessage error={update.error} className="conv-header__error" />}
    </header>
  );
}
