import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { Spinner } from '@/components/LoadingScreen';
import { NotAvailable, QueryError } from '@/components/NotAvailable';
import { isNotFound } from '@/lib/api-client';
import { formatDateTime } from '@/lib/format';
import { useDocumentTitle } from '@/lib/use-document-title';
import { useLocaleContext } from '@/lib/use-locale';
import { useTemplates } from '../api/templates';
import { languageLabel } from '../utils/languages';
import { TemplateStatusBadge } from './StatusBadge';

export function TemplatesList() {
  const { t } = useTranslation();
  const { locale, timeZone } = useLocaleContext();
  const templates = useTemplates();
  useDocumentTitle(t('templates.title'));

  return (
    <main id="main" tabIndex={-1} className="page">
      <header className="page__header">
        <h1 className="page__title">{t('templates.title')}</h1>
        <Link to="/templates/new" className="button button--primary">
          {t('templates.new')}
        </Link>
      </header>
      <p className="muted page__intro">{t('templates.intro')}</p>
      {templates.isPending ? (
        <Spinner />
      ) : templates.isError ? (
        isNotFound(templates.error) ? (
          <NotAvailable />
        ) : (
          <QueryError error={templates.error} onRetry={() => void templates.refetch()} />
        )
      ) : templates.data.length === 0 ? (
        <div className="empty-state">
          <p>{t('templates.empty')}</p>
        </div>
      ) : (
        <ul className="card-list" aria-label={t('templates.title')}>
          {[...templates.data]
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((template) => (
              <li key={template.id} className="card" data-testid="template-row">
                <div className="card__line">
                  <Link to={`/templates/${encodeURIComponent(template.id)}`} className="card__title">
                    {template.name}
                  </Link>
                  <TemplateStatusBadge status={template.status} />
                </div>
                <p className="card__meta muted">
                  {languageLabel(template.language, locale)} · {t(`templates.category.${template.category}`)} ·{' '}
                  {t('templates.updated', { when: formatDateTime(template.updated_at, locale, timeZone) })}
                </p>
                <p className="card__excerpt">{template.body}</p>
                {template.status === 'rejected' && (
                  <div className="alert alert--error card__rejection">
                    <p>
                      <strong>{t('templates.rejectedBecause')}</strong>{' '}
                      {template.rejection_reason ?? t('templates.noReason')}
                    </p>
                    {template.rejection_recommendation && (
                      <p>
                        <strong>{t('templates.recommendation')}</strong> {template.rejection_recommendation}
                      </p>
                    )}
                  </div>
                )}
              </li>
            ))}
        </ul>
      )}
    </main>
  );
}
