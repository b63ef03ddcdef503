import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { ConversationRow } from '@/lib/api-types';
import { conversationKeys } from './keys';

export type ConversationAction =
  | { type: 'assign'; userId: string | null }
  | { type: 'close' }
  | { type: 'reopen' };

export function updateConversation(id: string, action: ConversationAction): Promise<ConversationRow> {
  const base = `/conversations/${encodeURIComponent(id)}`;
  switch (action.type) {
    case 'assign':
      return api.post<ConversationRow>(`${base}/assign`, { user_id: action.userId });
    case 'close':
      return api.post<ConversationRow>(`${base}/close`);
    case 'reopen':
      return api.post<ConversationRow>(`${base}/reopen`);
  }
}

/** Assign, unassign, close, reopen: the API answers with the updated row. */
export function useUpdateConversation(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (action: ConversationAction) => updateConversation(id, action),
    onSuccess: (row) => {
      queryClient.setQueryData(conversationKeys.detail(id), row);
      void queryClient.invalidateQueries({ queryKey: conversationKeys.lists() });
    },
  });
}
