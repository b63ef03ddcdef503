import { type FormEvent, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '@/components/ErrorMessage';
import { FieldProblems } from '@/components/FieldProblems';
import { Spinner } from '@/components/LoadingScreen';
import { isApiError } from '@/lib/api-client';
import type { SavedReply } from '@/lib/api-types';
import { languageName } from '@/lib/languages';
import '../saved-replies.css';
import { useDeleteReply, usePlaceholders, useSaveReply, useSavedReplies } from '../api/saved-replies';

const LANGUAGES = ['en', 'fr', 'de', 'es', 'it', 'nl', 'pt'];

interface Draft {
  id: string | null;
  name: string;
  shortcut: string;
  bodies: [string, string][];
}

const emptyDraft = (language: string): Draft => ({ id: null, name: '', shortcut: '', bodies: [[language, '']] });
const toDraft = (reply: SavedReply): Draft => ({
  id: reply.id,
  name: reply.name,
  shortcut: reply.shortcut,
  bodies: Object.entries(reply.bodies),
});

/** Settings › Saved replies: the list, and an editor with a placeholder picker. */
export function SavedRepliesScreen() {
  const { t, i18n } = useTranslation();
  const replies = useSavedReplies();
  const [draft, setDraft] = useState<Draft | null>(null);

  return (
    <section className="saved-replies" aria-labelledby="saved-replies-title">
      <h1 id="saved-replies-title">{t('savedReplies.title')}</h1>
      <p className="muted">{t('savedReplies.intro')}</p>
      <button type="button" className="button button--primary" onClick={() => setDraft(emptyDraft(i18n.language))}>
        {t('savedReplies.new')}
      </button>
      {replies.isPending && <Spinner />}
      {replies.isError && <ErrorMessage error={replies.error} onRetry={() => void replies.refetch()} />}
      {replies.isSuccess && replies.data.length === 0 && <p className="muted">{t('savedReplies.empty')}</p>}
      {replies.isSuccess && replies.data.length > 0 && (
        <ul className="saved-replies__list">
          {replies.data.map((reply) => (
            <li key={reply.id}>
              <button type="button" className="link-button" onClick={() => setDraft(toDraft(reply))}>
                <strong>/{reply.shortcut}</strong> {reply.name}
              </button>{' '}
              <span className="muted small">
                {Object.keys(reply.bodies)
                  .map((code) => languageName(code, i18n.language))
                  .join(', ')}
              </span>
            </li>
          ))}
        </ul>
      )}
      {draft && <SavedReplyEditor key={draft.id ?? 'new'} initial={draft} onDone={() => setDraft(null)} />}
    </section>
  );
}

function SavedReplyEditor({ initial, onDone }: { initial: Draft; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const save = useSaveReply();
  const remove = useDeleteReply();
  const placeholders = usePlaceholders();
  const [draft, setDraft] = useState(initial);
  const [placeholder, setPlaceholder] = useState('');
  const [lastLanguage, setLastLanguage] = useState(initial.bodies[0]?.[0] ?? 'en');
  const areas = useRef<Record<string, HTMLTextAreaElement | null>>({});
  const problems = (field: string) =>
    isApiError(save.error) ? save.error.errors.filter((problem) => problem.field === field) : [];
  const unused = LANGUAGES.filter((code) => !draft.bodies.some(([language]) => language === code));

  const setBody = (language: string, text: string) =>
    setDraft((d) => ({ ...d, bodies: d.bodies.map(([l, b]) => [l, l === language ? text : b]) }));

  const insertPlaceholder = () => {
    if (!placeholder) return;
    const token = `{{ ${placeholder} }}`;
    const area = areas.current[lastLanguage];
    const text = draft.bodies.find(([l]) => l === lastLanguage)?.[1] ?? '';
    const at = area ? area.selectionStart : text.length;
    setBody(lastLanguage, text.slice(0, at) + token + text.slice(at));
    setPlaceholder('');
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(
      {
        id: draft.id,
        input: { name: draft.name, shortcut: draft.shortcut, bodies: Object.fromEntries(draft.bodies) },
      },
      { onSuccess: onDone },
    );
  };

  return (
    <form className="saved-reply-editor card" onSubmit={submit} aria-label={t('savedReplies.editor')}>
      {save.isError && !isApiError(save.error) && <ErrorMessage error={save.error} />}
      {isApiError(save.error) && save.error.errors.length === 0 && <ErrorMessage error={save.error} />}
      <div className="field">
        <label htmlFor={`${id}-name`}>{t('savedReplies.name')}</label>
        <input
          id={`${id}-name`}
          className="input"
          value={draft.name}
          onChange={(event) => setDraft({ ...draft, name: event.target.value })}
        />
        <FieldProblems id={`${id}-name-problems`} problems={problems('name')} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-shortcut`}>{t('savedReplies.shortcut')}</label>
        <input
          id={`${id}-shortcut`}
          className="input"
          value={draft.shortcut}
          placeholder="wifi"
          onChange={(event) => setDraft({ ...draft, shortcut: event.target.value })}
        />
        <p className="field__hint">{t('savedReplies.shortcutHint')}</p>
        <FieldProblems id={`${id}-shortcut-problems`} problems={problems('shortcut')} />
      </div>
      {draft.bodies.map(([language, text]) => (
        <div className="field" key={language}>
          <label htmlFor={`${id}-body-${language}`}>
            {t('savedReplies.body', { language: languageName(language, i18n.language) })}
          </label>
          <textarea
            id={`${id}-body-${language}`}
            ref={(element) => {
              areas.current[language] = element;
            }}
            className="textarea"
            rows={4}
            value={text}
            onFocus={() => setLastLanguage(language)}
            onChange={(event) => setBody(language, event.target.value)}
          />
          {draft.bodies.length > 1 && (
            <button
              type="button"
              className="button button--ghost button--small"
              onClick={() => setDraft({ ...draft, bodies: draft.bodies.filter(([l]) => l !== language) })}
            >
              {t('savedReplies.removeLanguage')}
            </button>
          )}
          <FieldProblems id={`${id}-body-${language}-problems`} problems={problems(`bodies.${language}`)} />
        </div>
      ))}
      <FieldProblems id={`${id}-bodies-problems`} problems={problems('bodies')} />
      <div className="inserter">
        <label htmlFor={`${id}-add-language`}>{t('savedReplies.addLanguage')}</label>
        <select
          id={`${id}-add-language`}
          className="select select--compact"
          value=""
          onChange={(event) =>
            event.target.value && setDraft({ ...draft, bodies: [...draft.bodies, [event.target.value, '']] })
          }
        >
          <option value="">{t('savedReplies.chooseLanguage')}</option>
          {unused.map((code) => (
            <option key={code} value={code}>
              {languageName(code, i18n.language)}
            </option>
          ))}
        </select>
      </div>
      <div className="inserter placeholder-picker">
        <label htmlFor={`${id}-placeholder`}>{t('savedReplies.placeholder')}</label>
        <select
          id={`${id}-placeholder`}
          className="select select--compact"
          value={placeholder}
          onChange={(event) => setPlaceholder(event.target.value)}
        >
          <option value="">{t('savedReplies.choosePlaceholder')}</option>
          {(placeholders.data ?? []).map((p) => (
            <option key={p.key} value={p.key}>
              {p.description} — {p.example}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="button button--small"
          disabled={!placeholder}
          onMouseDown={(event) => event.preventDefault()}
          onClick={insertPlaceholder}
        >
          {t('savedReplies.insert')}
        </button>
        <span className="muted small">
          {t('savedReplies.insertInto', { language: languageName(lastLanguage, i18n.language) })}
        </span>
      </div>
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={save.isPending}>
          {t('savedReplies.save')}
        </button>
        <button type="button" className="button" onClick={onDone}>
          {t('app.cancel')}
        </button>
        {draft.id && (
          <button
            type="button"
            className="button button--danger"
            disabled={remove.isPending}
            onClick={() => remove.mutate(draft.id!, { onSuccess: onDone })}
          >
            {t('savedReplies.delete')}
          </button>
        )}
      </div>
    </form>
  );
}
