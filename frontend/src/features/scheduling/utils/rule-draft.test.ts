import { describe, expect, it } from 'vitest';
import { createI18n } from '@/lib/i18n';
import { emptyRule, insertAt, moveChannel, normaliseField, normaliseRule, triggerSummary } from './rule-draft';

describe('triggerSummary', () => {
  const en = createI18n('en').t;
  const fr = createI18n('fr').t;
  const timing = { trigger: 'before_check_in' as const, offset_days: 2, offset_hours: 0, send_time: '10:00' };

  it('reads like a sentence, in English and French', () => {
    expect(triggerSummary(en, timing)).toBe('2 days before check-in at 10:00');
    expect(triggerSummary(fr, timing)).toBe('2 jours avant l’arrivée à 10:00');
    expect(triggerSummary(en, { ...timing, offset_days: 1, send_time: null })).toBe('1 day before check-in');
    expect(triggerSummary(en, { trigger: 'after_check_out', offset_days: 0, offset_hours: 3, send_time: null })).toBe(
      '3 hours after check-out',
    );
    expect(triggerSummary(en, { trigger: 'booking_confirmed', offset_days: 0, offset_hours: 0, send_time: null })).toBe(
      'As soon as the booking is confirmed',
    );
    expect(triggerSummary(en, { ...timing, offset_days: 0 })).toBe('On the check-in day at 10:00');
  });
});

describe('rule drafts', () => {
  it('moves channels within bounds', () => {
    expect(moveChannel(['whatsapp', 'sms', 'email'], 2, -1)).toEqual(['whatsapp', 'email', 'sms']);
    expect(moveChannel(['whatsapp', 'sms'], 0, -1)).toEqual(['whatsapp', 'sms']);
  });

  it('inserts at the selection and puts the caret after the insertion', () => {
    expect(insertAt('Hello !', '{{ guest.first_name }}', 6, 6)).toEqual({ text: 'Hello {{ guest.first_name }}!', caret: 28 });
    expect(insertAt('Hello', 'X', null, null)).toEqual({ text: 'HelloX', caret: 6 });
    expect(insertAt('Hello world', 'there', 6, 11)).toEqual({ text: 'Hello there', caret: 11 });
  });

  it('spells problem fields one way', () => {
    expect(normaliseField('content.translations.fr.sms_text')).toBe('content.fr.sms_text');
    expect(normaliseField('channel_order.0')).toBe('channel_order');
    expect(normaliseField('send_time')).toBe('send_time');
  });

  it('sends blanks as null, drops empty language versions and the template without WhatsApp', () => {
    const draft = emptyRule();
    draft.name = '  Welcome ';
    draft.channel_order = ['sms'];
    draft.content.whatsapp_template_id = 'tpl1';
    draft.content.default = { sms_text: 'Hi', email_subject: '  ' };
    draft.content.translations = { fr: { sms_text: '' }, de: { sms_text: 'Hallo' } };
    draft.conditions = { sources: [], min_nights: Number.NaN, languages: ['fr'] };
    expect(normaliseRule(draft)).toMatchObject({
      name: 'Welcome',
      conditions: { sources: null, min_nights: null, languages: ['fr'] },
      content: {
        default: { sms_text: 'Hi', email_subject: null, email_body: null },
        whatsapp_template_id: null,
        translations: { de: { sms_text: 'Hallo', email_subject: null, email_body: null } },
      },
    });
  });
});
