import { useTranslation } from 'react-i18next';
import { ErrorMessage } from './ErrorMessage';
import { isNotFound } from '@/lib/api-client';

/** The endpoint behind this screen is not deployed yet (404): say so kindly. */
export function NotAvailable() {
  const { t } = useTranslation();
  return (
    <div className="empty-state" role="status" data-testid="not-available">
      <p className="empty-state__title">{t('app.notAvailableTitle')}</p>
      <p className="muted">{t('app.notAvailable')}</p>
    </div>
  );
}

/** A failed query: "not available yet" for a 404, the error otherwise. */
export function QueryError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  if (isNotFound(error)) return <NotAvailable />;
  return <ErrorMessage error={error} onRetry={onRetry} />;
}
