import { describe, expect, it } from 'vitest';
import { ApiError } from './api-client';
import { errorMessage, replyStateReason } from './errors';
import { createI18n } from './i18n';

const en = createI18n('en').t;
const fr = createI18n('fr').t;

describe('reply-state codes', () => {
  it('translates a known code in English and French, whatever the server wrote', () => {
    const window = { state: 'closed' as const, open_until: null, code: 'whatsapp_window_closed', reason: 'Window closed.' };
    expect(replyStateReason(en, window)).toBe(
      'The 24-hour WhatsApp window has closed. Send an approved template instead.',
    );
    expect(replyStateReason(fr, window)).toBe(
      'La fenêtre WhatsApp de 24 heures est fermée. Envoyez plutôt un modèle approuvé.',
    );
    const noPhone = { state: 'closed' as const, open_until: null, code: 'guest_has_no_phone', reason: 'x' };
    expect(replyStateReason(fr, noPhone)).toBe('Le client n’a pas de numéro de téléphone.');
    const airbnb = { state: 'closed' as const, open_until: null, code: 'airbnb_reply_not_allowed', reason: 'x' };
    expect(replyStateReason(en, airbnb)).toBe('Airbnb does not allow a reply in this conversation.');
  });

  it('falls back to the server’s reason for a code the UI does not know, or no code', () => {
    const unknown = { state: 'closed' as const, open_until: null, code: 'sms_opted_out', reason: 'The guest opted out of SMS.' };
    expect(replyStateReason(fr, unknown)).toBe('The guest opted out of SMS.');
    expect(replyStateReason(en, { state: 'closed', open_until: null, reason: 'Nope' })).toBe('Nope');
    expect(replyStateReason(en, { state: 'closed', open_until: null, reason: null })).toBeNull();
    expect(replyStateReason(en, undefined)).toBeNull();
  });
});

describe('problem codes', () => {
  it('translates known codes, keeps the detail otherwise, and quotes the provider for provider_rejected', () => {
    const known = new ApiError(409, { code: 'channel_not_connected', detail: 'sms is not connected.' });
    expect(errorMessage(known, fr)).toBe('Ce canal n’est pas connecté.');
    const unknown = new ApiError(409, { code: 'quota_exceeded', detail: 'Monthly quota reached.' });
    expect(errorMessage(unknown, fr)).toBe('Monthly quota reached.');
    const provider = new ApiError(422, { code: 'provider_rejected', detail: 'The WhatsApp access token has expired.' });
    expect(errorMessage(provider, en)).toBe('WhatsApp refused these settings: The WhatsApp access token has expired.');
    const invalid = new ApiError(422, {
      code: 'validation_error',
      detail: 'The request has invalid fields.',
      errors: [{ field: 'verify_token', code: 'too_short', message: 'Use at least 8 characters.' }],
    });
    expect(errorMessage(invalid, en)).toBe('Use at least 8 characters.');
    expect(errorMessage(new ApiError(0, { code: 'network_error' }), en)).toBe(
      'Cannot reach the server. Check your connection and try again.',
    );
  });
});
