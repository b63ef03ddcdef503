import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '@/components/ErrorMessage';
import { useSession } from '@/lib/auth';
import { useSwitchProperty } from '../api/switch-property';

/** The current property's name; a switcher when the user belongs to several. */
export function PropertySwitcher({ onSwitched }: { onSwitched?: () => void }) {
  const { t } = useTranslation();
  const me = useSession();
  const switchProperty = useSwitchProperty();
  const id = useId();

  if (me.memberships.length < 2) {
    return (
      <span className="app-header__property" data-testid="property-name">
        {me.property.name}
      </span>
    );
  }

  return (
    <div className="field-inline">
      <label htmlFor={id} className="visually-hidden">
        {t('auth.property')}
      </label>
      <select
        id={id}
        className="select select--property"
        data-testid="property-switcher"
        value={me.property.id}
        disabled={switchProperty.isPending}
        onChange={(event) =>
          switchProperty.mutate(event.target.value, { onSuccess: () => onSwitched?.() })
        }
      >
        {me.memberships.map((membership) => (
          <option key={membership.property_id} value={membership.property_id}>
            {membership.property_name}
          </option>
        ))}
      </select>
      {switchProperty.isError && <ErrorMessage error={switchProperty.error} className="toast" />}
    </div>
  );
}
