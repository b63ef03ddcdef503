import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { Placeholder, Template, TemplateIn, ValidationResult } from '@/lib/api-types';
import { templateKeys } from './keys';

const BASE = '/whatsapp/templates';
const one = (id: string) => `${BASE}/${encodeURIComponent(id)}`;

export function getTemplates(signal?: AbortSignal): Promise<Template[]> {
  return api.get<Template[]>(BASE, { signal });
}

/** Meta's review takes seconds to a day: while a template is in review, look again every few seconds. */
export const REVIEW_POLL_MS = 3_000;

export function useTemplates() {
  return useQuery({
    queryKey: templateKeys.list(),
    queryFn: ({ signal }) => getTemplates(signal),
    refetchInterval: (query) => (query.state.data?.some((template) => template.status === 'pending') ? REVIEW_POLL_MS : false),
  });
}

export function getPlaceholders(signal?: AbortSignal): Promise<Placeholder[]> {
  return api.get<Placeholder[]>('/whatsapp/placeholders', { signal });
}

export function usePlaceholders() {
  return useQuery({
    queryKey: templateKeys.placeholders(),
    queryFn: ({ signal }) => getPlaceholders(signal),
    staleTime: 60 * 60_000,
  });
}

export function validateTemplate(draft: TemplateIn, signal?: AbortSignal): Promise<ValidationResult> {
  return api.post<ValidationResult>(`${BASE}/validate`, draft, { signal });
}

/** Problems with the draft as it stands (pass the debounced draft; null skips). */
export function useTemplateValidation(draft: TemplateIn | null) {
  return useQuery({
    queryKey: templateKeys.validation(draft ?? ({} as TemplateIn)),
    queryFn: ({ signal }) => validateTemplate(draft!, signal),
    enabled: draft !== null,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    retry: false,
  });
}

/** Keeps the list in step with a template the server just returned. */
function useStoreTemplate() {
  const queryClient = useQueryClient();
  return (template: Template) => {
    queryClient.setQueryData<Template[]>(templateKeys.list(), (list) => {
      if (!list) return list;
      const exists = list.some((item) => item.id === template.id);
      return exists ? list.map((item) => (item.id === template.id ? template : item)) : [...list, template];
    });
    void queryClient.invalidateQueries({ queryKey: templateKeys.list() });
  };
}

export type SaveTemplate = { id: string | null; draft: TemplateIn };

export function saveTemplate({ id, draft }: SaveTemplate): Promise<Template> {
  return id ? api.put<Template>(one(id), draft) : api.post<Template>(BASE, draft);
}

/** Creates (no id) or updates the template; 422 carries `errors[]` by field. */
export function useSaveTemplate() {
  const store = useStoreTemplate();
  return useMutation({ mutationFn: saveTemplate, onSuccess: store });
}

export function submitTemplate(id: string): Promise<Template> {
  return api.post<Template>(`${one(id)}/submit`);
}

export function useSubmitTemplate() {
  const store = useStoreTemplate();
  return useMutation({ mutationFn: submitTemplate, onSuccess: store });
}

export function deleteTemplate(id: string): Promise<void> {
  return api.delete(one(id));
}

export function useDeleteTemplate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteTemplate,
    onSuccess: (_, id) => {
      queryClient.setQueryData<Template[]>(templateKeys.list(), (list) => list?.filter((item) => item.id !== id));
      void queryClient.invalidateQueries({ queryKey: templateKeys.list() });
    },
  });
}
