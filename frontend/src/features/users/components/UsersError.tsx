import { useTranslation } from 'react-i18next';
import { usersErrorMessage } from './users-error';

export function UsersError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  return (
    <div role="alert" className="alert alert--error" data-testid="users-error">
      <span>{usersErrorMessage(error, t)}</span>
    </div>
  );
}
