// The console's Settings (F8 §6): an overview of the sections and the sub-navigation every section page starts
// with. Each section's body lives in its own file (settings-*.ts); the route wraps it in `consolePage` with
// `current: 'settings'`. A section names the roles that may open it; the overview lists only those the viewer has.
import { esc, translator } from './html';
import type { Locale } from './i18n';

export type SettingsSection = 'risk' | 'servicenow' | 'providers' | 'deadLetters' | 'apiKeys' | 'users';

export const SETTINGS_SECTIONS: { key: SettingsSection; href: string; roles: readonly string[] }[] = [
  { key: 'risk', href: '/console/settings/risk', roles: ['admin'] },
  { key: 'servicenow', href: '/console/settings/servicenow', roles: ['admin'] },
  { key: 'providers', href: '/console/settings/providers', roles: ['admin'] },
  { key: 'deadLetters', href: '/console/settings/dead-letters', roles: ['admin', 'operator'] },
  { key: 'apiKeys', href: '/console/settings/api-keys', roles: ['admin'] },
  { key: 'users', href: '/console/settings/users', roles: ['admin'] },
];

/** The sections a user with these roles may open. */
export const settingsSectionsFor = (roles: readonly string[]) =>
  SETTINGS_SECTIONS.filter((s) => s.roles.some((r) => roles.includes(r)));

/** The sub-navigation at the top of every settings page (the current section marked for screen readers). */
export function settingsNav(
  roles: readonly string[],
  current: SettingsSection | null,
  locale: Locale = 'en',
) {
  const t = translator(locale);
  const items = settingsSectionsFor(roles)
    .map(
      (s) =>
        `<li><a href="${s.href}"${s.key === current ? ' aria-current="page"' : ''}>${t(`console.settings.${s.key}.title`)}</a></li>`,
    )
    .join('');
  return `<nav class="settings-nav" aria-label="${t('console.settings.nav.label')}"><ul>${items}</ul></nav>`;
}

/** `/console/settings`: one card per section the viewer may open. */
export function settingsOverviewBody(roles: readonly string[], locale: Locale = 'en'): string {
  const t = translator(locale);
  const cards = settingsSectionsFor(roles)
    .map(
      (s) =>
        `<li class="settings-card"><h2><a href="${esc(s.href)}">${t(`console.settings.${s.key}.title`)}</a></h2><p>${t(`console.settings.${s.key}.summary`)}</p></li>`,
    )
    .join('');
  return `<h1>${t('console.settings.title')}</h1>
<p class="lead">${t('console.settings.intro')}</p>
<ul class="settings-cards">${cards}</ul>`;
}
