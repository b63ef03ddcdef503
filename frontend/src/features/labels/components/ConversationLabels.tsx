import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '@/components/ErrorMessage';
import type { ConversationLabelsProps } from '@/lib/slots';
import { LABEL_COLOURS, useConversationLabel, useLabels, useSaveLabel } from '../api/labels';
import { LabelChip } from './LabelChip';
import '../labels.css';

/** In the conversation header: its labels, removable, and a picker to add one or create a new one. */
export function ConversationLabels({ conversationId, labels }: ConversationLabelsProps) {
  const { t } = useTranslation();
  const id = useId();
  const catalogue = useLabels();
  const toggle = useConversationLabel(conversationId);
  const create = useSaveLabel();
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const addable = (catalogue.data ?? []).filter((label) => !labels.some((on) => on.id === label.id));

  const submitNew = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { id: null, input: { name, colour: LABEL_COLOURS[(catalogue.data?.length ?? 0) % LABEL_COLOURS.length] ?? '#6b7280' } },
      {
        onSuccess: (label) => {
          toggle.mutate({ labelId: label.id, on: true });
          setName('');
          setCreating(false);
        },
      },
    );
  };

  return (
    <div className="conversation-labels" role="group" aria-label={t('labels.ofConversation')}>
      {labels.map((label) => (
        <LabelChip
          key={label.id}
          label={label}
          removeLabel={t('labels.remove', { name: label.name })}
          onRemove={() => toggle.mutate({ labelId: label.id, on: false })}
        />
      ))}
      <label htmlFor={`${id}-add`} className="visually-hidden">
        {t('labels.add')}
      </label>
      <select
        id={`${id}-add`}
        className="select select--compact"
        value=""
        onChange={(event) => {
          if (event.target.value === '__new') setCreating(true);
          else if (event.target.value) toggle.mutate({ labelId: event.target.value, on: true });
        }}
      >
        <option value="">{t('labels.add')}</option>
        {addable.map((label) => (
          <option key={label.id} value={label.id}>
            {label.name}
          </option>
        ))}
        <option value="__new">{t('labels.createOption')}</option>
      </select>
      {creating && (
        <form className="conversation-labels__new" onSubmit={submitNew}>
          <label htmlFor={`${id}-name`} className="visually-hidden">
            {t('labels.name')}
          </label>
          <input
            id={`${id}-name`}
            className="input input--compact"
            value={name}
            placeholder={t('labels.namePlaceholder')}
            onChange={(event) => setName(event.target.value)}
            autoFocus
          />
          <button type="submit" className="button button--small button--primary" disabled={!name.trim()}>
            {t('labels.create')}
          </button>
          <button type="button" className="button button--small button--ghost" onClick={() => setCreating(false)}>
            {t('app.cancel')}
          </button>
        </form>
      )}
      {(toggle.isError || create.isError) && <ErrorMessage error={toggle.error ?? create.error} />}
    </div>
  );
}

export default ConversationLabels;
