/** "French", "Deutsch"… for a language code, in the UI language; the code itself if unknown. */
export function languageName(code: string, locale: string): string {
  try {
    const name = new Intl.DisplayNames([locale], { type: 'language' }).of(code.replace('_', '-'));
    return name && name !== code ? name.charAt(0).toLocaleUpperCase(locale) + name.slice(1) : code;
  } catch {
    return code;
  }
}
