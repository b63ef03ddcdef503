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
  /** Labels on the conversation (older servers omit it). */
  labels?: LabelTag[];
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
  /** A label id: only conversations carrying it. */
  label?: string;
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
  /** True when the value comes from a booking (none for a guest without one). */
  needs_booking?: boolean;
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

export type ChannelStatus = 'connected' | 'error' | 'needs_reauthorization' | 'needs_mapping' | 'disconnected';

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

export interface SmsConnectRequest {
  account_sid: string;
  auth_token: string;
  from_number?: string | null;
  messaging_service_sid?: string | null;
}

export type EmailTls = 'starttls' | 'tls' | 'none';

export interface EmailConnectRequest {
  host: string;
  port: number;
  tls: EmailTls;
  username: string | null;
  password: string | null;
  sender_address: string;
  sender_name: string;
  reply_to: string | null;
}

export interface EmailTestResult {
  ok: boolean;
  /** The SMTP server's own reply, e.g. "250 2.0.0 Ok: queued as 4Xk2". */
  server_reply: string;
}

export interface AirbnbAuthorize {
  url: string;
}

export interface AirbnbListings {
  status: string;
  listing_ids: string[];
  listings_available: { id: string; name?: string }[];
}

export interface SmsSegments {
  characters: number;
  /** "GSM-7" or "UCS-2". */
  encoding: string;
  units: number;
  segments: number;
  remaining_in_segment: number;
}

// ---- Scheduled messages ----

export const TRIGGERS = [
  'booking_confirmed',
  'before_check_in',
  'after_check_in',
  'before_check_out',
  'after_check_out',
  'booking_cancelled',
] as const;
export type Trigger = (typeof TRIGGERS)[number];

export interface RuleConditions {
  sources?: string[] | null;
  min_nights?: number | null;
  languages?: string[] | null;
}

export interface ContentVersion {
  email_subject?: string | null;
  email_body?: string | null;
  sms_text?: string | null;
}

export interface RuleContent {
  default: ContentVersion;
  whatsapp_template_id?: string | null;
  /** Per guest language ("fr", "de"…): what differs from the default. */
  translations: Record<string, ContentVersion>;
}

export interface RuleIn {
  name: string;
  active: boolean;
  trigger: Trigger;
  offset_days: number;
  offset_hours: number;
  /** "HH:MM" in the property's timezone, or null to send at the offset itself. */
  send_time: string | null;
  conditions: RuleConditions;
  channel_order: Channel[];
  content: RuleContent;
  marketing: boolean;
}

export interface Rule extends RuleIn {
  id: string;
  created_at: string | null;
  updated_at: string | null;
}

export interface ChannelPreview {
  ok: boolean;
  subject?: string | null;
  text?: string | null;
  html?: string | null;
  problem?: string | null;
}

export interface RulePreview {
  booking_ref: string;
  language: string;
  channels: Partial<Record<Channel, ChannelPreview>>;
}

export const PLANNED_STATES = ['planned', 'sent', 'skipped', 'cancelled', 'failed'] as const;
export type PlannedState = (typeof PLANNED_STATES)[number];

export interface PlannedAttempt {
  channel: string;
  /** "used", "skipped", "failed"… */
  outcome: string;
  reason: string | null;
}

export interface PlannedSend {
  id: string;
  rule_id: string;
  rule_name: string;
  booking_id: string;
  booking_ref: string;
  guest_name: string;
  due_at: string;
  state: PlannedState | string;
  reason: string | null;
  attempts: PlannedAttempt[];
  message_id: string | null;
  sent_at: string | null;
}

export interface PlannedSendFilters {
  rule_id?: string;
  state?: string;
  booking_id?: string;
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

// --- consent register, costs and spending caps, outgoing webhooks (issue 9) ---

export type ConsentChannel = 'whatsapp' | 'sms' | 'email' | 'airbnb';
export type ConsentState = 'opt_in' | 'opt_out';

export interface ConsentEntry {
  id: string;
  channel: ConsentChannel | string;
  state: ConsentState | string;
  /** sms_stop, sms_start, provider_unsubscribed, whatsapp_marketing_opt_out, staff, api, imported */
  source: string;
  note: string | null;
  recorded_by: string | null;
  recorded_at: string;
}

export interface ChannelConsent {
  channel: ConsentChannel | string;
  /** opt_in | opt_out | unknown (no entry: marketing is refused) */
  marketing: ConsentState | 'unknown' | string;
  /** Every message on the channel is refused (e.g. the guest texted STOP). */
  blocked: boolean;
  since: string | null;
  source: string | null;
}

export interface ConsentRegister {
  guest_id: string;
  channels: ChannelConsent[];
  /** Newest first. */
  history: ConsentEntry[];
}

export interface ConsentRequest {
  channel: ConsentChannel;
  state: ConsentState;
  note?: string | null;
  block_channel?: boolean;
}

export interface EraseResult {
  guest_id: string;
  erased: boolean;
  messages_redacted: number;
  attachments_deleted: number;
  bookings_cleared: number;
  raw_webhooks_redacted: number;
}

export interface CostBreakdown {
  messages: number;
  /** Decimal as a string. */
  amount: string;
  by_channel: Record<string, string>;
}

export interface BookingCost extends CostBreakdown {
  booking_id: string;
  external_ref: string;
  check_in: string;
  check_out: string;
}

export interface GuestCosts {
  currency: string;
  total: CostBreakdown;
  bookings: BookingCost[];
  unattributed: CostBreakdown;
}

export interface ChannelSpend {
  channel: 'whatsapp' | 'sms' | string;
  monthly_cap: string | null;
  spent: string;
  sends: number;
  remaining: string | null;
  held: number;
}

export interface Spending {
  month: string;
  currency: string;
  channels: ChannelSpend[];
}

export interface HeldMessage {
  id: string;
  conversation_id: string;
  channel: string;
  preview: string;
  estimated_cost: string | null;
  reason: string | null;
  held_since: string | null;
}

export const WEBHOOK_EVENTS = [
  'message.received',
  'message.status',
  'conversation.assigned',
  'scheduled_send.done',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export interface WebhookSubscription {
  id: string;
  url: string;
  description: string;
  event_types: WebhookEvent[] | string[];
  active: boolean;
  created_at: string;
}

export interface WebhookSubscriptionCreated extends WebhookSubscription {
  /** Shown once. */
  secret: string;
}

export interface WebhookAttempt {
  attempted_at: string;
  status_code: number | null;
  latency_ms: number;
  error: string | null;
}

export interface WebhookDelivery {
  id: string;
  event_id: string;
  event_type: string;
  /** pending | succeeded | failed */
  state: string;
  attempts: number;
  next_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  redelivery_of: string | null;
  created_at: string;
  finished_at: string | null;
  attempt_log: WebhookAttempt[];
}

// Saved replies, labels, needs attention

export interface LabelTag {
  id: string;
  name: string;
  colour: string;
}

export interface LabelInput {
  name: string;
  colour: string;
}

export interface SavedReplyInput {
  name: string;
  shortcut: string;
  /** Language code -> text with placeholders ({{ guest.first_name }}). */
  bodies: Record<string, string>;
}

export interface SavedReply extends SavedReplyInput {
  id: string;
  created_at: string;
  updated_at: string;
}

export interface RenderedReply {
  text: string;
  language: string;
}

export type AttentionKind = 'failed_send' | 'held_send' | 'skipped_scheduled' | 'waiting_reply';
export type AttentionAction = 'retry' | 'resend' | 'reconnect' | 'open' | 'dismiss';

export interface AttentionRemedy {
  action: AttentionAction;
  channel: Channel | null;
}

export interface AttentionItem {
  kind: AttentionKind;
  id: string;
  at: string;
  conversation_id: string | null;
  guest_name: string;
  channel: Channel | null;
  code: string | null;
  reason: string | null;
  preview: string | null;
  remedies: AttentionRemedy[];
  retry_refused: string | null;
}

export interface AttentionPage {
  counts: Record<AttentionKind, number>;
  total: number;
  items: AttentionItem[];
  next_cursor: string | null;
}

export interface AttentionSettings {
  reply_after_minutes: number;
}
