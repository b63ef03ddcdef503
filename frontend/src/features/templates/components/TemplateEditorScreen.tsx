import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { Spinner } from '@/components/LoadingScreen';
import { QueryError } from '@/components/NotAvailable';
import { useDocumentTitle } from '@/lib/use-document-title';
import { useTemplates } from '../api/templates';
import { TemplateEditor } from './TemplateEditor';

/** /templates/new and /templates/:id (the API has no GET by id: the list has every template). */
export function TemplateEditorScreen() {
  const { t } = useTranslation();
  const { id } = useParams<{ id: string }>();
  const templates = useTemplates();
  useDocumentTitle(t('templates.title'));

  if (!id) return <TemplateEditor />;
  if (templates.isPending) return <Spinner />;
  if (templates.isError) {
    return (
      <div className="page">
        <QueryError error={templates.error} onRetry={() => void templates.refetch()} />
      </div>
    );
  }
  const template = templates.data.find((item) => item.id === id);
  if (!template) {
    return (
      <div className="page">
        <p role="alert">{t('templates.notFound')}</p>
      </div>
    );
  }
  // Keyed so that opening another template starts from its saved state.
  return <TemplateEditor key={template.id} template={template} />;
}
