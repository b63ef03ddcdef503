import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { To } from 'react-router-dom';
import { ErrorMessage } from '@/components/ErrorMessage';
import { LoadingScreen } from '@/components/LoadingScreen';
import { isApiError } from '@/lib/api-client';
import { useConversation } from '../api/get-conversation';
import { useMarkRead } from '../api/mark-read';
import { Composer } from './Composer';
import { ConversationHeader } from './ConversationHeader';
import { MessageThread } from './MessageThread';

interface Props {
  id: string;
  backTo: To;
}

export function ConversationView({ id, backTo }: Props) {
  const { t } = useTranslation();
  const conversation = useConversation(id);
  const { mutate: markRead } = useMarkRead();

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
    <section
      className="conversation"
      aria-labelledby={`conversation-${row.id}-title`}
      data-testid="conversation-view"
    >
      <ConversationHeader conversation={row} backTo={backTo} />
      <MessageThread conversationId={row.id} />
      <Composer key={row.id} conversation={row} />
    </section>
  );
}
