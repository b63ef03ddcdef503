import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router-dom';

/** Rules and planned sends: two views of the same feature. */
export function ScheduledNav() {
  const { t } = useTranslation();
  const linkClass = ({ isActive }: { isActive: boolean }) => `tabs__link${isActive ? ' tabs__link--active' : ''}`;
  return (
    <nav className="tabs" aria-label={t('scheduling.title')}>
      <NavLink to="/scheduled-messages" end className={linkClass}>
        {t('scheduling.rules')}
      </NavLink>
      <NavLink to="/planned-sends" className={linkClass}>
        {t('scheduling.planned.title')}
      </NavLink>
    </nav>
  );
}
