/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// Shared by the page scripts: dates in the viewer's locale and time zone, and small DOM helpers.

/** The viewer's locale for dates: the browser's own when it speaks the page's language, else the page's. */
export function viewerLocale(): string {
  const page = document.documentElement.lang || 'en';
  const browser = navigator.language || page;
  return browser.toLowerCase().split('-')[0] === page.toLowerCase() ? browser : page;
}

/** Rewrites every `<time class="local-time" datetime>` in the viewer's locale and time zone. */
export function formatTimes(root: ParentNode = document): void {
  const format = new Intl.DateTimeFormat(viewerLocale(), { dateStyle: 'medium', timeStyle: 'short' });
  for (const el of Array.from(root.querySelectorAll<HTMLTimeElement>('time.local-time'))) {
    const d = new Date(el.dateTime);
    if (!Number.isNaN(d.getTime())) el.textContent = format.format(d);
  }
}

export const role = <E extends Element = HTMLElement>(name: string, root: ParentNode = document): E | null =>
  root.querySelector<E>(`[data-role="${name}"]`);

export const fill = (template: string, vars: Record<string, string>): string =>
  template.replace(/\{(\w+)\}/g, (m, name: string) => vars[name] ?? m);
