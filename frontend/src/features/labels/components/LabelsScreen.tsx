import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '@/components/ErrorMessage';
import { FieldProblems } from '@/components/FieldProblems';
import { Spinner } from '@/components/LoadingScreen';
import { isApiError } from '@/lib/api-client';
import type { LabelTag } from '@/lib/api-types';
import { LABEL_COLOURS, useDeleteLabel, useLabels, useSaveLabel } from '../api/labels';
import { LabelChip } from './LabelChip';
import '../labels.css';

/** Settings › Labels: the property's catalogue (name and colour). */
export function LabelsScreen() {
  const { t } = useTranslation();
  const labels = useLabels();
  const remove = useDeleteLabel();
  const [editing, setEditing] = useState<LabelTag | null>(null);

  return (
    <section aria-labelledby="labels-title">
      <h1 id="labels-title">{t('labels.title')}</h1>
      <p className="muted">{t('labels.intro')}</p>
      <LabelForm key={editing?.id ?? 'new'} label={editing} onDone={() => setEditing(null)} />
      {labels.isPending && <Spinner />}
      {labels.isError && <ErrorMessage error={labels.error} onRetry={() => void labels.refetch()} />}
      {remove.isError && <ErrorMessage error={remove.error} />}
      {labels.isSuccess && labels.data.length === 0 && <p className="muted">{t('labels.empty')}</p>}
      <ul className="labels__list">
        {(labels.data ?? []).map((label) => (
          <li key={label.id}>
            <LabelChip label={label} />{' '}
            <button type="button" className="button button--small button--ghost" onClick={() => setEditing(label)}>
              {t('labels.edit')}
            </button>
            <button
              type="button"
              className="button button--small button--ghost"
              onClick={() => remove.mutate(label.id)}
              aria-label={t('labels.deleteNamed', { name: label.name })}
            >
              {t('labels.delete')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function LabelForm({ label, onDone }: { label: LabelTag | null; onDone: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const save = useSaveLabel();
  const [name, setName] = useState(label?.name ?? '');
  const [colour, setColour] = useState(label?.colour ?? LABEL_COLOURS[1] ?? '#2563eb');
  const problems = (field: string) =>
    isApiError(save.error) ? save.error.errors.filter((problem) => problem.field === field) : [];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(
      { id: label?.id ?? null, input: { name, colour } },
      {
        onSuccess: () => {
          setName('');
          onDone();
        },
      },
    );
  };

  return (
    <form className="label-form" onSubmit={submit} aria-label={label ? t('labels.editTitle') : t('labels.newTitle')}>
      <div className="field">
        <label htmlFor={`${id}-name`}>{t('labels.name')}</label>
        <input id={`${id}-name`} className="input" value={name} onChange={(event) => setName(event.target.value)} />
        <FieldProblems id={`${id}-name-problems`} problems={problems('name')} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-colour`}>{t('labels.colour')}</label>
        <input
          id={`${id}-colour`}
          type="color"
          value={colour}
          onChange={(event) => setColour(event.target.value)}
        />
        <FieldProblems id={`${id}-colour-problems`} problems={problems('colour')} />
      </div>
      {save.isError && isApiError(save.error) && save.error.errors.length === 0 && <ErrorMessage error={save.error} />}
      <button type="submit" className="button button--primary" disabled={!name.trim() || save.isPending}>
        {label ? t('labels.save') : t('labels.create')}
      </button>
      {label && (
        <button type="button" className="button" onClick={onDone}>
          {t('app.cancel')}
        </button>
      )}
    </form>
  );
}
