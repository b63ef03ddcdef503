import type { TFunction } from 'i18next';
import { isApiError } from '@/lib/api-client';
import { errorMessage } from '@/lib/errors';

const USERS_CODES = ['last_owner', 'already_member', 'invitation_expired', 'forbidden', 'not_found'] as const;
type UsersCode = (typeof USERS_CODES)[number];

function isUsersCode(code: string | null): code is UsersCode {
  return code !== null && (USERS_CODES as readonly string[]).includes(code);
}

/** The screen's own wording for the staff rules' codes, else the app's usual message. */
export function usersErrorMessage(error: unknown, t: TFunction): string {
  if (isApiError(error) && isUsersCode(error.code)) return t(`users.codes.${error.code}`);
  return errorMessage(error, t);
}
