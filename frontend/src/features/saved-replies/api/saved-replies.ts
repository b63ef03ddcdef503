import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { Placeholder, RenderedReply, SavedReply, SavedReplyInput } from '@/lib/api-types';

export const savedReplyKeys = {
  all: ['saved-replies'] as const,
  placeholders: ['saved-replies', 'placeholders'] as const,
};

export function useSavedReplies() {
  return useQuery({
    queryKey: savedReplyKeys.all,
    queryFn: ({ signal }) => api.get<SavedReply[]>('/saved-replies', { signal }),
  });
}

/** The placeholders a saved reply may use: the same list as scheduled messages and templates. */
export function usePlaceholders() {
  return useQuery({
    queryKey: savedReplyKeys.placeholders,
    queryFn: ({ signal }) => api.get<Placeholder[]>('/whatsapp/placeholders', { signal }),
    staleTime: Infinity,
  });
}

export function useSaveReply() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id: string | null; input: SavedReplyInput }) =>
      id ? api.put<SavedReply>(`/saved-replies/${id}`, input) : api.post<SavedReply>('/saved-replies', input),
    onSuccess: () => client.invalidateQueries({ queryKey: savedReplyKeys.all }),
  });
}

export function useDeleteReply() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/saved-replies/${id}`),
    onSuccess: () => client.invalidateQueries({ queryKey: savedReplyKeys.all }),
  });
}

export function useRenderReply(conversationId: string) {
  return useMutation({
    mutationFn: (replyId: string) =>
      api.post<RenderedReply>(`/conversations/${conversationId}/saved-replies/${replyId}/render`),
  });
}

/** Replies whose shortcut or name starts with (then contains) what was typed after "/". */
export function filterReplies(replies: SavedReply[], query: string): SavedReply[] {
  const q = query.trim().toLowerCase();
  if (!q) return replies;
  const starts = replies.filter((r) => r.shortcut.startsWith(q) || r.name.toLowerCase().startsWith(q));
  const contains = replies.filter(
    (r) => !starts.includes(r) && (r.shortcut.includes(q) || r.name.toLowerCase().includes(q)),
  );
  return [...starts, ...contains];
}
