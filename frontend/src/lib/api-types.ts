// The /api/v1 contract, generated: api-schema.ts is made by openapi-typescript
// from openapi.json, the backend's OpenAPI document (regenerate both with
// `python -m api.openapi_export && cd frontend && npm run api:types`; the tests
// fail when they drift). Types that match a schema are aliases of it. Where the
// SPA relies on another shape (string unions the schema types as plain
// strings, fields it treats as nullable or optional) the type stays written
// here, and ContractChecks at the end makes `npm run typecheck` fail when it
// stops matching the schema. Filters, events and generic pages have no schema.
import type { components } from './api-schema';

type Schemas = components['schemas'];

export type Role = Schemas['Role'];

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

export type LoginRequest = Schemas['LoginRequest'];

export type SwitchPropertyRequest = Schemas['SwitchProperty'];

export const CHANNELS = ['whatsapp', 'sms', 'airbnb', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];

export type ConversationStatus = 'open' | 'closed';
export type Direction = 'inbound' | 'outbound';

export type Guest = Schemas['GuestSummary'];

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

export type SendMessageRequest = Schemas['SendMessageIn'];

export type PostNoteRequest = Schemas['NoteIn'];

export type AssignRequest = Schemas['AssignIn'];

export type LiveEventType = 'message.created' | 'message.status' | 'conversation.updated';

export interface LiveEvent {
  type: LiveEventType;
  conversation_id: string;
  message_id?: string;
}

export type UnreadSummary = Schemas['UnreadSummary'];

export type StaffMember = Schemas['StaffMember'];

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

export type LinkBookingRequest = Schemas['LinkBookingIn'];

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

export type TemplateVariable = Schemas['VariableIO'];

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

export type FieldProblem = Schemas['TemplateProblemOut'];

export type ValidationResult = Schemas['ValidationReport'];

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

export type TemplatePreview = Schemas['TemplatePreview'];

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

export type WhatsAppLink = Schemas['WhatsAppLink'];

export type CostRow = Schemas['CostRow'];

export type CostReport = Schemas['CostReport'];

export type ApiKeyRole = 'manager' | 'agent';

export type ApiKey = Schemas['ApiKeyOut'];

export type ApiKeyCreated = Schemas['ApiKeyCreated'];

export type SmsConnectRequest = Schemas['SmsConnectIn'];

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

export type EmailTestResult = Schemas['EmailTestOut'];

export type AirbnbAuthorize = Schemas['AuthorizeOut'];

export interface AirbnbListings {
  status: string;
  listing_ids: string[];
  listings_available: { id: string; name?: string }[];
}

export type SmsSegments = Schemas['SegmentsOut'];

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

export type RuleConditions = Schemas['Conditions'];

export type ContentVersion = Schemas['ContentVersion'];

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

export type ChannelPreview = Schemas['ChannelPreview'];

export type RulePreview = Schemas['RulePreview'];

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

export type ConsentEntry = Schemas['ConsentEntryOut'];

export type ChannelConsent = Schemas['ChannelConsentOut'];

export type ConsentRegister = Schemas['ConsentRegisterOut'];

export type ConsentRequest = Schemas['ConsentIn'];

export type EraseResult = Schemas['EraseOut'];

export type CostBreakdown = Schemas['CostBreakdown'];

export type BookingCost = Schemas['BookingCost'];

export type GuestCosts = Schemas['GuestCostsOut'];

export type ChannelSpend = Schemas['ChannelSpend'];

export type Spending = Schemas['SpendingOut'];

export type HeldMessage = Schemas['HeldMessage'];

export const WEBHOOK_EVENTS = [
  'message.received',
  'message.status',
  'conversation.assigned',
  'scheduled_send.done',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export type WebhookSubscription = Schemas['SubscriptionOut'];

export type WebhookSubscriptionCreated = Schemas['SubscriptionCreated'];

export type WebhookAttempt = Schemas['AttemptOut'];

export type WebhookDelivery = Schemas['DeliveryOut'];

// Saved replies, labels, needs attention

export type LabelTag = Schemas['LabelTag'];

export type LabelInput = Schemas['LabelIn'];

export type SavedReplyInput = Schemas['SavedReplyIn'];

export type SavedReply = Schemas['SavedReplyOut'];

export type RenderedReply = Schemas['RenderedReplyOut'];

export type AttentionKind = Schemas['ItemKind'];
export type AttentionAction = Schemas['Action'];

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

export type AttentionSettings = Schemas['AttentionSettingsIO'];

// ---- Contract checks against the generated schema ----
// Compile-time only: each entry must be `true`, so a backend change that
// breaks a hand-written type above fails `npm run typecheck`. Extends<Local,
// Generated> means the SPA's type is a narrowing of the schema's (every value
// it describes is one the schema allows); SameKeys means no field was added,
// removed or renamed on either side (Extends<keyof Local, keyof Generated>:
// none of the SPA's fields is gone from the schema); Same means the unions
// are identical.

type Assert<T extends true> = T;
type Extends<A, B> = [A] extends [B] ? true : false;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type SameKeys<A, B> = Same<keyof A, keyof B>;

export type ContractChecks = [
  // string unions
  Assert<Same<Channel, Schemas['SendMessageIn']['channel']>>,
  Assert<Same<ConversationStatus, Schemas['ConversationOut']['status']>>,
  Assert<Same<Direction, Schemas['MessageOut']['direction']>>,
  Assert<Same<Message['author']['type'], Schemas['Author']['type']>>,
  Assert<Same<ReplyWindow['state'], Schemas['ChannelReplyState']['state']>>,
  Assert<Extends<TemplateCategory, Schemas['TemplateIn']['category']>>,
  Assert<Same<TemplateStatus, Schemas['TemplateOut']['status']>>,
  Assert<Same<ButtonKind, Schemas['ButtonIO']['kind']>>,
  Assert<Same<ChannelStatus, Schemas['ChannelOut']['status']>>,
  Assert<Same<EmailTls, Schemas['EmailConnectIn']['tls']>>,
  Assert<Same<Trigger, Schemas['RuleIn']['trigger']>>,
  Assert<Same<ConsentChannel, Schemas['ConsentIn']['channel']>>,
  Assert<Same<ConsentState, Schemas['ConsentIn']['state']>>,
  Assert<Same<WebhookEvent, Schemas['SubscriptionIn']['event_types'][number]>>,
  Assert<Same<AttentionItem['channel'], Schemas['AttentionItemOut']['channel']>>,
  // hand-written types narrower than their schema
  Assert<Extends<Membership, Schemas['MembershipOut']>>,
  Assert<SameKeys<Membership, Schemas['MembershipOut']>>,
  Assert<Extends<Me, Schemas['Me']>>,
  Assert<SameKeys<Me, Schemas['Me']>>,
  Assert<Extends<LastMessage, Schemas['LastMessage']>>,
  Assert<SameKeys<LastMessage, Schemas['LastMessage']>>,
  Assert<Extends<ReplyWindow, Schemas['ChannelReplyState']>>,
  Assert<SameKeys<ReplyWindow, Schemas['ChannelReplyState']>>,
  Assert<Extends<ReplyState, Schemas['ConversationOut']['reply_state']>>,
  Assert<Extends<Message, Schemas['MessageOut']>>,
  Assert<SameKeys<Message, Schemas['MessageOut']>>,
  Assert<Extends<TemplateButton, Schemas['ButtonIO']>>,
  Assert<Extends<keyof TemplateButton, keyof Schemas['ButtonIO']>>, // the schema has optional fields the SPA leaves out
  Assert<Extends<TemplateIn, Schemas['TemplateIn']>>,
  Assert<SameKeys<TemplateIn, Schemas['TemplateIn']>>,
  Assert<Extends<Template, Schemas['TemplateOut']>>,
  Assert<SameKeys<Template, Schemas['TemplateOut']>>,
  Assert<Extends<TemplateSendRequest, Schemas['TemplateSendIn']>>,
  Assert<SameKeys<TemplateSendRequest, Schemas['TemplateSendIn']>>,
  Assert<Extends<ChannelConnection, Schemas['ChannelOut']>>,
  Assert<SameKeys<ChannelConnection, Schemas['ChannelOut']>>,
  Assert<Extends<WhatsAppConnectRequest, Schemas['WhatsAppConnectIn']>>,
  Assert<Extends<keyof WhatsAppConnectRequest, keyof Schemas['WhatsAppConnectIn']>>, // the schema has optional fields the SPA leaves out
  Assert<Extends<EmailConnectRequest, Schemas['EmailConnectIn']>>,
  Assert<SameKeys<EmailConnectRequest, Schemas['EmailConnectIn']>>,
  Assert<Extends<AirbnbListings, Schemas['ListingsOut']>>,
  Assert<SameKeys<AirbnbListings, Schemas['ListingsOut']>>,
  Assert<Extends<RuleContent, Schemas['Content']>>,
  Assert<SameKeys<RuleContent, Schemas['Content']>>,
  Assert<Extends<RuleIn, Schemas['RuleIn']>>,
  Assert<SameKeys<RuleIn, Schemas['RuleIn']>>,
  Assert<Extends<Rule, Schemas['RuleOut']>>,
  Assert<SameKeys<Rule, Schemas['RuleOut']>>,
  Assert<Extends<AttentionRemedy, Schemas['RemedyOut']>>,
  Assert<SameKeys<AttentionRemedy, Schemas['RemedyOut']>>,
  Assert<Extends<AttentionItem, Schemas['AttentionItemOut']>>,
  Assert<SameKeys<AttentionItem, Schemas['AttentionItemOut']>>,
  Assert<Extends<AttentionPage, Schemas['AttentionPage']>>,
  Assert<SameKeys<AttentionPage, Schemas['AttentionPage']>>,
  // hand-written types wider than their schema (nullable where the schema is not, optional fields)
  Assert<Extends<Schemas['BookingSummary'], BookingSummary>>,
  Assert<SameKeys<BookingSummary, Schemas['BookingSummary']>>,
  Assert<Extends<Schemas['PlaceholderOut'], Placeholder>>,
  Assert<SameKeys<Placeholder, Schemas['PlaceholderOut']>>,
  // neither narrower nor wider: the same fields
  Assert<SameKeys<ConversationRow, Schemas['ConversationOut']>>,
  Assert<SameKeys<Page<ConversationRow>, Schemas['Page_ConversationOut_']>>,
  Assert<Extends<keyof Booking, keyof Schemas['BookingWithGuest']>>, // the schema has optional fields the SPA leaves out
  Assert<SameKeys<PlannedSend, Schemas['PlannedSendOut']>>,
  Assert<Extends<keyof Problem, keyof Schemas['Problem']>>,
];
