import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { Message, SendMessageRequest } from '@/lib/api-types';
import { appendMessage, type MessagePages } from './get-messages';
import { conversationKeys } from './keys';

export function sendMessage(conversationId: string, request: SendMessageRequest): Promise<Message> {
  return api.post<Message>(`/conversations/${encodeURIComponent(conversationId)}/messages`, request);
}

export function postNote(conversationId: string, body: string): Promise<Message> {
  return api.post<Message>(`/conversations/${encodeURIComponent(conversationId)}/notes`, { body });
}

export type Outgoing = { kind: 'message'; request: SendMessageRequest } | { kind: 'note'; body: string };

/** Shows a message we just created in the thread at once, and refreshes the inbox. */
export function useMessageSent(conversationId: string) {
  const queryClient = useQueryClient();
  return (message: Message) => {
    queryClient.setQueryData<MessagePages>(conversationKeys.messages(conversationId), (data) =>
      appendMessage(data, message),
    );
    void queryClient.invalidateQueries({ queryKey: conversationKeys.lists() });
    void queryClient.invalidateQueries({ queryKey: conversationKeys.detail(conversationId) });
  };
}

/** Sends a reply or posts an internal note; the thread shows it at once on success. */
export function useSendMessage(conversationId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (outgoing: Outgoing) =>
      outgoing.kind === 'note'
        ? postNote(conversationId, outgoing.body)
        : sendMessage(conversationId, outgoing.request),
    onSuccess: (message) => {
      queryClient.setQueryData<MessagePages>(conversationKeys.messages(conversationId), (data) =>
        appendMessage(data, message),
      );
      void queryClient.invalidateQueries({ queryKey: conversationKeys.lists() });
    },
    onError: () => {
      // A refused send (window closed, channel disconnected) usually means our
      // reply_state is stale: refresh it so the picker tells the truth.
      void queryClient.invalidateQueries({ queryKey: conversationKeys.detail(conversationId) });
    },
  });
}
