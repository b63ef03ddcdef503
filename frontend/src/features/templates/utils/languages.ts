/** Template languages Meta accepts that hotels use most; any other code still shows. */
export const TEMPLATE_LANGUAGES = [
  'en', 'en_US', 'en_GB', 'fr', 'es', 'de', 'it', 'pt_BR', 'pt_PT', 'nl', 'ca', 'da', 'sv', 'nb', 'fi',
  'pl', 'cs', 'el', 'tr', 'ru', 'uk', 'ar', 'he', 'ja', 'ko', 'zh_CN', 'zh_TW',
] as const;

/** "French", "English (United States)" for "fr", "en_US", in the UI language. */
export function languageLabel(code: string, locale: string): string {
  try {
    const name = new Intl.DisplayNames([locale], { type: 'language' }).of(code.replace('_', '-'));
    return name ? `${name} (${code})` : code;
  } catch {
    return code;
  }
}
