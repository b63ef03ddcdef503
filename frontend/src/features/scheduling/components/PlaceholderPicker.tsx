import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Placeholder } from '@/lib/api-types';

interface Props {
  placeholders: Placeholder[];
  /** Where the placeholder will go, e.g. "SMS text (French)". */
  target: string;
  onInsert: (key: string) => void;
}

/** Choose a placeholder ({{ guest.first_name }}…) and insert it at the cursor of the last field used. */
export function PlaceholderPicker({ placeholders, target, onInsert }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const [key, setKey] = useState('');
  return (
    <div className="inserter placeholder-picker">
      <label htmlFor={id}>{t('scheduling.content.placeholder')}</label>
      <select
        id={id}
        className="select select--compact"
        value={key}
        disabled={placeholders.length === 0}
        onChange={(event) => setKey(event.target.value)}
      >
        <option value="">{t('scheduling.content.choosePlaceholder')}</option>
        {placeholders.map((placeholder) => (
          <option key={placeholder.key} value={placeholder.key}>
            {placeholder.description} — {placeholder.example}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="button button--small"
        disabled={!key}
        // Keep the caret where it was in the text field: do not take focus on mouse down.
        onMouseDown={(event) => event.preventDefault()}
        onClick={() => {
          if (!key) return;
          onInsert(key);
          setKey('');
        }}
      >
        {t('scheduling.content.insert')}
      </button>
      <span className="muted small">{t('scheduling.content.insertInto', { target })}</span>
    </div>
  );
}
