import type { TFunction } from 'i18next';
import { isApiError } from './api-client';

/** What to tell the user about a failed request: the API's own `detail` first. */
export function errorMessage(error: unknown, t: TFunction): string {
  if (isApiError(error)) {
    if (error.status === 0) return t('errors.network');
    return error.detail || error.title || t('errors.generic');
  }
  return t('errors.generic');
}
