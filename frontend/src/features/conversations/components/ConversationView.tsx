import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { To } from 'react-router-dom';
import { ErrorMessage } from '@/components/ErrorMessage';
import { LoadingScreen } from '@/components/LoadingScreen';
import { isApiError } from '@/lib/api-client';
import { useConversation } from '../api/get-conversation';
import { useMarkRead } from '../api/mark-read';
import { Composer } from './Composer';
import { ConversationHeader } from './ConversationHeader';
import { GuestSidebar } from './GuestSidebar';
import { LinkBookingDialog } from './LinkBookingDialog';
import { MessageThread } from './MessageThread';

interface Props {
  id: string;
  backTo: To;
}

const SIDEBAR_KEY = 'gm_sidebar';
const WIDE = '(min-width: 75rem)';

/** Side panel open by default on wide screens (and as last left there); a toggled overlay on narrow ones. */
function initialSidebar(): boolean {
  const wide = typeof window.matchMedia === 'function' ? window.matchMedia(WIDE).matches : true;
  if (!wide) return false;
  try {
    return localStorage.getItem(SIDEBAR_KEY) !== 'closed';
  } catch {
    return true;
  }
}

function useSidebar(): [boolean, (open: boolean) => void] {
  const [open, setOpen] = useState(initialSidebar);
  const set = (next: boolean) => {
    setOpen(next);
    const wide = typeof window.matchMedia === 'function' ? window.matchMedia(WIDE).matches : true;
    if (!wide) return; // the overlay's state is not a preference
    try {
      localStorage.setItem(SIDEBAR_KEY, next ? 'open' : 'closed');
    } catch {
      // not persisted
    }
  };
  return [open, set];
}

export function ConversationView({ id, backTo }: Props) {
  const { t } = useTranslation();
  const conversation = useConversation(id);
  const { mutate: markRead } = useMarkRead();
  const [sidebarOpen, setSidebarOpen] = useSidebar();
  const [linking, setLinking] = useState(false);
  const sidebarId = useId();

  // Mark read once when opened, and again whenever new unread messages arrive
  // while the conversation is on screen.
  const markedOnOpen = useRef(false);
  const unread = conversation.data?.unread_count ?? 0;
  const loaded = conversation.data !== undefined;
  useEffect(() => {
    if (!loaded) return;
    if (!markedOnOpen.current || (unread > 0 && document.visibilityState !== 'hidden')) {
      markedOnOpen.current = true;
      markRead(id);
    }
  }, [id, loaded, unread, markRead]);

  if (conversation.isPending) return <LoadingScreen />;
  if (conversation.isError) {
    const notFound = isApiError(conversation.error) && conversation.error.status === 404;
    return (
      <div className="conversation conversation--state">
        {notFound ? (
          <p role="alert">{t('errors.conversationNotFound')}</p>
        ) : (
          <ErrorMessage error={conversation.error} onRetry={() => void conversation.refetch()} />
        )}
      </div>
    );
  }

  const row = conversation.data;
  return (
    <div className={`conversation-layout${sidebarOpen ? ' conversation-layout--sidebar' : ''}`}>
      <section
        className="conversation"
        aria-labelledby={`conversation-${row.id}-title`}
        data-testid="conversation-view"
      >
        <ConversationHeader
          conversation={row}
          backTo={backTo}
          sidebarOpen={sidebarOpen}
          sidebarId={sidebarId}
          onToggleSidebar={() => setSidebarOpen(!sidebarOpen)}
          onLinkBooking={() => setLinking(true)}
        />
        <MessageThread conversationId={row.id} />
        <Composer key={row.id} conversation={row} />
      </section>
      {sidebarOpen && (
        <div id={sidebarId} className="conversation-layout__sidebar">
          <GuestSidebar
            conversation={row}
            onClose={() => setSidebarOpen(false)}
            onLinkBooking={() => setLinking(true)}
          />
        </div>
      )}
      {linking && <LinkBookingDialog conversation={row} onClose={() => setLinking(false)} />}
    </div>
  );
}
