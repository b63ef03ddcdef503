import { useLayoutEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '@/components/ErrorMessage';
import { Spinner } from '@/components/LoadingScreen';
import { describeDay } from '@/lib/format';
import { useLocaleContext } from '@/lib/use-locale';
import { useNow } from '@/lib/use-now';
import { flattenMessages, useMessages } from '../api/get-messages';
import { groupByDay } from '../utils/thread';
import { MessageBubble } from './MessageBubble';

/** Distance from the top (px) at which older messages start loading. */
const LOAD_OLDER_AT = 160;
/** Within this distance of the bottom we follow new messages down. */
const STICK_TO_BOTTOM = 120;

interface ScrollSnapshot {
  firstId: string | undefined;
  lastId: string | undefined;
  scrollHeight: number;
  scrollTop: number;
  atBottom: boolean;
}

export function MessageThread({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const { locale, timeZone } = useLocaleContext();
  const query = useMessages(conversationId);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  const messages = useMemo(() => flattenMessages(query.data), [query.data]);
  const groups = useMemo(() => groupByDay(messages, timeZone), [messages, timeZone]);
  const now = useNow(60_000);
  const scrollRef = useRef<HTMLDivElement>(null);
  const snapshot = useRef<ScrollSnapshot>({
    firstId: undefined,
    lastId: undefined,
    scrollHeight: 0,
    scrollTop: 0,
    atBottom: true,
  });

  const maybeLoadOlder = () => {
    const el = scrollRef.current;
    if (el && el.scrollTop < LOAD_OLDER_AT && hasNextPage && !isFetchingNextPage) {
      void fetchNextPage();
    }
  };

  // Keep the reader's place: bottom on first load and on new messages (if they
  // were at the bottom, or sent it), and the same message in view when older
  // ones are prepended above.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const prev = snapshot.current;
    const first = messages[0];
    const last = messages[messages.length - 1];
    if (prev.lastId === undefined) {
      el.scrollTop = el.scrollHeight;
    } else if (first?.id !== prev.firstId && last?.id === prev.lastId) {
      el.scrollTop = prev.scrollTop + (el.scrollHeight - prev.scrollHeight);
    } else if (last?.id !== prev.lastId && (prev.atBottom || last?.direction === 'outbound')) {
      el.scrollTop = el.scrollHeight;
    }
    snapshot.current = {
      firstId: first?.id,
      lastId: last?.id,
      scrollHeight: el.scrollHeight,
      scrollTop: el.scrollTop,
      atBottom: el.scrollHeight - el.scrollTop - el.clientHeight < STICK_TO_BOTTOM,
    };
    maybeLoadOlder(); // a short first page may not fill the view
  }, [messages, hasNextPage, isFetchingNextPage]);

  const onScroll = () => {
    const el = scrollRef.current;
    if (!el) return;
    snapshot.current.scrollTop = el.scrollTop;
    snapshot.current.scrollHeight = el.scrollHeight;
    snapshot.current.atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_TO_BOTTOM;
    maybeLoadOlder();
  };

  if (query.isPending) {
    return (
      <div className="thread thread--state">
        <Spinner />
      </div>
    );
  }
  if (query.isError) {
    return (
      <div className="thread thread--state">
        <ErrorMessage error={query.error} onRetry={() => void query.refetch()} />
      </div>
    );
  }

  return (
    // focusable, so the history scrolls from the keyboard too (it holds nothing else to focus)
    <div className="thread" ref={scrollRef} onScroll={onScroll} tabIndex={0}>
      <div className="thread__top">
        {isFetchingNextPage ? (
          <Spinner label={t('thread.loadingOlder')} />
        ) : !hasNextPage && messages.length > 0 ? (
          <p className="muted">{t('thread.start')}</p>
        ) : null}
      </div>
      {messages.length === 0 && <p className="thread__empty muted">{t('thread.empty')}</p>}
      {/* The log is a wrapper: on the <ol> itself, role="log" would strip the list semantics its items need. */}
      <div role="log" aria-label={t('thread.label')}>
        <ol className="thread__days">
          {groups.map((group) => {
            const day = describeDay(group.date, now, locale, timeZone);
            const label =
              day.kind === 'today' ? t('thread.today') : day.kind === 'yesterday' ? t('thread.yesterday') : day.text;
            return (
              <li key={group.key} className="thread__day">
                <h3 className="thread__day-label">
                  <span>{label}</span>
                </h3>
                <ol className="thread__messages">
                  {group.messages.map((message) => (
                    <MessageBubble key={message.id} message={message} />
                  ))}
                </ol>
              </li>
            );
          })}
        </ol>
      </div>
    </div>
  );
}
