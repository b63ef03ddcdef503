import { useTranslation } from 'react-i18next';
import { useLogout } from '../api/logout';

export function LogoutButton() {
  const { t } = useTranslation();
  const logout = useLogout();
  return (
    <button
      type="button"
      className="button button--ghost button--small"
      onClick={() => logout.mutate()}
      disabled={logout.isPending}
    >
      {t('auth.logout')}
    </button>
  );
}
