import type { TFunction } from 'i18next';
import { en } from '@/locales/en';
import { isApiError } from './api-client';
import type { ReplyWindow } from './api-types';

export type KnownCode = keyof typeof en.codes;

export function isKnownCode(code: string | null | undefined): code is KnownCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(en.codes, code);
}

/** The UI's own wording for a stable API code, or null when the UI does not know it. */
export function codeMessage(t: TFunction, code: string | null | undefined): string | null {
  return isKnownCode(code) ? t(`codes.${code}`) : null;
}

/**
 * What to tell the user about a failed request: our translation of the
 * problem `code` when we know it, else the API's own `detail`.
 */
export function errorMessage(error: unknown, t: TFunction): string {
  if (isApiError(error)) {
    if (error.status === 0) return t('errors.network');
    // The provider's reason is the useful part here (expired token, wrong id…).
    if (error.code === 'provider_rejected') {
      return t('errors.providerRejected', { detail: error.detail ?? error.title ?? '' });
    }
    // "The request has invalid fields." says less than the fields' own messages.
    if (error.code === 'validation_error' && error.errors.length > 0) {
      return error.errors.map((problem) => problem.message).join(' ');
    }
    return codeMessage(t, error.code) ?? (error.detail || error.title || t('errors.generic'));
  }
  return t('errors.generic');
}

/** Why a channel cannot take a free-form reply now: translated by code, else the server's reason. */
export function replyStateReason(t: TFunction, window: ReplyWindow | undefined): string | null {
  if (!window) return null;
  return codeMessage(t, window.code) ?? window.reason ?? null;
}
