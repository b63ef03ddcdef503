import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { LabelInput, LabelTag } from '@/lib/api-types';

export const labelKeys = { all: ['labels'] as const };
// The inbox's queries (list rows and conversation headers show labels); refetched after a change.
const CONVERSATIONS = ['conversations'] as const;

export const LABEL_COLOURS = ['#6b7280', '#2563eb', '#16a34a', '#d97706', '#dc2626', '#7c3aed', '#db2777'];

export function useLabels() {
  return useQuery({
    queryKey: labelKeys.all,
    queryFn: ({ signal }) => api.get<LabelTag[]>('/labels', { signal }),
  });
}

export function useSaveLabel() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id: string | null; input: LabelInput }) =>
      id ? api.put<LabelTag>(`/labels/${id}`, input) : api.post<LabelTag>('/labels', input),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: labelKeys.all });
      void client.invalidateQueries({ queryKey: CONVERSATIONS });
    },
  });
}

export function useDeleteLabel() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/labels/${id}`),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: labelKeys.all });
      void client.invalidateQueries({ queryKey: CONVERSATIONS });
    },
  });
}

export function useConversationLabel(conversationId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ labelId, on }: { labelId: string; on: boolean }) =>
      on
        ? api.put<LabelTag[]>(`/conversations/${conversationId}/labels/${labelId}`)
        : api.delete<LabelTag[]>(`/conversations/${conversationId}/labels/${labelId}`),
    onSuccess: () => client.invalidateQueries({ queryKey: CONVERSATIONS }),
  });
}
