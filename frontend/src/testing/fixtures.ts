import type { ConversationRow, Me, Message } from '@/lib/api-types';

export const me: Me = {
  user: { id: 'u1', email: 'anna@hotel.test', name: 'Anna' },
  property: {
    id: 'p1',
    name: 'Hôtel du Lac',
    timezone: 'Europe/Paris',
    locale: 'fr-FR',
    country: 'FR',
    currency: 'EUR',
  },
  role: 'agent',
  memberships: [{ property_id: 'p1', property_name: 'Hôtel du Lac', role: 'agent' }],
};

export function conversation(overrides: Partial<ConversationRow> = {}): ConversationRow {
  return {
    id: 'c1',
    status: 'open',
    guest: {
      id: 'g1',
      display_name: 'Marie Curie',
      first_name: 'Marie',
      last_name: 'Curie',
      phone: '+33600000000',
      email: 'marie@example.test',
      language: 'fr',
    },
    booking: {
      id: 'b1',
      external_ref: 'PMS-1001',
      check_in: '2026-11-27',
      check_out: '2026-11-30',
      status: 'confirmed',
      source: 'direct',
      room: '12',
      confirmation_code: null,
    },
    last_message: {
      preview: 'What time is check-in?',
      at: new Date(Date.now() - 5 * 60_000).toISOString(),
      direction: 'inbound',
      channel: 'whatsapp',
    },
    last_activity_at: new Date(Date.now() - 5 * 60_000).toISOString(),
    unread_count: 2,
    assignee: null,
    channels: ['whatsapp', 'sms'],
    reply_state: {
      whatsapp: {
        state: 'open',
        open_until: new Date(Date.now() + 3.5 * 3_600_000).toISOString(),
        reason: null,
      },
      sms: { state: 'open', open_until: null, reason: null },
      email: { state: 'closed', open_until: null, reason: 'E-mail is for scheduled messages only' },
    },
    ...overrides,
  };
}

export function message(overrides: Partial<Message> = {}): Message {
  return {
    id: 'm1',
    conversation_id: 'c1',
    channel: 'whatsapp',
    direction: 'inbound',
    kind: 'text',
    body: 'Hello',
    status: 'received',
    error_code: null,
    error_reason: null,
    author: { type: 'guest', id: 'g1', name: 'Marie Curie' },
    created_at: new Date().toISOString(),
    cost: null,
    rule_name: null,
    ...overrides,
  };
}
