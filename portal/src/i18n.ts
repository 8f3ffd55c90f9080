// Messages: every string people read lives in messages/<lang>.json (same keys in every language; a test checks).
// The server picks the language from Accept-Language; the browser bundles read the same files.
import en from '../messages/en.json';
import fr from '../messages/fr.json';

export type MessageKey = keyof typeof en;
export const LOCALES = ['en', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];
export const MESSAGES: Record<Locale, Record<MessageKey, string>> = { en, fr };

/** The best supported language for an Accept-Language header (q-values honoured), English by default. */
export function pickLocale(acceptLanguage: string | undefined): Locale {
  if (!acceptLanguage) return 'en';
  const ranked = acceptLanguage
    .slice(0, 500)
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { lang: tag.trim().toLowerCase().split('-')[0] ?? '', q: q === undefined ? 1 : Number(q), i };
    })
    .filter((x) => x.q > 0 && !Number.isNaN(x.q))
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { lang } of ranked) if ((LOCALES as readonly string[]).includes(lang)) return lang as Locale;
  return 'en';
}

export const isMessageKey = (key: string): key is MessageKey => Object.prototype.hasOwnProperty.call(en, key);

/** A message with `{name}` placeholders filled in (plain text: escape it where it lands). */
export function text(locale: Locale, key: MessageKey, vars: Record<string, string> = {}): string {
  return MESSAGES[locale][key].replace(/\{(\w+)\}/g, (m, name: string) => vars[name] ?? m);
}
