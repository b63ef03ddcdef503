import type { TemplateIn } from '@/lib/api-types';

export const templateKeys = {
  all: ['templates'] as const,
  list: () => [...templateKeys.all, 'list'] as const,
  placeholders: () => [...templateKeys.all, 'placeholders'] as const,
  validation: (draft: TemplateIn) => [...templateKeys.all, 'validate', draft] as const,
};
