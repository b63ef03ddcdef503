import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Placeholder } from '@/lib/api-types';

interface Props {
  placeholders: Placeholder[];
  label: string;
  /** Accessible name of the placeholder list. */
  selectLabel: string;
  disabled?: boolean;
  onInsert: (placeholder: Placeholder) => void;
}

/** Pick what the variable stands for (guest's first name, check-in date…) and insert it. */
export function VariableInserter({ placeholders, label, selectLabel, disabled, onInsert }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const [key, setKey] = useState('');
  const chosen = placeholders.find((placeholder) => placeholder.key === key);
  return (
    <div className="inserter">
      <label htmlFor={id} className="visually-hidden">
        {selectLabel}
      </label>
      <select
        id={id}
        className="select select--compact"
        value={key}
        disabled={disabled || placeholders.length === 0}
        onChange={(event) => setKey(event.target.value)}
      >
        <option value="">{t('editor.choosePlaceholder')}</option>
        {placeholders.map((placeholder) => (
          <option key={placeholder.key} value={placeholder.key}>
            {placeholder.description} — {placeholder.example}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="button button--small"
        disabled={disabled || !chosen}
        onClick={() => {
          if (chosen) onInsert(chosen);
          setKey('');
        }}
      >
        {label}
      </button>
    </div>
  );
}
