import { useTranslation } from 'react-i18next';
import { useMe } from './auth';

export interface LocaleContext {
  /** The UI language (follows the language switcher). */
  locale: string;
  /** The property's IANA timezone: every instant is shown on the hotel's clock. */
  timeZone: string | undefined;
}

/** Language and timezone to format dates and times with. */
export function useLocaleContext(): LocaleContext {
  const { i18n } = useTranslation();
  const me = useMe();
  return { locale: i18n.language, timeZone: me.data?.property.timezone || undefined };
}
