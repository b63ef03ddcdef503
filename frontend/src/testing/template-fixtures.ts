import type { Placeholder, Template } from '@/lib/api-types';

export const placeholders: Placeholder[] = [
  { key: 'guest.first_name', description: "Guest's first name", example: 'Camille' },
  { key: 'booking.check_in', description: 'Check-in date', example: 'Monday 14 December' },
  { key: 'property.name', description: 'Property name', example: 'Hôtel du Lac' },
];

export function template(overrides: Partial<Template> = {}): Template {
  return {
    id: 'tpl1',
    name: 'arrival_info',
    language: 'en',
    category: 'UTILITY',
    header_text: null,
    body: 'Hello {{1}}, see you on {{2}}!',
    footer: 'Hôtel du Lac',
    buttons: [],
    body_variables: [
      { index: 1, placeholder: 'guest.first_name', example: 'Camille' },
      { index: 2, placeholder: 'booking.check_in', example: 'Monday 14 December' },
    ],
    header_variable: null,
    status: 'approved',
    rejection_reason: null,
    rejection_recommendation: null,
    provider_template_id: '123',
    created_at: '2026-11-20T10:00:00Z',
    updated_at: '2026-11-21T10:00:00Z',
    ...overrides,
  };
}
