import { useTranslation } from 'react-i18next';
import type { TemplateComposerProps } from '@/lib/slots';
import { TemplateSendForm } from './TemplateSendForm';

/** The composer's template mode (the app plugs it into the conversation's composer). */
export default function TemplateComposer({ conversationId, onSent, onClose }: TemplateComposerProps) {
  const { t } = useTranslation();
  return (
    <div className="template-composer">
      <div className="template-composer__header">
        <h2 className="template-composer__title">{t('sendTemplate.title')}</h2>
        <button type="button" className="button button--ghost button--small" onClick={onClose}>
          {t('sendTemplate.backToReply')}
        </button>
      </div>
      <TemplateSendForm target={{ kind: 'conversation', id: conversationId }} onSent={onSent} onCancel={onClose} />
    </div>
  );
}
