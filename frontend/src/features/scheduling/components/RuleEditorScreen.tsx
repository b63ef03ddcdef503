import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router-dom';
import { Spinner } from '@/components/LoadingScreen';
import { QueryError } from '@/components/NotAvailable';
import { isNotFound } from '@/lib/api-client';
import { useDocumentTitle } from '@/lib/use-document-title';
import { useRule } from '../api/rules';
import { RuleEditor } from './RuleEditor';
import '../scheduling.css';

/** /scheduled-messages/new and /scheduled-messages/:id */
export function RuleEditorScreen() {
  const { t } = useTranslation();
  const { id } = useParams<{ id: string }>();
  const rule = useRule(id);
  useDocumentTitle(t('scheduling.title'));

  let content;
  if (!id) content = <RuleEditor />;
  else if (rule.isPending) content = <Spinner />;
  else if (rule.isError)
    content = isNotFound(rule.error) ? (
      <p role="alert">{t('scheduling.notFound')}</p>
    ) : (
      <QueryError error={rule.error} onRetry={() => void rule.refetch()} />
    );
  // Keyed: opening another rule starts from its saved state.
  else content = <RuleEditor key={rule.data.id} rule={rule.data} />;

  return (
    <main id="main" tabIndex={-1} className="page page--wide">
      {content}
    </main>
  );
}
