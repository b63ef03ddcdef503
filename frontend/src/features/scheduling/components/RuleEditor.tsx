import { type FormEvent, useId, useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { ErrorMessage } from '@/components/ErrorMessage';
import { describedBy, FieldProblems } from '@/components/FieldProblems';
import { SmsSegmentCounter } from '@/components/SmsSegmentCounter';
import { isApiError } from '@/lib/api-client';
import { type Channel, type ContentVersion, type FieldProblem, type Rule, type RuleIn, TRIGGERS } from '@/lib/api-types';
import { useSession } from '@/lib/auth';
import { languageName } from '@/lib/languages';
import { useLocaleContext } from '@/lib/use-locale';
import { useDeleteRule, usePlaceholders, useSaveRule, useWhatsAppTemplates } from '../api/rules';
import {
  BOOKING_SOURCES,
  CONTENT_LANGUAGES,
  type ContentField,
  type ContentTab,
  emptyRule,
  insertAt,
  normaliseProblems,
  normaliseRule,
  placeholderToken,
  problemsFor,
  tabProblems,
  toRuleIn,
  triggerSummary,
} from '../utils/rule-draft';
import { ChannelOrderEditor } from './ChannelOrderEditor';
import { PlaceholderPicker } from './PlaceholderPicker';
import { PlannedSendsTable } from './PlannedSendsTable';
import { RulePreviewPanel } from './RulePreviewPanel';

/** Fields a problem can be shown next to; any other problem goes in the box on top. */
const STATIC_FIELDS = [
  'name',
  'active',
  'trigger',
  'offset_days',
  'offset_hours',
  'send_time',
  'conditions.sources',
  'conditions.min_nights',
  'conditions.languages',
  'conditions',
  'channel_order',
  'content.whatsapp_template_id',
  'marketing',
];

function toggle(list: string[] | null | undefined, value: string, on: boolean): string[] {
  const current = list ?? [];
  return on ? [...current.filter((item) => item !== value), value] : current.filter((item) => item !== value);
}

function numberValue(value: string): number {
  return value === '' ? Number.NaN : Number(value);
}

export function RuleEditor({ rule }: { rule?: Rule }) {
  const { t } = useTranslation();
  const { locale, timeZone } = useLocaleContext();
  const me = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const id = useId();
  const canEdit = me.role === 'owner' || me.role === 'manager';

  const [draft, setDraftState] = useState<RuleIn>(() => (rule ? toRuleIn(rule) : emptyRule()));
  const [dirty, setDirty] = useState(false);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  // A rule just created arrives here through navigation: say it was saved.
  const [notice, setNotice] = useState<string | null>(() =>
    (location.state as { created?: boolean } | null)?.created ? t('scheduling.editor.saved') : null,
  );
  const [tab, setTab] = useState<ContentTab>('default');
  const [languageToAdd, setLanguageToAdd] = useState('');
  const [confirmDelete, setConfirmDelete] = useState(false);

  const fieldRefs = useRef<Record<string, HTMLInputElement | HTMLTextAreaElement | null>>({});
  const lastField = useRef<ContentField | null>(null);
  const pendingCaret = useRef<{ key: string; caret: number } | null>(null);

  const templates = useWhatsAppTemplates();
  const placeholders = usePlaceholders();
  const save = useSaveRule();
  const remove = useDeleteRule();

  const setDraft = (update: (current: RuleIn) => RuleIn) => {
    setDraftState(update);
    setDirty(true);
    setNotice(null);
  };

  // After an insertion, put the caret right after the placeholder.
  useLayoutEffect(() => {
    const pending = pendingCaret.current;
    if (!pending) return;
    pendingCaret.current = null;
    const element = fieldRefs.current[pending.key];
    if (element) {
      element.focus();
      element.setSelectionRange(pending.caret, pending.caret);
    }
  });

  const translations = draft.content.translations;
  const tabs: ContentTab[] = ['default', ...Object.keys(translations)];
  const activeTab = tabs.includes(tab) ? tab : 'default';
  const version: ContentVersion = activeTab === 'default' ? draft.content.default : (translations[activeTab] ?? {});
  const tabLabel = (name: ContentTab) => (name === 'default' ? t('scheduling.content.default') : languageName(name, locale));
  const addable = CONTENT_LANGUAGES.filter((language) => !(language in translations));
  const chosenLanguage = languageToAdd && addable.includes(languageToAdd as never) ? languageToAdd : (addable[0] ?? '');

  const setVersionField = (target: ContentTab, field: ContentField, value: string) =>
    setDraft((current) => {
      const content = current.content;
      if (target === 'default') return { ...current, content: { ...content, default: { ...content.default, [field]: value } } };
      return {
        ...current,
        content: {
          ...content,
          translations: { ...content.translations, [target]: { ...content.translations[target], [field]: value } },
        },
      };
    });

  const addLanguage = () => {
    if (!chosenLanguage) return;
    setDraft((current) => ({
      ...current,
      content: { ...current.content, translations: { ...current.content.translations, [chosenLanguage]: {} } },
    }));
    setTab(chosenLanguage);
    setLanguageToAdd('');
  };

  const removeLanguage = (language: string) => {
    setDraft((current) => {
      const rest = { ...current.content.translations };
      delete rest[language];
      return { ...current, content: { ...current.content, translations: rest } };
    });
    setTab('default');
  };

  /** The field a placeholder goes into: the last one used, else the one the channels need most. */
  const insertTarget = (): ContentField => {
    if (lastField.current) return lastField.current;
    return draft.channel_order.includes('email') && !draft.channel_order.includes('sms') ? 'email_body' : 'sms_text';
  };

  const insertPlaceholder = (key: string) => {
    const field = insertTarget();
    const refKey = `${activeTab}.${field}`;
    const element = fieldRefs.current[refKey];
    const current = version[field] ?? '';
    const { text, caret } = insertAt(current, placeholderToken(key), element?.selectionStart, element?.selectionEnd);
    pendingCaret.current = { key: refKey, caret };
    setVersionField(activeTab, field, text);
  };

  const busy = save.isPending || remove.isPending;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setProblems([]);
    try {
      const saved = await save.mutateAsync({ id: rule?.id ?? null, rule: normaliseRule(draft) });
      setDirty(false);
      setNotice(t('scheduling.editor.saved'));
      if (!rule) navigate(`/scheduled-messages/${encodeURIComponent(saved.id)}`, { replace: true, state: { created: true } });
    } catch (error) {
      if (isApiError(error) && error.errors.length > 0) {
        const found = normaliseProblems(error.errors);
        setProblems(found);
        // Show a language tab with problems when the open one has none.
        if (tabProblems(found, activeTab).length === 0) {
          const other = tabs.find((name) => tabProblems(found, name).length > 0);
          if (other) setTab(other);
        }
      }
    }
  };

  const onDelete = () => {
    if (!rule) return;
    remove.mutate(rule.id, { onSuccess: () => navigate('/scheduled-messages', { replace: true }) });
  };

  const fieldId = (name: string) => `${id}-${name.replace(/\./g, '-')}`;
  const problemId = (name: string) => `${fieldId(name)}-problems`;
  const fieldProblems = (name: string) => problemsFor(problems, name);
  const contentFields = tabs.flatMap((name) => [`content.${name}`, ...(['email_subject', 'email_body', 'sms_text'] as const).map((field) => `content.${name}.${field}`)]);
  const general = problems.filter((problem) => !STATIC_FIELDS.includes(problem.field) && !contentFields.includes(problem.field));
  const mutationError = [save, remove].find(
    (mutation) => mutation.isError && !(isApiError(mutation.error) && mutation.error.errors.length > 0),
  )?.error;

  const approved = (templates.data ?? []).filter((template) => template.status === 'approved');
  const chosenTemplate = (templates.data ?? []).find((template) => template.id === draft.content.whatsapp_template_id);
  const templateOptions = chosenTemplate && chosenTemplate.status !== 'approved' ? [chosenTemplate, ...approved] : approved;

  /** A text field of the open content tab, with its problems right under it. */
  const contentField = (field: ContentField, options: { multiline?: boolean; rows?: number; hint?: string } = {}) => {
    const name = `content.${activeTab}.${field}`;
    const refKey = `${activeTab}.${field}`;
    const own = fieldProblems(name);
    const hintId = options.hint ? `${fieldId(name)}-hint` : undefined;
    const common = {
      id: fieldId(name),
      value: version[field] ?? '',
      placeholder: activeTab === 'default' ? undefined : (draft.content.default[field] ?? undefined),
      'aria-invalid': own.length > 0,
      'aria-describedby': describedBy(problemId(name), own, hintId),
      onFocus: () => {
        lastField.current = field;
      },
      readOnly: !canEdit,
    };
    return (
      <div className="field">
        <label htmlFor={fieldId(name)}>{t(`scheduling.content.${field}`)}</label>
        {options.multiline ? (
          <textarea
            {...common}
            ref={(element) => {
              fieldRefs.current[refKey] = element;
            }}
            className={`textarea${field === 'email_body' ? ' textarea--code' : ''}`}
            rows={options.rows ?? 4}
            spellCheck={field !== 'email_body'}
            onChange={(event) => setVersionField(activeTab, field, event.target.value)}
          />
        ) : (
          <input
            {...common}
            ref={(element) => {
              fieldRefs.current[refKey] = element;
            }}
            className="input"
            onChange={(event) => setVersionField(activeTab, field, event.target.value)}
          />
        )}
        {options.hint && (
          <p id={hintId} className="field__hint">
            {options.hint}
          </p>
        )}
        {field === 'sms_text' && <SmsSegmentCounter text={version.sms_text ?? ''} />}
        <FieldProblems id={problemId(name)} problems={own} testId={`problems-${name}`} />
      </div>
    );
  };

  return (
    <div className="stack">
      <header className="page__header">
        <div>
          <Link to="/scheduled-messages" className="muted small">
            ← {t('scheduling.title')}
          </Link>
          <h1 className="page__title">
            {rule ? rule.name : t('scheduling.editor.newTitle')}{' '}
            {rule && (
              <span className={`badge badge--rule badge--rule-${rule.active ? 'active' : 'inactive'}`}>
                {rule.active ? t('scheduling.active') : t('scheduling.inactive')}
              </span>
            )}
          </h1>
        </div>
      </header>

      <div className="editor editor--rule">
        <form className="editor__form stack" onSubmit={onSubmit} aria-label={t('scheduling.editor.form')} noValidate>
          {!canEdit && <p className="alert alert--info">{t('scheduling.managersOnly')}</p>}
          {general.length > 0 && (
            <div role="alert" className="alert alert--error" data-testid="general-problems">
              <ul>
                {general.map((problem, index) => (
                  <li key={index}>{problem.message}</li>
                ))}
              </ul>
            </div>
          )}
          {problems.length > 0 && general.length === 0 && (
            <p role="alert" className="alert alert--error">
              {t('scheduling.editor.fixProblems')}
            </p>
          )}
          {mutationError !== undefined && <ErrorMessage error={mutationError} />}
          {notice && (
            <p role="status" className="alert alert--success">
              {notice}
            </p>
          )}

          <div className="field-row">
            <div className="field field--grow">
              <label htmlFor={fieldId('name')}>{t('scheduling.editor.name')}</label>
              <input
                id={fieldId('name')}
                className="input"
                value={draft.name}
                readOnly={!canEdit}
                placeholder={t('scheduling.editor.namePlaceholder')}
                aria-invalid={fieldProblems('name').length > 0}
                aria-describedby={describedBy(problemId('name'), fieldProblems('name'))}
                onChange={(event) => setDraft((current) => ({ ...current, name: event.target.value }))}
              />
              <FieldProblems id={problemId('name')} problems={fieldProblems('name')} testId="problems-name" />
            </div>
            <label className="checkbox checkbox--switch">
              <input
                type="checkbox"
                checked={draft.active}
                disabled={!canEdit}
                onChange={(event) => setDraft((current) => ({ ...current, active: event.target.checked }))}
              />
              <span>{t('scheduling.editor.active')}</span>
            </label>
          </div>

          <fieldset className="fieldset">
            <legend>{t('scheduling.editor.when')}</legend>
            <div className="field-row">
              <div className="field">
                <label htmlFor={fieldId('trigger')}>{t('scheduling.editor.trigger')}</label>
                <select
                  id={fieldId('trigger')}
                  className="select"
                  value={draft.trigger}
                  disabled={!canEdit}
                  aria-describedby={describedBy(problemId('trigger'), fieldProblems('trigger'))}
                  onChange={(event) =>
                    setDraft((current) => ({ ...current, trigger: event.target.value as RuleIn['trigger'] }))
                  }
                >
                  {TRIGGERS.map((trigger) => (
                    <option key={trigger} value={trigger}>
                      {t(`scheduling.triggers.${trigger}`)}
                    </option>
                  ))}
                </select>
                <FieldProblems id={problemId('trigger')} problems={fieldProblems('trigger')} testId="problems-trigger" />
              </div>
              <div className="field field--number">
                <label htmlFor={fieldId('offset_days')}>{t('scheduling.editor.days')}</label>
                <input
                  id={fieldId('offset_days')}
                  className="input"
                  type="number"
                  min={0}
                  max={365}
                  readOnly={!canEdit}
                  value={Number.isFinite(draft.offset_days) ? draft.offset_days : ''}
                  aria-invalid={fieldProblems('offset_days').length > 0}
                  aria-describedby={describedBy(problemId('offset_days'), fieldProblems('offset_days'))}
                  onChange={(event) => setDraft((current) => ({ ...current, offset_days: numberValue(event.target.value) }))}
                />
                <FieldProblems id={problemId('offset_days')} problems={fieldProblems('offset_days')} testId="problems-offset_days" />
              </div>
              <div className="field field--number">
                <label htmlFor={fieldId('offset_hours')}>{t('scheduling.editor.hours')}</label>
                <input
                  id={fieldId('offset_hours')}
                  className="input"
                  type="number"
                  min={0}
                  readOnly={!canEdit}
                  value={Number.isFinite(draft.offset_hours) ? draft.offset_hours : ''}
                  aria-invalid={fieldProblems('offset_hours').length > 0}
                  aria-describedby={describedBy(problemId('offset_hours'), fieldProblems('offset_hours'))}
                  onChange={(event) => setDraft((current) => ({ ...current, offset_hours: numberValue(event.target.value) }))}
                />
                <FieldProblems id={problemId('offset_hours')} problems={fieldProblems('offset_hours')} testId="problems-offset_hours" />
              </div>
              <div className="field">
                <label htmlFor={fieldId('send_time')}>{t('scheduling.editor.sendTime')}</label>
                <input
                  id={fieldId('send_time')}
                  className="input"
                  type="time"
                  readOnly={!canEdit}
                  value={draft.send_time ?? ''}
                  aria-invalid={fieldProblems('send_time').length > 0}
                  aria-describedby={describedBy(problemId('send_time'), fieldProblems('send_time'), `${fieldId('send_time')}-hint`)}
                  onChange={(event) => setDraft((current) => ({ ...current, send_time: event.target.value || null }))}
                />
                <FieldProblems id={problemId('send_time')} problems={fieldProblems('send_time')} testId="problems-send_time" />
              </div>
            </div>
            <p id={`${fieldId('send_time')}-hint`} className="field__hint">
              {t('scheduling.editor.sendTimeHint', { timeZone: timeZone ?? '' })}
            </p>
            <p className="rule-summary" data-testid="rule-summary">
              <strong>{t('scheduling.editor.summary')}</strong> {triggerSummary(t, draft)}
            </p>
          </fieldset>

          <fieldset className="fieldset">
            <legend>{t('scheduling.editor.conditions')}</legend>
            <p className="field__hint">{t('scheduling.editor.conditionsHint')}</p>
            <div className="field-row">
              <fieldset className="checkbox-group" aria-describedby={describedBy(problemId('conditions.sources'), fieldProblems('conditions.sources'))}>
                <legend>{t('scheduling.editor.sources')}</legend>
                {BOOKING_SOURCES.map((source) => (
                  <label key={source} className="checkbox">
                    <input
                      type="checkbox"
                      disabled={!canEdit}
                      checked={draft.conditions.sources?.includes(source) ?? false}
                      onChange={(event) =>
                        setDraft((current) => ({
                          ...current,
                          conditions: { ...current.conditions, sources: toggle(current.conditions.sources, source, event.target.checked) },
                        }))
                      }
                    />
                    <span>{t(`booking.source.${source}`)}</span>
                  </label>
                ))}
                <FieldProblems id={problemId('conditions.sources')} problems={fieldProblems('conditions.sources')} />
              </fieldset>
              <fieldset className="checkbox-group" aria-describedby={describedBy(problemId('conditions.languages'), fieldProblems('conditions.languages'))}>
                <legend>{t('scheduling.editor.languages')}</legend>
                {CONTENT_LANGUAGES.map((language) => (
                  <label key={language} className="checkbox">
                    <input
                      type="checkbox"
                      disabled={!canEdit}
                      checked={draft.conditions.languages?.includes(language) ?? false}
                      onChange={(event) =>
                        setDraft((current) => ({
                          ...current,
                          conditions: {
                            ...current.conditions,
                            languages: toggle(current.conditions.languages, language, event.target.checked),
                          },
                        }))
                      }
                    />
                    <span>{languageName(language, locale)}</span>
                  </label>
                ))}
                <FieldProblems id={problemId('conditions.languages')} problems={fieldProblems('conditions.languages')} />
              </fieldset>
              <div className="field field--number">
                <label htmlFor={fieldId('conditions.min_nights')}>{t('scheduling.editor.minNights')}</label>
                <input
                  id={fieldId('conditions.min_nights')}
                  className="input"
                  type="number"
                  min={1}
                  max={365}
                  readOnly={!canEdit}
                  value={draft.conditions.min_nights ?? ''}
                  aria-describedby={describedBy(problemId('conditions.min_nights'), fieldProblems('conditions.min_nights'))}
                  onChange={(event) =>
                    setDraft((current) => ({
                      ...current,
                      conditions: {
                        ...current.conditions,
                        min_nights: event.target.value === '' ? null : Number(event.target.value),
                      },
                    }))
                  }
                />
                <FieldProblems id={problemId('conditions.min_nights')} problems={fieldProblems('conditions.min_nights')} testId="problems-conditions.min_nights" />
              </div>
            </div>
          </fieldset>

          <fieldset className="fieldset">
            <legend id={fieldId('channel_order')}>{t('scheduling.editor.channels')}</legend>
            <p id={`${fieldId('channel_order')}-hint`} className="field__hint">
              {t('scheduling.editor.channelsHint')}
            </p>
            <ChannelOrderEditor
              value={draft.channel_order}
              describedBy={describedBy(problemId('channel_order'), fieldProblems('channel_order'), `${fieldId('channel_order')}-hint`)}
              onChange={(order: Channel[]) => setDraft((current) => ({ ...current, channel_order: order }))}
            />
            <FieldProblems id={problemId('channel_order')} problems={fieldProblems('channel_order')} testId="problems-channel_order" />
          </fieldset>

          <fieldset className="fieldset">
            <legend>{t('scheduling.editor.content')}</legend>
            {draft.channel_order.includes('whatsapp') && (
              <div className="field">
                <label htmlFor={fieldId('content.whatsapp_template_id')}>{t('scheduling.content.template')}</label>
                <select
                  id={fieldId('content.whatsapp_template_id')}
                  className="select"
                  disabled={!canEdit}
                  value={draft.content.whatsapp_template_id ?? ''}
                  aria-invalid={fieldProblems('content.whatsapp_template_id').length > 0}
                  aria-describedby={describedBy(
                    problemId('content.whatsapp_template_id'),
                    fieldProblems('content.whatsapp_template_id'),
                    `${fieldId('content.whatsapp_template_id')}-hint`,
                  )}
                  onChange={(event) =>
                    setDraft((current) => ({
                      ...current,
                      content: { ...current.content, whatsapp_template_id: event.target.value || null },
                    }))
                  }
                >
                  <option value="">{t('scheduling.content.chooseTemplate')}</option>
                  {templateOptions.map((template) => (
                    <option key={template.id} value={template.id}>
                      {template.name} ({languageName(template.language, locale)})
                      {template.status !== 'approved' ? ` — ${t(`templates.status.${template.status}`)}` : ''}
                    </option>
                  ))}
                </select>
                <p id={`${fieldId('content.whatsapp_template_id')}-hint`} className="field__hint">
                  {templates.isSuccess && approved.length === 0 ? t('scheduling.content.noApprovedTemplate') : t('scheduling.content.templateHint')}{' '}
                  <Link to="/templates">{t('scheduling.content.manageTemplates')}</Link>
                </p>
                <FieldProblems
                  id={problemId('content.whatsapp_template_id')}
                  problems={fieldProblems('content.whatsapp_template_id')}
                  testId="problems-content.whatsapp_template_id"
                />
              </div>
            )}

            <div className="lang-tabs">
              <div role="tablist" aria-label={t('scheduling.content.versions')} className="lang-tabs__list">
                {tabs.map((name) => {
                  const count = tabProblems(problems, name).length;
                  return (
                    <button
                      key={name}
                      type="button"
                      role="tab"
                      id={`${id}-tab-${name}`}
                      aria-selected={name === activeTab}
                      aria-controls={`${id}-panel`}
                      className={`lang-tabs__tab${count > 0 ? ' lang-tabs__tab--problems' : ''}`}
                      onClick={() => setTab(name)}
                    >
                      {tabLabel(name)}
                      {count > 0 && (
                        <span className="lang-tabs__count" aria-label={t('scheduling.content.problemCount', { count })}>
                          {count}
                        </span>
                      )}
                    </button>
                  );
                })}
              </div>
              {canEdit && addable.length > 0 && (
                <div className="inserter">
                  <label htmlFor={`${id}-add-language`} className="visually-hidden">
                    {t('scheduling.content.languageToAdd')}
                  </label>
                  <select
                    id={`${id}-add-language`}
                    className="select select--compact"
                    value={chosenLanguage}
                    onChange={(event) => setLanguageToAdd(event.target.value)}
                  >
                    {addable.map((language) => (
                      <option key={language} value={language}>
                        {languageName(language, locale)}
                      </option>
                    ))}
                  </select>
                  <button type="button" className="button button--small" onClick={addLanguage}>
                    {t('scheduling.content.addLanguage')}
                  </button>
                </div>
              )}
            </div>

            <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-tab-${activeTab}`} className="stack lang-tabs__panel">
              <p className="field__hint">
                {activeTab === 'default'
                  ? t('scheduling.content.defaultHint')
                  : t('scheduling.content.translationHint', { language: tabLabel(activeTab) })}
              </p>
              <FieldProblems id={problemId(`content.${activeTab}`)} problems={fieldProblems(`content.${activeTab}`)} testId={`problems-content.${activeTab}`} />
              {canEdit && (
                <PlaceholderPicker
                  placeholders={placeholders.data ?? []}
                  target={t(`scheduling.content.${insertTarget()}`)}
                  onInsert={insertPlaceholder}
                />
              )}
              {contentField('email_subject')}
              {contentField('email_body', { multiline: true, rows: 8, hint: t('scheduling.content.emailBodyHint') })}
              {contentField('sms_text', { multiline: true, rows: 3 })}
              {activeTab !== 'default' && canEdit && (
                <div>
                  <button type="button" className="button button--small button--ghost button--danger-text" onClick={() => removeLanguage(activeTab)}>
                    {t('scheduling.content.removeLanguage', { language: tabLabel(activeTab) })}
                  </button>
                </div>
              )}
            </div>
          </fieldset>

          <label className="checkbox">
            <input
              type="checkbox"
              checked={draft.marketing}
              disabled={!canEdit}
              onChange={(event) => setDraft((current) => ({ ...current, marketing: event.target.checked }))}
            />
            <span>{t('scheduling.editor.marketing')}</span>
          </label>

          {canEdit && (
            <div className="actions actions--start editor__actions">
              <button type="submit" className="button button--primary" disabled={busy} aria-busy={save.isPending}>
                {rule ? t('scheduling.editor.save') : t('scheduling.editor.create')}
              </button>
              {rule &&
                (confirmDelete ? (
                  <span className="confirm" role="group" aria-label={t('scheduling.editor.confirmDelete')}>
                    <span>{t('scheduling.editor.confirmDelete')}</span>
                    <button type="button" className="button button--danger button--small" disabled={busy} onClick={onDelete}>
                      {t('scheduling.editor.delete')}
                    </button>
                    <button type="button" className="button button--ghost button--small" onClick={() => setConfirmDelete(false)}>
                      {t('app.cancel')}
                    </button>
                  </span>
                ) : (
                  <button type="button" className="button button--ghost button--danger-text" onClick={() => setConfirmDelete(true)}>
                    {t('scheduling.editor.delete')}
                  </button>
                ))}
              {dirty && <span className="muted small">{t('scheduling.editor.unsaved')}</span>}
            </div>
          )}
        </form>

        <aside className="editor__preview" aria-label={t('scheduling.preview.title')}>
          {rule ? (
            <RulePreviewPanel ruleId={rule.id} dirty={dirty} templateId={rule.content.whatsapp_template_id} />
          ) : (
            <div className="card">
              <h2 className="editor__preview-title">{t('scheduling.preview.title')}</h2>
              <p className="muted small">{t('scheduling.preview.saveFirst')}</p>
            </div>
          )}
        </aside>
      </div>

      {rule && (
        <section className="stack" aria-labelledby={`${id}-planned`}>
          <h2 id={`${id}-planned`} className="section-title">
            {t('scheduling.planned.forRule')}
          </h2>
          <PlannedSendsTable filters={{ rule_id: rule.id }} showRule={false} />
        </section>
      )}
    </div>
  );
}
