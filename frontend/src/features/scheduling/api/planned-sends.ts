import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { Page, PlannedSend, PlannedSendFilters } from '@/lib/api-types';
import { schedulingKeys } from './keys';

export function getPlannedSends(
  filters: PlannedSendFilters,
  cursor: string | null,
  signal?: AbortSignal,
): Promise<Page<PlannedSend>> {
  return api.get<Page<PlannedSend>>('/planned-sends', {
    query: { ...filters, cursor, limit: 50 },
    signal,
  });
}

/** Planned sends by due time, oldest first, 50 at a time. */
export function usePlannedSends(filters: PlannedSendFilters, enabled = true) {
  return useInfiniteQuery({
    queryKey: schedulingKeys.planned(filters),
    queryFn: ({ pageParam, signal }) => getPlannedSends(filters, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
    enabled,
    // A send that is due (or was just sent now) settles within seconds: watch it until it does.
    refetchInterval: (query) => {
      const items = query.state.data?.pages.flatMap((page) => page.items) ?? [];
      const soon = Date.now() + 5_000;
      return items.some((item) => item.state === 'planned' && Date.parse(item.due_at) <= soon) ? 2_000 : false;
    },
  });
}

export type PlannedAction =
  | { kind: 'send-now'; id: string }
  | { kind: 'skip'; id: string }
  | { kind: 'reschedule'; id: string; dueAt: string };

export function actOnPlannedSend(action: PlannedAction): Promise<void> {
  const path = `/planned-sends/${encodeURIComponent(action.id)}/${action.kind}`;
  return action.kind === 'reschedule' ? api.post(path, { due_at: action.dueAt }) : api.post(path);
}

/** Send now, skip or reschedule; the lists refetch (the worker may settle a send-now within a second). */
export function usePlannedSendAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: actOnPlannedSend,
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: schedulingKeys.plannedAll() });
    },
  });
}
