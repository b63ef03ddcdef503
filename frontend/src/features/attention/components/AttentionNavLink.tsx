import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router-dom';
import { useAttentionCount } from '../api/attention';
import '../attention.css';

/** "Needs attention" in the main nav, with the queue's size as a badge. */
export function AttentionNavLink({ className }: { className: (active: boolean) => string }) {
  const { t } = useTranslation();
  const count = useAttentionCount();
  const total = count.data ?? 0;
  return (
    <NavLink to="/attention" className={({ isActive }) => className(isActive)}>
      {t('attention.nav')}
      {total > 0 && (
        <span className="badge badge--attention" data-testid="attention-badge">
          <span aria-hidden="true">{total}</span>
          <span className="visually-hidden">{t('attention.count', { count: total })}</span>
        </span>
      )}
    </NavLink>
  );
}
