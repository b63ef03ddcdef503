import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate, type Location } from 'react-router-dom';
import { LanguageSwitcher } from '@/components/LanguageSwitcher';
import { LoadingScreen } from '@/components/LoadingScreen';
import { LoginForm } from '@/features/auth/components/LoginForm';
import { useMe } from '@/lib/auth';

export function LoginRoute() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: Location } | null)?.from;
  const target = from && from.pathname !== '/login' ? `${from.pathname}${from.search}` : '/';

  useEffect(() => {
    document.title = t('auth.signIn');
  }, [t]);

  if (me.isPending) return <LoadingScreen />;
  if (me.data) return <Navigate to={target} replace />;

  return (
    <div className="login-page">
      <header className="login-page__top">
        <LanguageSwitcher />
      </header>
      <main className="login-page__card" id="main">
        <p className="login-page__brand">
          <span aria-hidden="true">✉ </span>
          {t('app.name')}
        </p>
        <LoginForm onSuccess={() => navigate(target, { replace: true })} />
      </main>
    </div>
  );
}
