import { useTranslation } from 'react-i18next';
import type { TemplateStatus } from '@/lib/api-types';

export function TemplateStatusBadge({ status }: { status: TemplateStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`badge badge--tpl badge--tpl-${status}`} data-testid="template-status">
      {t(`templates.status.${status}`)}
    </span>
  );
}
