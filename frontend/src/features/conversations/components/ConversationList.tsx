import { useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '@/components/ErrorMessage';
import { Spinner } from '@/components/LoadingScreen';
import type { ConversationFilters } from '@/lib/api-types';
import { useNow } from '@/lib/use-now';
import { useConversations } from '../api/get-conversations';
import { ConversationListItem } from './ConversationListItem';

interface Props {
  filters: ConversationFilters;
  selectedId: string | null;
  /** Query string kept on row links so filters survive opening a conversation. */
  search: string;
}

/** Row height in rem; rows are fixed-height so the virtualiser never measures. */
const ROW_REM = 5.75;
/** Start loading the next page this many rows before the end. */
const PREFETCH_ROWS = 10;

function rootFontSize(): number {
  const size = parseFloat(getComputedStyle(document.documentElement).fontSize);
  return Number.isFinite(size) && size > 0 ? size : 16;
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export function ConversationList({ filters, selectedId, search }: Props) {
  const { t } = useTranslation();
  const query = useConversations(filters);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  const rows = useMemo(() => query.data?.pages.flatMap((page) => page.items) ?? [], [query.data]);
  const now = useNow(30_000);
  const scrollRef = useRef<HTMLDivElement>(null);
  const [rowHeight] = useState(() => Math.round(ROW_REM * rootFontSize()));

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    getItemKey: (index) => rows[index]?.id ?? index,
    overscan: 6,
  });
  const items = virtualizer.getVirtualItems();
  const lastVisible = items[items.length - 1]?.index ?? -1;

  // Infinite scroll: follow next_cursor as the end of the list comes into view.
  useEffect(() => {
    if (lastVisible >= rows.length - PREFETCH_ROWS && hasNextPage && !isFetchingNextPage) {
      void fetchNextPage();
    }
  }, [lastVisible, rows.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  // Keyboard: one row is "active" (roving tabindex); j/k and arrows move it.
  // Tracked by id, so live updates that reorder the list do not move it.
  const [activeId, setActiveId] = useState<string | null>(null);
  useEffect(() => {
    if (selectedId) setActiveId(selectedId);
  }, [selectedId]);
  const active = Math.max(0, rows.findIndex((row) => row.id === (activeId ?? selectedId)));

  const focusRow = useCallback(
    (index: number) => {
      setActiveId(rows[index]?.id ?? null);
      virtualizer.scrollToIndex(index, { align: 'auto' });
      // Focus now if the row is rendered (so an Enter right after opens it);
      // otherwise once the virtualiser has reacted to the scroll.
      let tries = 0;
      const attempt = () => {
        const link = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${index}"] a`);
        if (link) link.focus();
        else if (tries++ < 5) requestAnimationFrame(attempt);
      };
      attempt();
    },
    [rows, virtualizer],
  );

  const move = useCallback(
    (delta: number) => {
      if (rows.length === 0) return;
      const next = Math.max(0, Math.min(rows.length - 1, active + delta));
      focusRow(next);
    },
    [active, rows.length, focusRow],
  );

  // j/k work anywhere on the page except while typing.
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      if (isTyping(event.target)) return;
      if (event.key === 'j' || event.key === 'k') {
        event.preventDefault();
        move(event.key === 'j' ? 1 : -1);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [move]);

  // Arrow keys only while focus is inside the list, so the page still scrolls.
  const onListKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      move(event.key === 'ArrowDown' ? 1 : -1);
    } else if (event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      focusRow(event.key === 'Home' ? 0 : rows.length - 1);
    }
  };

  if (query.isPending) {
    return (
      <div className="conv-list conv-list--state">
        <Spinner />
      </div>
    );
  }
  if (query.isError) {
    return (
      <div className="conv-list conv-list--state">
        <ErrorMessage error={query.error} onRetry={() => void query.refetch()} />
      </div>
    );
  }
  if (rows.length === 0) {
    return (
      <div className="conv-list conv-list--state">
        <p className="muted">{t('inbox.empty')}</p>
      </div>
    );
  }

  return (
    <div className="conv-list" ref={scrollRef} data-testid="conversation-list">
      <div
        role="list"
        aria-label={t('inbox.conversations')}
        aria-busy={isFetchingNextPage}
        className="conv-list__inner"
        style={{ height: virtualizer.getTotalSize() }}
        onKeyDown={onListKeyDown}
      >
        {items.map((item) => {
          const row = rows[item.index];
          if (!row) return null;
          return (
            <div
              key={item.key}
              role="listitem"
              data-testid="conversation-row"
              data-index={item.index}
              aria-setsize={hasNextPage ? -1 : rows.length}
              aria-posinset={item.index + 1}
              className="conv-list__item"
              style={{ height: item.size, transform: `translateY(${item.start}px)` }}
            >
              <ConversationListItem
                row={row}
                to={{ pathname: `/conversations/${encodeURIComponent(row.id)}`, search }}
                selected={row.id === selectedId}
                tabbable={item.index === active}
                now={now}
                onFocus={() => setActiveId(row.id)}
              />
            </div>
          );
        })}
      </div>
      {isFetchingNextPage && (
        <p className="conv-list__more muted" role="status">
          {t('inbox.loadingMore')}
        </p>
      )}
    </div>
  );
}
