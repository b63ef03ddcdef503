import { Fragment, lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, NavLink, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { ErrorMessage } from '@/components/ErrorMessage';
import { LanguageSwitcher } from '@/components/LanguageSwitcher';
import { LoadingScreen } from '@/components/LoadingScreen';
import { AttentionNavLink } from '@/features/attention/components/AttentionNavLink';
import { LogoutButton } from '@/features/auth/components/LogoutButton';
import { PropertySwitcher } from '@/features/auth/components/PropertySwitcher';
import { useLiveUpdates } from '@/features/conversations/api/live-updates';
import { ReauthorizationBanner } from '@/features/channels/components/ReauthorizationBanner';
import { ConversationLabels } from '@/features/labels/components/ConversationLabels';
import { LabelFilter } from '@/features/labels/components/LabelFilter';
import { NewMessageButton } from '@/features/template-sending/components/NewMessage';
import { useMe } from '@/lib/auth';
import { type Slots, SlotsProvider } from '@/lib/slots';
import { GuestPanels } from '../guest-panels';

const TemplateComposer = lazy(() => import('@/features/template-sending/components/TemplateComposer'));
const SavedReplyPicker = lazy(() => import('@/features/saved-replies/components/SavedReplyPicker'));

// What features show of each other, composed here (features never import each other).
const slots: Slots = {
  TemplateComposer,
  InboxActions: NewMessageButton,
  InboxNotices: ReauthorizationBanner,
  SavedReplyPicker,
  ConversationLabels,
  LabelFilter,
  GuestPanels,
};

const navClass = (active: boolean) => `app-nav__link${active ? ' app-nav__link--active' : ''}`;

/** Everything behind the login: header, live updates, then the page. */
export function AppLayout() {
  const { t } = useTranslation();
  const me = useMe();
  const location = useLocation();
  const navigate = useNavigate();
  useLiveUpdates(me.data?.property.id ?? null);

  if (me.isPending) return <LoadingScreen />;
  if (me.isError) {
    return (
      <div className="centered">
        <ErrorMessage error={me.error} onRetry={() => void me.refetch()} />
      </div>
    );
  }
  if (!me.data) return <Navigate to="/login" replace state={{ from: location }} />;

  return (
    <div className="app">
      <a href="#main" className="skip-link">
        {t('app.skipToContent')}
      </a>
      <header className="app-header">
        <span className="app-header__brand" aria-hidden="true">
          ✉
        </span>
        <span className="visually-hidden">{t('app.name')}</span>
        {/* After switching property, the open conversation belongs to the old one. */}
        <PropertySwitcher onSwitched={() => navigate('/')} />
        <nav className="app-nav" aria-label={t('nav.label')}>
          <NavLink to="/" end className={({ isActive }) => navClass(isActive || location.pathname.startsWith('/conversations'))}>
            {t('nav.inbox')}
          </NavLink>
          <AttentionNavLink className={navClass} />
          <NavLink to="/templates" className={({ isActive }) => navClass(isActive)}>
            {t('nav.templates')}
          </NavLink>
          <NavLink
            to="/scheduled-messages"
            className={({ isActive }) => navClass(isActive || location.pathname.startsWith('/planned-sends'))}
          >
            {t('nav.scheduled')}
          </NavLink>
          <NavLink to="/insights" className={({ isActive }) => navClass(isActive)}>
            {t('nav.insights')}
          </NavLink>
          <NavLink to="/settings" className={({ isActive }) => navClass(isActive)}>
            {t('nav.settings')}
          </NavLink>
        </nav>
        <span className="app-header__spacer" />
        <LanguageSwitcher />
        <span className="app-header__user" title={me.data.user.email}>
          <span className="visually-hidden">{t('auth.signedInAs', { name: me.data.user.name })}</span>
          <span aria-hidden="true">{me.data.user.name}</span>
        </span>
        <LogoutButton />
      </header>
      {/* Keyed by property: switching starts every page afresh (no drafts,
          scroll positions or query observers carried across properties). */}
      <Fragment key={me.data.property.id}>
        <SlotsProvider slots={slots}>
          <Suspense fallback={<LoadingScreen />}>
            <Outlet />
          </Suspense>
        </SlotsProvider>
      </Fragment>
    </div>
  );
}
