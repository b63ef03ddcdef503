import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { changeLanguage, isLanguage, LANGUAGES } from '@/lib/i18n';

export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  const id = useId();
  return (
    <div className="field-inline">
      <label htmlFor={id} className="field-inline__label">
        {t('language.label')}
        {/* Whoever switched by mistake can still find the way back. */}
        {!i18n.language.startsWith('en') && (
          <span lang="en" className="visually-hidden">
            {' '}
            (Language)
          </span>
        )}
      </label>
      <select
        id={id}
        className="select select--compact"
        data-testid="language-switcher"
        value={i18n.resolvedLanguage ?? i18n.language}
        onChange={(event) => {
          const lng = event.target.value;
          if (isLanguage(lng)) void changeLanguage(i18n, lng);
        }}
      >
        {LANGUAGES.map((lng) => (
          <option key={lng} value={lng} lang={lng}>
            {t(`language.${lng}`)}
          </option>
        ))}
      </select>
    </div>
  );
}
