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
  /** Why a free-form send would be refused now (e.g. whatsapp_window_closed); translate by it. */
  code?: string | null;
  /** The server's English wording of the same, shown when the code is unknown to the UI. */
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
  pricing_category?: string | null;
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

export interface UnreadSummary {
  /** Open conversations with messages I have not read. */
  conversations: number;
  /** Guest messages I have not read, in open conversations. */
  messages: number;
}

export interface StaffMember {
  id: string;
  name: string;
  email: string;
  role: Role | string;
}

export interface Booking {
  id: string;
  external_ref: string | null;
  guest_id: string;
  check_in: string;
  check_out: string;
  source: string | null;
  status: string;
  confirmation_code: string | null;
  room: string | null;
  party_size: number | null;
  custom_fields: Record<string, unknown> | null;
  guest: Guest;
}

export interface LinkBookingRequest {
  booking_id: string | null;
}

// ---- WhatsApp templates ----

export type TemplateCategory = 'UTILITY' | 'MARKETING';
export type TemplateStatus = 'draft' | 'pending' | 'approved' | 'rejected' | 'paused' | 'disabled';
export type ButtonKind = 'quick_reply' | 'url' | 'phone_number';

export interface TemplateButton {
  kind: ButtonKind;
  text: string;
  url: string | null;
  phone_number: string | null;
  example: string | null;
}

export interface TemplateVariable {
  index: number;
  placeholder: string;
  example: string;
}

export interface TemplateIn {
  name: string;
  language: string;
  category: TemplateCategory;
  header_text: string | null;
  body: string;
  footer: string | null;
  buttons: TemplateButton[];
  body_variables: TemplateVariable[];
  header_variable: TemplateVariable | null;
}

export interface Template extends TemplateIn {
  id: string;
  status: TemplateStatus;
  rejection_reason: string | null;
  rejection_recommendation: string | null;
  provider_template_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface FieldProblem {
  field: string;
  code: string;
  message: string;
}

export interface ValidationResult {
  problems: FieldProblem[];
}

export interface Placeholder {
  key: string;
  description: string;
  example: string;
}

export interface TemplateSendRequest {
  template_id: string;
  /** Body variable index ("1", "2"…) → the text to use instead of the placeholder's value. */
  overrides: Record<string, string>;
}

export interface TemplatePreview {
  text: string;
  parameters: { header: string | null; body: string[]; buttons: string[] };
  cost: {
    amount: string;
    currency: string;
    category: string;
    free: boolean;
    reason: string | null;
  };
}

// ---- Channels, sharing, insights, API keys ----

export type ChannelStatus = 'connected' | 'error' | 'needs_reauthorization' | 'disconnected';

export interface ChannelConnection {
  channel: Channel;
  status: ChannelStatus;
  last_error: string | null;
  details: Record<string, unknown>;
}

export interface WhatsAppConnectRequest {
  waba_id: string;
  phone_number_id: string;
  access_token: string;
  verify_token: string;
  app_secret?: string;
}

export interface WhatsAppLink {
  url: string;
  display_phone_number: string;
}

export interface CostRow {
  /** YYYY-MM, in the property's timezone. */
  month: string;
  channel: string;
  category: string;
  messages: number;
  amount: string;
  currency: string;
}

export interface CostReport {
  rows: CostRow[];
  total: { amount: string; currency: string };
}

export type ApiKeyRole = 'manager' | 'agent';

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  role: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface ApiKeyCreated extends ApiKey {
  /** The secret itself: shown once, never again. */
  key: string;
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
