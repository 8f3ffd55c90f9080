// Escaping, messages as HTML, and the page frame. Every interpolated value goes through `esc`.
import { text, type Locale, type MessageKey } from './i18n';

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const esc = (value: unknown): string => String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]!);

/** Translator bound to a locale: `t(key)` is escaped text; `t.html(key, { name: '<strong>…</strong>' })` inserts
 * HTML fragments (which the caller has escaped) into the escaped message. */
export interface T {
  (key: MessageKey, vars?: Record<string, string>): string;
  html(key: MessageKey, fragments: Record<string, string>): string;
  locale: Locale;
}
export function translator(locale: Locale): T {
  const t = ((key: MessageKey, vars?: Record<string, string>) => esc(text(locale, key, vars))) as T;
  t.html = (key, fragments) =>
    esc(text(locale, key)).replace(/\{(\w+)\}/g, (m, name: string) => fragments[name] ?? m);
  t.locale = locale;
  return t;
}

/** A date in a `<time>` element: the server writes UTC text in the page's language; the page's script rewrites it
 * in the viewer's own locale and time zone (same element, reserved width, so nothing moves). */
export function time(t: T, date: Date | string): string {
  const d = typeof date === 'string' ? new Date(date) : date;
  const fallback = `${new Intl.DateTimeFormat(t.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(d)} ${t('time.utc')}`;
  return `<time class="local-time" datetime="${esc(d.toISOString())}">${esc(fallback)}</time>`;
}

export interface Frame {
  title: string;
  t: T;
  /** Bundles under /assets, loaded with `defer` (CSP script-src 'self': no inline script anywhere). */
  scripts?: string[];
  bodyClass?: string;
  /** HTML of the page's header bar (escaped by the caller); default: the brand alone */
  header?: string;
}

export function page(frame: Frame, body: string): string {
  const { t } = frame;
  return `<!doctype html>
<html lang="${esc(t.locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(frame.title)} · ${t('app.titleSuffix')}</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/app.css">
${(frame.scripts ?? []).map((s) => `<script src="/assets/${esc(s)}" defer></script>`).join('\n')}
</head>
<body${frame.bodyClass ? ` class="${esc(frame.bodyClass)}"` : ''}>
<a class="skip" href="#main">${t('app.skip')}</a>
${frame.header ?? `<header class="top"><span class="brand">${t('app.brand')}</span></header>`}
<main id="main" tabindex="-1">
${body}
</main>
</body>
</html>`;
}
