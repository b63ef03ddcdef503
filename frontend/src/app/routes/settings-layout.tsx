import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet } from 'react-router-dom';
import { LoadingScreen } from '@/components/LoadingScreen';

export function SettingsLayout() {
  const { t } = useTranslation();
  const links = [
    { to: 'channels', label: t('settings.channels') },
    { to: 'users', label: t('users.title') },
    { to: 'api-keys', label: t('settings.apiKeys') },
    { to: 'share', label: t('settings.share') },
    { to: 'saved-replies', label: t('savedReplies.title') },
    { to: 'labels', label: t('labels.title') },
    { to: 'spending', label: t('spending.title') },
    { to: 'webhooks', label: t('webhooks.title') },
  ];
  return (
    <main id="main" tabIndex={-1} className="page page--settings">
      <nav className="subnav" aria-label={t('settings.title')}>
        <p className="subnav__title">{t('settings.title')}</p>
        <ul>
          {links.map((link) => (
            <li key={link.to}>
              <NavLink to={link.to} className="subnav__link">
                {link.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className="settings__content">
        <Suspense fallback={<LoadingScreen />}>
          <Outlet />
        </Suspense>
      </div>
    </main>
  );
}
