import { type FormEvent, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { ErrorMessage } from '@/components/ErrorMessage';
import { NotAvailable } from '@/components/NotAvailable';
import { WhatsAppBubble } from '@/components/WhatsAppBubble';
import { isApiError, isNotFound } from '@/lib/api-client';
import type { FieldProblem, Placeholder, Template, TemplateButton, TemplateIn } from '@/lib/api-types';
import { fillVariables } from '@/lib/template-text';
import { useDebounced } from '@/lib/use-debounced';
import { useLocaleContext } from '@/lib/use-locale';
import {
  useDeleteTemplate,
  usePlaceholders,
  useSaveTemplate,
  useSubmitTemplate,
  useTemplateValidation,
} from '../api/templates';
import {
  emptyDraft,
  insertBodyVariable,
  insertHeaderVariable,
  isEmptyDraft,
  newButton,
  normalise,
  problemsFor,
  syncVariables,
  toDraft,
  unclaimedProblems,
} from '../utils/draft';
import { languageLabel, TEMPLATE_LANGUAGES } from '../utils/languages';
import { describedBy, FieldProblems } from './FieldProblems';
import { TemplateStatusBadge } from './StatusBadge';
import { VariableInserter } from './VariableInserter';

const VALIDATE_DELAY_MS = 500;
const SUBMITTABLE = new Set(['draft', 'rejected', 'paused']);

interface Props {
  /** The template being edited; none for a new one. */
  template?: Template;
}

function PlaceholderSelect({
  id,
  value,
  placeholders,
  onChange,
  describedById,
}: {
  id: string;
  value: string;
  placeholders: Placeholder[];
  onChange: (placeholder: Placeholder | null, key: string) => void;
  describedById?: string;
}) {
  const { t } = useTranslation();
  const known = placeholders.some((placeholder) => placeholder.key === value);
  return (
    <select
      id={id}
      className="select select--compact"
      value={value}
      aria-describedby={describedById}
      onChange={(event) =>
        onChange(placeholders.find((placeholder) => placeholder.key === event.target.value) ?? null, event.target.value)
      }
    >
      <option value="">{t('editor.choosePlaceholder')}</option>
      {!known && value && <option value={value}>{value}</option>}
      {placeholders.map((placeholder) => (
        <option key={placeholder.key} value={placeholder.key}>
          {placeholder.description}
        </option>
      ))}
    </select>
  );
}

export function TemplateEditor({ template }: Props) {
  const { t, i18n } = useTranslation();
  const { locale } = useLocaleContext();
  const navigate = useNavigate();
  const id = useId();
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const [draft, setDraftState] = useState<TemplateIn>(() =>
    template ? toDraft(template) : emptyDraft(i18n.language.startsWith('fr') ? 'fr' : 'en'),
  );
  const [dirty, setDirty] = useState(false);
  const [serverProblems, setServerProblems] = useState<FieldProblem[]>([]);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  const placeholders = usePlaceholders();
  const save = useSaveTemplate();
  const submit = useSubmitTemplate();
  const remove = useDeleteTemplate();

  const setDraft = (update: (current: TemplateIn) => TemplateIn) => {
    setDraftState((current) => syncVariables(update(current)));
    setDirty(true);
    setServerProblems([]);
    setNotice(null);
  };

  // Live validation: the server's rules (Meta's, really), shortly after typing stops.
  const debounced = useDebounced(draft, VALIDATE_DELAY_MS);
  const validation = useTemplateValidation(isEmptyDraft(debounced) ? null : normalise(debounced));
  // The API checks a draft against every saved template, this one included: a saved template is not its own twin.
  const liveProblems = (validation.data?.problems ?? []).filter(
    (problem) =>
      !template ||
      !(
        (problem.code === 'name_taken' && draft.name.trim() === template.name && draft.language === template.language) ||
        (problem.code === 'duplicate_template' && problem.message.includes(`'${template.name}'`))
      ),
  );
  const problems = serverProblems.length > 0 ? serverProblems : liveProblems;

  const fieldId = (name: string) => `${id}-${name}`;
  const problemId = (name: string) => `${id}-${name}-problems`;

  const headerProblems = problemsFor(problems, 'header', 'header_text', 'header_variable');
  const claimed = [
    'name',
    'language',
    'category',
    'header',
    'header_text',
    'header_variable',
    'body',
    'footer',
    ...draft.body_variables.map((_, index) => `body_variables[${index}]`),
    ...draft.buttons.map((_, index) => `buttons[${index}]`),
  ];
  const buttonsProblems = problems.filter((problem) => problem.field === 'buttons');
  const general = unclaimedProblems(problems, claimed).filter((problem) => problem.field !== 'buttons');

  const preview = useMemo(() => {
    const examples: Record<number, string> = {};
    for (const variable of draft.body_variables) examples[variable.index] = variable.example;
    const header = draft.header_text
      ? fillVariables(draft.header_text, { [draft.header_variable?.index ?? 1]: draft.header_variable?.example })
      : null;
    return { header, body: fillVariables(draft.body, examples) };
  }, [draft]);

  const busy = save.isPending || submit.isPending || remove.isPending;

  const saveDraft = async (): Promise<Template | null> => {
    try {
      const saved = await save.mutateAsync({ id: template?.id ?? null, draft: normalise(draft) });
      setDirty(false);
      return saved;
    } catch (error) {
      if (isApiError(error) && error.errors.length > 0) setServerProblems(error.errors);
      return null;
    }
  };

  const onSave = async (event: FormEvent) => {
    event.preventDefault();
    const saved = await saveDraft();
    if (!saved) return;
    setNotice(t('editor.saved'));
    if (!template) navigate(`/templates/${encodeURIComponent(saved.id)}`, { replace: true });
  };

  const onSubmitForApproval = async () => {
    let target = template ?? null;
    if (!target || dirty) target = await saveDraft();
    if (!target) return;
    try {
      await submit.mutateAsync(target.id);
      setNotice(t('editor.submitted'));
      if (!template) navigate(`/templates/${encodeURIComponent(target.id)}`, { replace: true });
    } catch (error) {
      if (isApiError(error) && error.errors.length > 0) setServerProblems(error.errors);
    }
  };

  const onDelete = () => {
    if (!template) return;
    remove.mutate(template.id, { onSuccess: () => navigate('/templates', { replace: true }) });
  };

  const updateButton = (index: number, patch: Partial<TemplateButton>) =>
    setDraft((current) => ({
      ...current,
      buttons: current.buttons.map((button, i) => (i === index ? { ...button, ...patch } : button)),
    }));

  const placeholderList = placeholders.data ?? [];
  const mutationError = [save, submit, remove].find(
    (mutation) => mutation.isError && !(isApiError(mutation.error) && mutation.error.errors.length > 0),
  )?.error;

  return (
    <main id="main" tabIndex={-1} className="page page--wide">
      <header className="page__header">
        <div>
          <Link to="/templates" className="muted small">
            ← {t('templates.title')}
          </Link>
          <h1 className="page__title">
            {template ? template.name : t('editor.newTitle')}{' '}
            {template && <TemplateStatusBadge status={template.status} />}
          </h1>
        </div>
      </header>

      {placeholders.isError && isNotFound(placeholders.error) && <NotAvailable />}

      {template?.status === 'rejected' && (
        <div className="alert alert--error" data-testid="rejection">
          <p>
            <strong>{t('templates.rejectedBecause')}</strong> {template.rejection_reason ?? t('templates.noReason')}
          </p>
          {template.rejection_recommendation && (
            <p>
              <strong>{t('templates.recommendation')}</strong> {template.rejection_recommendation}
            </p>
          )}
        </div>
      )}

      <div className="editor">
        <form className="editor__form stack" onSubmit={onSave} aria-label={t('editor.form')} noValidate>
          {general.length > 0 && (
            <div role="alert" className="alert alert--error" data-testid="general-problems">
              <ul>
                {general.map((problem, index) => (
                  <li key={index}>{problem.message}</li>
                ))}
              </ul>
            </div>
          )}
          {mutationError !== undefined && <ErrorMessage error={mutationError} />}
          {notice && (
            <p role="status" className="alert alert--success">
              {notice}
            </p>
          )}

          <div className="field">
            <label htmlFor={fieldId('name')}>{t('editor.name')}</label>
            <input
              id={fieldId('name')}
              className="input"
              value={draft.name}
              autoComplete="off"
              spellCheck={false}
              aria-invalid={problemsFor(problems, 'name').length > 0}
              aria-describedby={describedBy(problemId('name'), problemsFor(problems, 'name'), `${fieldId('name')}-hint`)}
              onChange={(event) => setDraft((current) => ({ ...current, name: event.target.value }))}
            />
            <p id={`${fieldId('name')}-hint`} className="field__hint">
              {t('editor.nameHint')}
            </p>
            <FieldProblems id={problemId('name')} problems={problemsFor(problems, 'name')} />
          </div>

          <div className="field-row">
            <div className="field">
              <label htmlFor={fieldId('language')}>{t('editor.language')}</label>
              <select
                id={fieldId('language')}
                className="select"
                value={draft.language}
                aria-describedby={describedBy(problemId('language'), problemsFor(problems, 'language'))}
                onChange={(event) => setDraft((current) => ({ ...current, language: event.target.value }))}
              >
                {!(TEMPLATE_LANGUAGES as readonly string[]).includes(draft.language) && (
                  <option value={draft.language}>{languageLabel(draft.language, locale)}</option>
                )}
                {TEMPLATE_LANGUAGES.map((code) => (
                  <option key={code} value={code}>
                    {languageLabel(code, locale)}
                  </option>
                ))}
              </select>
              <FieldProblems id={problemId('language')} problems={problemsFor(problems, 'language')} />
            </div>
            <div className="field">
              <label htmlFor={fieldId('category')}>{t('editor.category')}</label>
              <select
                id={fieldId('category')}
                className="select"
                value={draft.category}
                aria-describedby={describedBy(problemId('category'), problemsFor(problems, 'category'), `${fieldId('category')}-hint`)}
                onChange={(event) =>
                  setDraft((current) => ({ ...current, category: event.target.value as TemplateIn['category'] }))
                }
              >
                <option value="UTILITY">{t('templates.category.UTILITY')}</option>
                <option value="MARKETING">{t('templates.category.MARKETING')}</option>
              </select>
              <p id={`${fieldId('category')}-hint`} className="field__hint">
                {draft.category === 'UTILITY' ? t('editor.utilityHint') : t('editor.marketingHint')}
              </p>
              <FieldProblems id={problemId('category')} problems={problemsFor(problems, 'category')} />
            </div>
          </div>

          <fieldset className="fieldset">
            <legend>{t('editor.header')}</legend>
            <div className="field">
              <label htmlFor={fieldId('header')}>{t('editor.headerText')}</label>
              <input
                id={fieldId('header')}
                className="input"
                value={draft.header_text ?? ''}
                aria-describedby={describedBy(problemId('header'), headerProblems)}
                onChange={(event) => setDraft((current) => ({ ...current, header_text: event.target.value || null }))}
              />
              {draft.header_variable ? (
                <div className="variable-row" data-testid="header-variable">
                  <code className="variable-row__token">{`{{${draft.header_variable.index}}}`}</code>
                  <label htmlFor={fieldId('hv-placeholder')} className="visually-hidden">
                    {t('editor.placeholderFor', { token: `{{${draft.header_variable.index}}}` })}
                  </label>
                  <PlaceholderSelect
                    id={fieldId('hv-placeholder')}
                    value={draft.header_variable.placeholder}
                    placeholders={placeholderList}
                    onChange={(placeholder, key) =>
                      setDraft((current) => ({
                        ...current,
                        header_variable: current.header_variable && {
                          ...current.header_variable,
                          placeholder: key,
                          example: placeholder?.example ?? current.header_variable.example,
                        },
                      }))
                    }
                  />
                  <label htmlFor={fieldId('hv-example')} className="visually-hidden">
                    {t('editor.exampleFor', { token: `{{${draft.header_variable.index}}}` })}
                  </label>
                  <input
                    id={fieldId('hv-example')}
                    className="input input--compact"
                    value={draft.header_variable.example}
                    placeholder={t('editor.example')}
                    onChange={(event) =>
                      setDraft((current) => ({
                        ...current,
                        header_variable: current.header_variable && {
                          ...current.header_variable,
                          example: event.target.value,
                        },
                      }))
                    }
                  />
                </div>
              ) : (
                <VariableInserter
                  placeholders={placeholderList}
                  label={t('editor.addHeaderVariable')}
                  selectLabel={t('editor.headerVariableToInsert')}
                  onInsert={(placeholder) => setDraft((current) => insertHeaderVariable(current, placeholder))}
                />
              )}
              <FieldProblems id={problemId('header')} problems={headerProblems} />
            </div>
          </fieldset>

          <fieldset className="fieldset">
            <legend>{t('editor.body')}</legend>
            <div className="field">
              <label htmlFor={fieldId('body')}>{t('editor.bodyText')}</label>
              <textarea
                id={fieldId('body')}
                ref={bodyRef}
                className="textarea"
                rows={6}
                value={draft.body}
                aria-invalid={problemsFor(problems, 'body').length > 0}
                aria-describedby={describedBy(problemId('body'), problemsFor(problems, 'body'), `${fieldId('body')}-hint`)}
                onChange={(event) => setDraft((current) => ({ ...current, body: event.target.value }))}
              />
              <p id={`${fieldId('body')}-hint`} className="field__hint">
                {t('editor.bodyHint')}
              </p>
              <VariableInserter
                placeholders={placeholderList}
                label={t('editor.insertVariable')}
                selectLabel={t('editor.variableToInsert')}
                onInsert={(placeholder) => {
                  const textarea = bodyRef.current;
                  const focused = textarea !== null && document.activeElement === textarea;
                  const at = focused ? textarea.selectionStart : undefined;
                  setDraft((current) => insertBodyVariable(current, placeholder, at));
                }}
              />
              <FieldProblems id={problemId('body')} problems={problemsFor(problems, 'body')} />
            </div>

            {draft.body_variables.length > 0 && (
              <table className="variables" aria-label={t('editor.variables')}>
                <thead>
                  <tr>
                    <th scope="col">{t('editor.variable')}</th>
                    <th scope="col">{t('editor.placeholder')}</th>
                    <th scope="col">{t('editor.example')}</th>
                  </tr>
                </thead>
                <tbody>
                  {draft.body_variables.map((variable, index) => {
                    const field = `body_variables[${index}]`;
                    const rowProblems = problemsFor(problems, field);
                    const token = `{{${variable.index}}}`;
                    return (
                      <tr key={variable.index} data-testid="body-variable">
                        <td>
                          <code>{token}</code>
                        </td>
                        <td>
                          <label htmlFor={fieldId(`bv-${index}`)} className="visually-hidden">
                            {t('editor.placeholderFor', { token })}
                          </label>
                          <PlaceholderSelect
                            id={fieldId(`bv-${index}`)}
                            value={variable.placeholder}
                            placeholders={placeholderList}
                            describedById={describedBy(problemId(field), rowProblems)}
                            onChange={(placeholder, key) =>
                              setDraft((current) => ({
                                ...current,
                                body_variables: current.body_variables.map((item) =>
                                  item.index === variable.index
                                    ? { ...item, placeholder: key, example: placeholder?.example ?? item.example }
                                    : item,
                                ),
                              }))
                            }
                          />
                        </td>
                        <td>
                          <label htmlFor={fieldId(`bx-${index}`)} className="visually-hidden">
                            {t('editor.exampleFor', { token })}
                          </label>
                          <input
                            id={fieldId(`bx-${index}`)}
                            className="input input--compact"
                            value={variable.example}
                            aria-describedby={describedBy(problemId(field), rowProblems)}
                            onChange={(event) =>
                              setDraft((current) => ({
                                ...current,
                                body_variables: current.body_variables.map((item) =>
                                  item.index === variable.index ? { ...item, example: event.target.value } : item,
                                ),
                              }))
                            }
                          />
                          <FieldProblems id={problemId(field)} problems={rowProblems} />
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )}
          </fieldset>

          <div className="field">
            <label htmlFor={fieldId('footer')}>{t('editor.footer')}</label>
            <input
              id={fieldId('footer')}
              className="input"
              value={draft.footer ?? ''}
              aria-describedby={describedBy(problemId('footer'), problemsFor(problems, 'footer'))}
              onChange={(event) => setDraft((current) => ({ ...current, footer: event.target.value || null }))}
            />
            <FieldProblems id={problemId('footer')} problems={problemsFor(problems, 'footer')} />
          </div>

          <fieldset className="fieldset">
            <legend>{t('editor.buttons')}</legend>
            <FieldProblems id={problemId('buttons')} problems={buttonsProblems} />
            {draft.buttons.length === 0 && <p className="muted small">{t('editor.noButtons')}</p>}
            <ol className="buttons-editor">
              {draft.buttons.map((button, index) => {
                const field = `buttons[${index}]`;
                const rowProblems = problemsFor(problems, field);
                const rowId = fieldId(`btn-${index}`);
                return (
                  <li key={index} className="buttons-editor__item" data-testid="button-row">
                    <div className="field-row">
                      <div className="field">
                        <label htmlFor={`${rowId}-kind`}>{t('editor.buttonKind')}</label>
                        <select
                          id={`${rowId}-kind`}
                          className="select select--compact"
                          value={button.kind}
                          onChange={(event) =>
                            updateButton(index, { ...newButton(event.target.value as TemplateButton['kind']), text: button.text })
                          }
                        >
                          <option value="quick_reply">{t('editor.buttonKinds.quick_reply')}</option>
                          <option value="url">{t('editor.buttonKinds.url')}</option>
                          <option value="phone_number">{t('editor.buttonKinds.phone_number')}</option>
                        </select>
                      </div>
                      <div className="field field--grow">
                        <label htmlFor={`${rowId}-text`}>{t('editor.buttonText')}</label>
                        <input
                          id={`${rowId}-text`}
                          className="input input--compact"
                          value={button.text}
                          aria-describedby={describedBy(problemId(field), rowProblems)}
                          onChange={(event) => updateButton(index, { text: event.target.value })}
                        />
                      </div>
                    </div>
                    {button.kind === 'url' && (
                      <div className="field-row">
                        <div className="field field--grow">
                          <label htmlFor={`${rowId}-url`}>{t('editor.buttonUrl')}</label>
                          <input
                            id={`${rowId}-url`}
                            className="input input--compact"
                            type="url"
                            value={button.url ?? ''}
                            placeholder="https://example.com/booking/{{1}}"
                            onChange={(event) => updateButton(index, { url: event.target.value })}
                          />
                        </div>
                        {(button.url ?? '').includes('{{') && (
                          <div className="field">
                            <label htmlFor={`${rowId}-example`}>{t('editor.buttonExample')}</label>
                            <input
                              id={`${rowId}-example`}
                              className="input input--compact"
                              value={button.example ?? ''}
                              onChange={(event) => updateButton(index, { example: event.target.value || null })}
                            />
                          </div>
                        )}
                      </div>
                    )}
                    {button.kind === 'phone_number' && (
                      <div className="field">
                        <label htmlFor={`${rowId}-phone`}>{t('editor.buttonPhone')}</label>
                        <input
                          id={`${rowId}-phone`}
                          className="input input--compact"
                          type="tel"
                          value={button.phone_number ?? ''}
                          placeholder="+33 1 84 88 00 00"
                          onChange={(event) => updateButton(index, { phone_number: event.target.value })}
                        />
                      </div>
                    )}
                    <FieldProblems id={problemId(field)} problems={rowProblems} />
                    <button
                      type="button"
                      className="button button--ghost button--small"
                      onClick={() =>
                        setDraft((current) => ({ ...current, buttons: current.buttons.filter((_, i) => i !== index) }))
                      }
                    >
                      {t('editor.removeButton')}
                    </button>
                  </li>
                );
              })}
            </ol>
            <div className="actions actions--start">
              {(['quick_reply', 'url', 'phone_number'] as const).map((kind) => (
                <button
                  key={kind}
                  type="button"
                  className="button button--small"
                  onClick={() => setDraft((current) => ({ ...current, buttons: [...current.buttons, newButton(kind)] }))}
                >
                  {t(`editor.addButton.${kind}`)}
                </button>
              ))}
            </div>
          </fieldset>

          <div className="actions actions--start editor__actions">
            <button type="submit" className="button button--primary" disabled={busy} aria-busy={save.isPending}>
              {t('editor.saveDraft')}
            </button>
            {(!template || SUBMITTABLE.has(template.status)) && (
              <button
                type="button"
                className="button"
                disabled={busy}
                aria-busy={submit.isPending}
                onClick={() => void onSubmitForApproval()}
              >
                {t('editor.submit')}
              </button>
            )}
            {template &&
              (confirmDelete ? (
                <span className="confirm" role="group" aria-label={t('editor.confirmDelete')}>
                  <span>{t('editor.confirmDelete')}</span>
                  <button type="button" className="button button--danger button--small" disabled={busy} onClick={onDelete}>
                    {t('editor.delete')}
                  </button>
                  <button type="button" className="button button--ghost button--small" onClick={() => setConfirmDelete(false)}>
                    {t('app.cancel')}
                  </button>
                </span>
              ) : (
                <button type="button" className="button button--ghost button--danger-text" onClick={() => setConfirmDelete(true)}>
                  {t('editor.delete')}
                </button>
              ))}
            {validation.isFetching && <span className="muted small">{t('editor.checking')}</span>}
          </div>
        </form>

        <aside className="editor__preview" aria-label={t('preview.title')}>
          <h2 className="editor__preview-title">{t('preview.title')}</h2>
          <div className="wa-canvas">
            <WhatsAppBubble
              header={preview.header}
              body={preview.body}
              footer={draft.footer}
              buttons={draft.buttons}
              time="12:00"
            />
          </div>
          <p className="muted small">{t('preview.examplesNote')}</p>
        </aside>
      </div>
    </main>
  );
}
