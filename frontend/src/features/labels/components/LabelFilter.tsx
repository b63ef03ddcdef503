import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { LabelFilterProps } from '@/lib/slots';
import { useLabels } from '../api/labels';

/** The inbox list's "label" filter; hidden until the property has labels. */
export function LabelFilter({ value, onChange }: LabelFilterProps) {
  const { t } = useTranslation();
  const id = useId();
  const labels = useLabels();
  if (!labels.data?.length) return null;
  return (
    <>
      <label htmlFor={id} className="visually-hidden">
        {t('labels.filter')}
      </label>
      <select
        id={id}
        className="select select--compact"
        value={value ?? ''}
        onChange={(event) => onChange(event.target.value || null)}
      >
        <option value="">{t('labels.allLabels')}</option>
        {labels.data.map((label) => (
          <option key={label.id} value={label.id}>
            {label.name}
          </option>
        ))}
      </select>
    </>
  );
}

export default LabelFilter;
