import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useMatch, useParams, useSearchParams } from 'react-router-dom';
import { useSlots } from '@/lib/slots';
import { useUnreadTotal } from '../api/get-unread-total';
import { filtersFromParams } from '../utils/filters';
import { ConversationFilters } from './ConversationFilters';
import { ConversationList } from './ConversationList';
import { ConversationView } from './ConversationView';

/** "(3) Inbox" in the browser tab. */
function useInboxTitle() {
  const { t } = useTranslation();
  const { data } = useUnreadTotal();
  const title = t('inbox.title');
  const count = data?.messages ?? 0;
  useEffect(() => {
    document.title = count > 0 ? `(${count}) ${title}` : title;
  }, [count, title]);
}

/**
 * List on the left, selected conversation (child route) on the right. On narrow
 * screens only one of the two shows, chosen by whether a conversation is open.
 */
export function InboxLayout() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const { search } = useLocation();
  const match = useMatch('/conversations/:id');
  const selectedId = match?.params.id ?? null;
  const filters = useMemo(() => filtersFromParams(params), [params]);
  const { InboxActions, InboxNotices } = useSlots();
  useInboxTitle();

  return (
    <>
      {InboxNotices && <InboxNotices />}
      <div className={`inbox${selectedId ? ' inbox--has-selection' : ''}`}>
        <nav className="inbox__list" aria-label={t('inbox.conversations')}>
          {/* inside a landmark, so screen-reader users who move by region do not miss it */}
          <h1 className="visually-hidden">{t('inbox.title')}</h1>
          {InboxActions && (
            <div className="inbox__actions">
              <InboxActions />
            </div>
          )}
          <ConversationFilters />
          <ConversationList filters={filters} selectedId={selectedId} search={search} />
          <p className="inbox__hint muted">{t('inbox.keyboardHint')}</p>
        </nav>
        <main className="inbox__detail" id="main" tabIndex={-1}>
          <Outlet />
        </main>
      </div>
    </>
  );
}

export function InboxPlaceholder() {
  const { t } = useTranslation();
  return (
    <div className="inbox__placeholder">
      <p className="muted">{t('inbox.selectPrompt')}</p>
    </div>
  );
}

export function ConversationRoute() {
  const { id } = useParams<{ id: string }>();
  const { search } = useLocation();
  if (!id) return null;
  return <ConversationView key={id} id={id} backTo={{ pathname: '/', search }} />;
}
