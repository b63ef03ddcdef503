import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConversationRow } from '@/lib/api-types';
import { useSession } from '@/lib/auth';
import { useStaff } from '../api/get-staff';
import { useUpdateConversation } from '../api/update-conversation';

/** Assign the conversation to any staff member, or unassign it. */
export function AssigneePicker({ conversation }: { conversation: ConversationRow }) {
  const { t } = useTranslation();
  const id = useId();
  const me = useSession();
  const staff = useStaff();
  const update = useUpdateConversation(conversation.id);
  const current = conversation.assignee?.id ?? '';

  // Until the staff list arrives (or if it fails), still show who it is.
  const members = staff.data ?? [];
  const knownCurrent = !current || members.some((member) => member.id === current);

  return (
    <div className="field-inline assignee-picker">
      <label htmlFor={id} className="field-inline__label">
        {t('assign.label')}
      </label>
      <select
        id={id}
        className="select select--compact"
        value={current}
        disabled={update.isPending}
        aria-busy={update.isPending || staff.isPending}
        data-testid="assignee-picker"
        onChange={(event) => update.mutate({ type: 'assign', userId: event.target.value || null })}
      >
        <option value="">{t('assign.nobody')}</option>
        {!knownCurrent && conversation.assignee && (
          <option value={conversation.assignee.id}>{conversation.assignee.name ?? '…'}</option>
        )}
        {members.map((member) => (
          <option key={member.id} value={member.id}>
            {member.id === me.user.id ? t('assign.me', { name: member.name }) : member.name}
          </option>
        ))}
      </select>
    </div>
  );
}
