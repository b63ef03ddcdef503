import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { Booking, Page, Placeholder, Rule, RuleIn, RulePreview, Template } from '@/lib/api-types';
import { schedulingKeys } from './keys';

const BASE = '/scheduled-messages';
const one = (id: string) => `${BASE}/${encodeURIComponent(id)}`;

export function getRules(signal?: AbortSignal): Promise<Rule[]> {
  return api.get<Rule[]>(BASE, { signal });
}

export function useRules() {
  return useQuery({ queryKey: schedulingKeys.rules(), queryFn: ({ signal }) => getRules(signal) });
}

export function getRule(id: string, signal?: AbortSignal): Promise<Rule> {
  return api.get<Rule>(one(id), { signal });
}

export function useRule(id: string | undefined) {
  return useQuery({
    queryKey: schedulingKeys.rule(id ?? ''),
    queryFn: ({ signal }) => getRule(id!, signal),
    enabled: Boolean(id),
  });
}

export type SaveRule = { id: string | null; rule: RuleIn };

export function saveRule({ id, rule }: SaveRule): Promise<Rule> {
  return id ? api.put<Rule>(one(id), rule) : api.post<Rule>(BASE, rule);
}

/** Saving re-plans the rule's sends on the server: the planned-send lists are stale after it. */
function useStoreRule() {
  const queryClient = useQueryClient();
  return (rule: Rule) => {
    queryClient.setQueryData(schedulingKeys.rule(rule.id), rule);
    queryClient.setQueryData<Rule[]>(schedulingKeys.rules(), (list) => {
      if (!list) return list;
      return list.some((item) => item.id === rule.id)
        ? list.map((item) => (item.id === rule.id ? rule : item))
        : [...list, rule];
    });
    void queryClient.invalidateQueries({ queryKey: schedulingKeys.rules() });
    void queryClient.invalidateQueries({ queryKey: schedulingKeys.plannedAll() });
  };
}

/** Creates (no id) or replaces the rule; a 422 carries `errors[]` by field. */
export function useSaveRule() {
  const store = useStoreRule();
  return useMutation({ mutationFn: saveRule, onSuccess: store });
}

export function deleteRule(id: string): Promise<void> {
  return api.delete(one(id));
}

export function useDeleteRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteRule,
    onSuccess: (_, id) => {
      queryClient.setQueryData<Rule[]>(schedulingKeys.rules(), (list) => list?.filter((item) => item.id !== id));
      queryClient.removeQueries({ queryKey: schedulingKeys.rule(id) });
      void queryClient.invalidateQueries({ queryKey: schedulingKeys.rules() });
      void queryClient.invalidateQueries({ queryKey: schedulingKeys.plannedAll() });
    },
  });
}

export function previewRule(id: string, bookingRef: string): Promise<RulePreview> {
  return api.post<RulePreview>(`${one(id)}/preview`, { booking_ref: bookingRef });
}

export function usePreviewRule(id: string) {
  return useMutation({ mutationFn: (bookingRef: string) => previewRule(id, bookingRef) });
}

// ---- What the editor picks from ----

export function useWhatsAppTemplates() {
  return useQuery({
    queryKey: schedulingKeys.templates(),
    queryFn: ({ signal }) => api.get<Template[]>('/whatsapp/templates', { signal }),
  });
}

export function usePlaceholders() {
  return useQuery({
    queryKey: schedulingKeys.placeholders(),
    queryFn: ({ signal }) => api.get<Placeholder[]>('/whatsapp/placeholders', { signal }),
    staleTime: 60 * 60_000,
  });
}

/** Bookings matching a guest name, phone, e-mail, reference or confirmation code. */
export function useBookingSearch(q: string) {
  return useQuery({
    queryKey: schedulingKeys.bookings(q),
    queryFn: ({ signal }) => api.get<Page<Booking>>('/bookings', { query: { q, limit: 8 }, signal }),
    placeholderData: keepPreviousData,
  });
}

/** The booking with this external reference (404 when there is none). */
export function useBookingByRef(ref: string) {
  return useQuery({
    queryKey: schedulingKeys.booking(ref),
    queryFn: ({ signal }) => api.get<Booking>(`/bookings/${encodeURIComponent(ref)}`, { signal }),
    enabled: ref.length > 0,
    staleTime: 5 * 60_000,
  });
}
