import type { LabelTag } from '@/lib/api-types';

/** A label as a small coloured chip; `onRemove` adds its × button. */
export function LabelChip({ label, onRemove, removeLabel }: { label: LabelTag; onRemove?: () => void; removeLabel?: string }) {
  return (
    <span className="label-chip" style={{ borderColor: label.colour, color: label.colour }} data-testid="label-chip">
      {label.name}
      {onRemove && (
        <button type="button" className="label-chip__remove" aria-label={removeLabel} onClick={onRemove}>
          ×
        </button>
      )}
    </span>
  );
}
