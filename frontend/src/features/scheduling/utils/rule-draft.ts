import type { TFunction } from 'i18next';
import {
  CHANNELS,
  type Channel,
  type ContentVersion,
  type FieldProblem,
  type Rule,
  type RuleIn,
  type Trigger,
} from '@/lib/api-types';

/** Languages a rule can have its own version in (guests' languages the hotels see most). */
export const CONTENT_LANGUAGES = ['fr', 'en', 'es', 'de', 'it'] as const;
/** Booking sources a rule can be limited to. */
export const BOOKING_SOURCES = ['direct', 'airbnb', 'booking_com', 'expedia'] as const;
export const CONTENT_FIELDS = ['email_subject', 'email_body', 'sms_text'] as const;
export type ContentField = (typeof CONTENT_FIELDS)[number];
/** "default" or a language code. */
export type ContentTab = string;

export function emptyRule(): RuleIn {
  return {
    name: '',
    active: true,
    trigger: 'before_check_in',
    offset_days: 1,
    offset_hours: 0,
    send_time: '10:00',
    conditions: {},
    channel_order: ['whatsapp', 'sms'],
    content: { default: {}, whatsapp_template_id: null, translations: {} },
    marketing: false,
  };
}

/** The editable part of a saved rule (what PUT takes). */
export function toRuleIn(rule: Rule): RuleIn {
  return {
    name: rule.name,
    active: rule.active,
    trigger: rule.trigger,
    offset_days: rule.offset_days,
    offset_hours: rule.offset_hours,
    send_time: rule.send_time,
    conditions: { ...rule.conditions },
    channel_order: [...rule.channel_order],
    content: {
      default: { ...rule.content.default },
      whatsapp_template_id: rule.content.whatsapp_template_id ?? null,
      translations: Object.fromEntries(
        Object.entries(rule.content.translations ?? {}).map(([language, version]) => [language, { ...version }]),
      ),
    },
    marketing: rule.marketing,
  };
}

const blank = (value: string | null | undefined) => (value && value.trim() ? value : null);

function normaliseVersion(version: ContentVersion): ContentVersion {
  return {
    email_subject: blank(version.email_subject),
    email_body: blank(version.email_body),
    sms_text: blank(version.sms_text),
  };
}

const isEmptyVersion = (version: ContentVersion) => CONTENT_FIELDS.every((field) => !version[field]);

/** What goes to the API: blanks as null, empty lists as "any", empty language versions left out. */
export function normaliseRule(draft: RuleIn): RuleIn {
  const translations: Record<string, ContentVersion> = {};
  for (const [language, version] of Object.entries(draft.content.translations)) {
    const normalised = normaliseVersion(version);
    if (!isEmptyVersion(normalised)) translations[language] = normalised;
  }
  const minNights = draft.conditions.min_nights;
  return {
    ...draft,
    name: draft.name.trim(),
    offset_days: Number.isFinite(draft.offset_days) ? draft.offset_days : 0,
    offset_hours: Number.isFinite(draft.offset_hours) ? draft.offset_hours : 0,
    send_time: blank(draft.send_time),
    conditions: {
      sources: draft.conditions.sources?.length ? draft.conditions.sources : null,
      min_nights: typeof minNights === 'number' && Number.isFinite(minNights) ? minNights : null,
      languages: draft.conditions.languages?.length ? draft.conditions.languages : null,
    },
    content: {
      default: normaliseVersion(draft.content.default),
      whatsapp_template_id: draft.channel_order.includes('whatsapp') ? draft.content.whatsapp_template_id || null : null,
      translations,
    },
  };
}

// ---- Channel order ----

export function moveChannel(order: Channel[], index: number, delta: -1 | 1): Channel[] {
  const target = index + delta;
  if (index < 0 || index >= order.length || target < 0 || target >= order.length) return order;
  const next = [...order];
  [next[index], next[target]] = [next[target]!, next[index]!];
  return next;
}

export function removeChannel(order: Channel[], channel: Channel): Channel[] {
  return order.filter((item) => item !== channel);
}

export function addChannel(order: Channel[], channel: Channel): Channel[] {
  return order.includes(channel) ? order : [...order, channel];
}

export function missingChannels(order: Channel[]): Channel[] {
  return CHANNELS.filter((channel) => !order.includes(channel));
}

// ---- Placeholders ----

export function placeholderToken(key: string): string {
  return `{{ ${key} }}`;
}

/** `text` with `insertion` replacing the selection [start, end); the caret lands after it. */
export function insertAt(text: string, insertion: string, start?: number | null, end?: number | null) {
  const from = Math.max(0, Math.min(start ?? text.length, text.length));
  const to = Math.max(from, Math.min(end ?? from, text.length));
  return { text: text.slice(0, from) + insertion + text.slice(to), caret: from + insertion.length };
}

// ---- Problems (422 errors[].field) ----

/**
 * One spelling per field: the domain says "content.fr.sms_text", request validation
 * "content.translations.fr.sms_text"; list items ("channel_order.0") belong to their list.
 */
export function normaliseField(field: string): string {
  let name = field.replace(/^content\.translations\./, 'content.');
  name = name.replace(/\[(\d+)\]/g, '.$1');
  if (/^(channel_order|conditions\.sources|conditions\.languages)\.\d+$/.test(name)) {
    name = name.replace(/\.\d+$/, '');
  }
  return name;
}

export function normaliseProblems(problems: FieldProblem[]): FieldProblem[] {
  return problems.map((problem) => ({ ...problem, field: normaliseField(problem.field) }));
}

export function problemsFor(problems: FieldProblem[], ...fields: string[]): FieldProblem[] {
  return problems.filter((problem) => fields.includes(problem.field));
}

/** Problems of a content tab ("default", "fr"): its fields and the version itself. */
export function tabProblems(problems: FieldProblem[], tab: ContentTab): FieldProblem[] {
  return problems.filter((problem) => problem.field === `content.${tab}` || problem.field.startsWith(`content.${tab}.`));
}

// ---- Summary: "2 days before check-in at 10:00" ----

export interface Timing {
  trigger: Trigger;
  offset_days: number;
  offset_hours: number;
  send_time: string | null;
}

export function triggerSummary(t: TFunction, rule: Timing): string {
  const days = Number.isFinite(rule.offset_days) ? Math.max(0, rule.offset_days) : 0;
  const hours = Number.isFinite(rule.offset_hours) ? Math.max(0, rule.offset_hours) : 0;
  const time = rule.send_time && rule.send_time.trim() ? rule.send_time.trim() : null;
  let summary: string;
  if (days === 0 && hours === 0) {
    summary = time ? t(`scheduling.summary.sameDay.${rule.trigger}`) : t(`scheduling.summary.at.${rule.trigger}`);
  } else {
    const parts = [
      days > 0 ? t('scheduling.summary.days', { count: days }) : null,
      hours > 0 ? t('scheduling.summary.hours', { count: hours }) : null,
    ].filter(Boolean);
    summary = t(`scheduling.summary.offset.${rule.trigger}`, { offset: parts.join(' ') });
  }
  return time ? t('scheduling.summary.atTime', { summary, time }) : summary;
}
