import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '@/components/ErrorMessage';
import type { SavedReplyPickerProps } from '@/lib/slots';
import '../saved-replies.css';
import { filterReplies, useRenderReply, useSavedReplies } from '../api/saved-replies';

/** Opened by "/" in the composer: ↑/↓ choose, Enter inserts the reply rendered for this guest, Esc closes. */
export function SavedReplyPicker({ conversationId, query, onInsert, onDismiss, registerKeys }: SavedReplyPickerProps) {
  const { t } = useTranslation();
  const replies = useSavedReplies();
  const render = useRenderReply(conversationId);
  const matches = filterReplies(replies.data ?? [], query).slice(0, 8);
  const [active, setActive] = useState(0);
  const current = Math.min(active, Math.max(matches.length - 1, 0));

  useEffect(() => setActive(0), [query]);

  const insert = (index: number) => {
    const reply = matches[index];
    if (!reply || render.isPending) return;
    render.mutate(reply.id, { onSuccess: (rendered) => onInsert(rendered.text) });
  };

  useEffect(() => {
    registerKeys((key) => {
      if (key === 'Escape') {
        onDismiss();
        return true;
      }
      if (matches.length === 0) return false;
      if (key === 'ArrowDown') setActive((current + 1) % matches.length);
      else if (key === 'ArrowUp') setActive((current - 1 + matches.length) % matches.length);
      else if (key === 'Enter') insert(current);
      else return false;
      return true;
    });
    return () => registerKeys(null);
  });

  return (
    <div className="saved-reply-picker" data-testid="saved-reply-picker">
      {render.isError && <ErrorMessage error={render.error} />}
      {replies.isSuccess && matches.length === 0 ? (
        <p className="muted small">{t('savedReplies.picker.none', { query })}</p>
      ) : (
        <ul role="listbox" aria-label={t('savedReplies.picker.label')} className="saved-reply-picker__list">
          {matches.map((reply, index) => (
            <li
              key={reply.id}
              role="option"
              aria-selected={index === current}
              className={`saved-reply-picker__item${index === current ? ' saved-reply-picker__item--active' : ''}`}
              // keep the caret in the composer
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => insert(index)}
            >
              <strong>/{reply.shortcut}</strong> <span className="muted">{reply.name}</span>
            </li>
          ))}
        </ul>
      )}
      <p className="muted small">{render.isPending ? t('savedReplies.picker.rendering') : t('savedReplies.picker.hint')}</p>
    </div>
  );
}

export default SavedReplyPicker;
