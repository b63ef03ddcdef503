import { type FormEvent, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ErrorMessage } from '@/components/ErrorMessage';
import { Spinner } from '@/components/LoadingScreen';
import { QueryError } from '@/components/NotAvailable';
import { WhatsAppBubble } from '@/components/WhatsAppBubble';
import { isNotFound } from '@/lib/api-client';
import type { Message, Template, TemplatePreview } from '@/lib/api-types';
import { formatMoney } from '@/lib/format';
import { fillVariables } from '@/lib/template-text';
import { useDebounced } from '@/lib/use-debounced';
import { useLocaleContext } from '@/lib/use-locale';
import type { SendTarget } from '../api/keys';
import { useApprovedTemplates, usePlaceholderNames, useSendTemplate, useTemplatePreview } from '../api/templates';

interface Props {
  target: SendTarget;
  onSent: (message: Message) => void;
  onCancel?: () => void;
}

const PREVIEW_DELAY_MS = 400;

function CostLine({ cost }: { cost: TemplatePreview['cost'] }) {
  const { t } = useTranslation();
  const { locale } = useLocaleContext();
  const category = ['marketing', 'utility', 'authentication', 'service'].includes(cost.category)
    ? t(`sendTemplate.pricing.${cost.category as 'marketing' | 'utility' | 'authentication' | 'service'}`)
    : cost.category;
  return (
    <p className="cost" data-testid="template-cost">
      {cost.free
        ? t('sendTemplate.free', { reason: cost.reason ?? category })
        : t('sendTemplate.cost', { amount: formatMoney(cost.amount, cost.currency, locale), category })}
    </p>
  );
}

/** Pick an approved template, adjust its values, see what the guest reads and what it costs, send. */
export function TemplateSendForm({ target, onSent, onCancel }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const templates = useApprovedTemplates();
  const [templateId, setTemplateId] = useState<string | null>(null);
  const [edits, setEdits] = useState<Record<string, string>>({});
  const overrides = useDebounced(edits, PREVIEW_DELAY_MS);
  const preview = useTemplatePreview(target, templateId, overrides);
  const send = useSendTemplate(target);
  const names = usePlaceholderNames();

  const template: Template | undefined = templates.data?.find((item) => item.id === templateId);
  // The guest-level preview may not exist on this server: fall back to the examples.
  const previewMissing = preview.isError && isNotFound(preview.error);
  const serverValues = preview.data?.parameters.body ?? [];

  const values = useMemo(() => {
    const result: Record<number, string> = {};
    for (const variable of template?.body_variables ?? []) {
      const key = String(variable.index);
      result[variable.index] = edits[key] ?? serverValues[variable.index - 1] ?? '';
    }
    return result;
  }, [template, edits, serverValues]);

  if (templates.isPending) return <Spinner />;
  if (templates.isError) return <QueryError error={templates.error} onRetry={() => void templates.refetch()} />;

  if (templates.data.length === 0) {
    return (
      <div className="stack">
        <p>{t('sendTemplate.noneApproved')}</p>
        <div className="actions actions--start">
          <Link to="/templates" className="button button--small">
            {t('sendTemplate.manageTemplates')}
          </Link>
          {onCancel && (
            <button type="button" className="button button--ghost button--small" onClick={onCancel}>
              {t('app.cancel')}
            </button>
          )}
        </div>
      </div>
    );
  }

  const choose = (next: string) => {
    setTemplateId(next);
    setEdits({});
    send.reset();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!templateId) return;
    send.mutate({ template_id: templateId, overrides: edits }, { onSuccess: (message) => onSent(message) });
  };

  const headerValue = preview.data?.parameters.header ?? template?.header_variable?.example ?? null;
  const bubbleValues: Record<number, string> = {};
  for (const variable of template?.body_variables ?? []) {
    bubbleValues[variable.index] = values[variable.index] || (previewMissing ? variable.example : '');
  }

  return (
    <form className="template-send" onSubmit={submit} aria-label={t('sendTemplate.title')}>
      <div className="template-send__form stack">
        <fieldset className="fieldset">
          <legend>{t('sendTemplate.choose')}</legend>
          <ul className="template-choices">
            {templates.data.map((item) => (
              <li key={item.id}>
                <label className={`template-choice${item.id === templateId ? ' template-choice--selected' : ''}`}>
                  <input
                    type="radio"
                    name={`${id}-template`}
                    value={item.id}
                    checked={item.id === templateId}
                    onChange={() => choose(item.id)}
                  />
                  <span className="template-choice__text">
                    <span className="template-choice__name">{item.name}</span>
                    <span className="template-choice__meta muted">
                      {item.language} · {t(`sendTemplate.category.${item.category}`)}
                    </span>
                    <span className="template-choice__excerpt muted">{item.body}</span>
                  </span>
                </label>
              </li>
            ))}
          </ul>
        </fieldset>

        {template && template.body_variables.length > 0 && (
          <fieldset className="fieldset" aria-busy={preview.isFetching}>
            <legend>{t('sendTemplate.values')}</legend>
            {previewMissing && <p className="muted small">{t('sendTemplate.filledAtSend')}</p>}
            {template.body_variables.map((variable) => {
              const key = String(variable.index);
              const inputId = `${id}-var-${key}`;
              return (
                <div className="field" key={key}>
                  <label htmlFor={inputId}>
                    <code>{`{{${key}}}`}</code> {names.data?.get(variable.placeholder) ?? variable.placeholder}
                  </label>
                  <input
                    id={inputId}
                    className={`input${key in edits ? ' input--edited' : ''}`}
                    value={values[variable.index] ?? ''}
                    placeholder={previewMissing ? variable.example : undefined}
                    onChange={(event) => setEdits((current) => ({ ...current, [key]: event.target.value }))}
                    data-testid={`template-value-${key}`}
                  />
                </div>
              );
            })}
          </fieldset>
        )}

        {preview.isError && !previewMissing && <ErrorMessage error={preview.error} />}
        {send.isError && <ErrorMessage error={send.error} />}

        <div className="actions actions--start">
          <button
            type="submit"
            className="button button--primary"
            disabled={!templateId || send.isPending}
            aria-busy={send.isPending}
          >
            {t('sendTemplate.send')}
          </button>
          {onCancel && (
            <button type="button" className="button button--ghost" onClick={onCancel}>
              {t('app.cancel')}
            </button>
          )}
        </div>
      </div>

      <div className="template-send__preview" aria-live="polite">
        {template ? (
          <>
            <div className="wa-canvas">
              <WhatsAppBubble
                header={template.header_text ? fillVariables(template.header_text, { 1: headerValue }) : null}
                body={fillVariables(template.body, bubbleValues)}
                footer={template.footer}
                buttons={template.buttons}
              />
            </div>
            {preview.data && <CostLine cost={preview.data.cost} />}
            {preview.isFetching && !preview.data && <Spinner label={t('sendTemplate.previewing')} />}
          </>
        ) : (
          <p className="muted">{t('sendTemplate.pickFirst')}</p>
        )}
      </div>
    </form>
  );
}
