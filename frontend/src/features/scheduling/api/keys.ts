import type { PlannedSendFilters } from '@/lib/api-types';

export const schedulingKeys = {
  all: ['scheduling'] as const,
  rules: () => [...schedulingKeys.all, 'rules'] as const,
  rule: (id: string) => [...schedulingKeys.all, 'rule', id] as const,
  plannedAll: () => [...schedulingKeys.all, 'planned'] as const,
  planned: (filters: PlannedSendFilters) => [...schedulingKeys.plannedAll(), filters] as const,
  templates: () => [...schedulingKeys.all, 'whatsapp-templates'] as const,
  placeholders: () => [...schedulingKeys.all, 'placeholders'] as const,
  bookings: (q: string) => [...schedulingKeys.all, 'bookings', q] as const,
  booking: (ref: string) => [...schedulingKeys.all, 'booking', ref] as const,
};
