// Hand-written mirror of the /api/v1 contract. To be replaced by types
// generated from the backend's OpenAPI schema; keep names aligned with it.

export type Role = 'owner' | 'manager' | 'agent';

export interface Membership {
  property_id: string;
  property_name: string;
  role: Role;
}

export interface Me {
  user: { id: string; email: string; name: string };
  property: {
    id: string;
    name: string;
    timezone: string;
    locale: string;
    country: string;
    currency: string;
  };
  role: Role;
  memberships: Membership[];
}

export interface LoginRequest {
  email: string;
  password: string;
}

export interface SwitchPropertyRequest {
  property_id: string;
}

export const CHANNELS = ['whatsapp', 'sms', 'airbnb', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];

export type ConversationStatus = 'open' | 'closed';
export type Direction = 'inbound' | 'outbound';

export interface Guest {
  id: string;
  display_name: string;
  first_name: string | null;
  last_name: string | null;
  phone: string | null;
  email: string | null;
  language: string | null;
}

export interface BookingSummary {
  id: string;
  external_ref: string | null;
  /** Calendar date, YYYY-MM-DD, in the property's timezone. */
  check_in: string;
  check_out: string;
  status: string;
  source: string | null;
  room: string | null;
  confirmation_code: string | null;
}

export interface LastMessage {
  preview: string;
  at: string;
  direction: Direction;
  channel: Channel;
}

export interface ReplyWindow {
  state: 'open' | 'closed';
  open_until: string | null;
  reason: string | null;
}

/** Keyed by channel; a channel the conversation cannot use may be absent. */
export type ReplyState = Partial<Record<Channel, ReplyWindow>>;

export interface ConversationRow {
  id: string;
  status: ConversationStatus;
  guest: Guest;
  booking: BookingSummary | null;
  last_message: LastMessage | null;
  last_activity_at: string;
  unread_count: number;
  assignee: { id: string; name: string } | null;
  channels: Channel[];
  reply_state: ReplyState;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface ConversationFilters {
  status?: ConversationStatus;
  channel?: Channel;
  unread?: boolean;
  assigned?: 'me' | 'unassigned';
  q?: string;
}

export type MessageKind = 'text' | 'template' | 'media' | 'note' | 'scheduled';
export type MessageStatus =
  | 'received'
  | 'queued'
  | 'sending'
  | 'sent'
  | 'delivered'
  | 'read'
  | 'failed';

export interface Message {
  id: string;
  conversation_id: string;
  channel: Channel;
  direction: Direction;
  kind: MessageKind;
  body: string;
  status: MessageStatus;
  error_code: string | null;
  error_reason: string | null;
  author: {
    type: 'guest' | 'user' | 'scheduler' | 'system';
    id: string | null;
    name: string | null;
  };
  created_at: string;
  cost: { amount: string; currency: string } | null;
  rule_name: string | null;
}

export interface SendMessageRequest {
  channel: Channel;
  body: string;
}

export interface PostNoteRequest {
  body: string;
}

export interface AssignRequest {
  user_id: string | null;
}

export type LiveEventType = 'message.created' | 'message.status' | 'conversation.updated';

export interface LiveEvent {
  type: LiveEventType;
  conversation_id: string;
  message_id?: string;
}

/** RFC 9457 problem details, as the API sends them. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string | null;
  code?: string;
  instance?: string;
  errors?: { field: string; code: string; message: string }[];
}
