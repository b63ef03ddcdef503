import { useTranslation } from 'react-i18next';
import { errorMessage } from '@/lib/errors';

interface Props {
  error: unknown;
  onRetry?: () => void;
  className?: string;
}

export function ErrorMessage({ error, onRetry, className }: Props) {
  const { t } = useTranslation();
  return (
    <div role="alert" className={`alert alert--error ${className ?? ''}`}>
      <span>{errorMessage(error, t)}</span>
      {onRetry && (
        <button type="button" className="button button--ghost button--small" onClick={onRetry}>
          {t('app.retry')}
        </button>
      )}
    </div>
  );
}
