// The security staff's console (F8): the sign-in page and the frame every console page uses (a header naming the
// signed-in user, the console's navigation, a sign-out button). Pages of the console's sections (Verifications,
// Audit log, Dashboard, Settings) put their own body inside `consolePage`.
import { esc, page, translator } from './html';
import { text, type Locale } from './i18n';

export type ConsoleSection = 'verifications' | 'audit' | 'dashboard' | 'settings';

export interface ConsolePageData {
  /** The page's title (already in the page's language) */
  title: string;
  user: { name: string; roles: readonly string[] };
  current: ConsoleSection;
  /** The session's anti-CSRF value: the sign-out form carries it; scripts read it from `input[name=csrf]` too */
  csrf: string;
  /** The page's own HTML (escaped by the caller), inside <main> */
  body: string;
  /** Bundles under /assets (CSP: no inline script) */
  scripts?: string[];
  locale?: Locale;
}

/** Each section with the roles that see it in the navigation (the routes enforce the same roles). */
const NAV: { key: ConsoleSection; href: string; roles?: readonly string[] }[] = [
  { key: 'verifications', href: '/console' },
  { key: 'audit', href: '/console/audit', roles: ['admin', 'auditor'] },
  { key: 'dashboard', href: '/console/dashboard' },
  // Operators retry failed ticket updates there; admins have every section.
  { key: 'settings', href: '/console/settings', roles: ['admin', 'operator'] },
];

export function consolePage(d: ConsolePageData): string {
  const t = translator(d.locale ?? 'en');
  const links = NAV.filter((n) => !n.roles || n.roles.some((r) => d.user.roles.includes(r)))
    .map(
      (n) =>
        `<li><a href="${n.href}"${n.key === d.current ? ' aria-current="page"' : ''}>${t(`console.nav.${n.key}`)}</a></li>`,
    )
    .join('');
  const roles = d.user.roles
    .map((r) => (r === 'admin' || r === 'operator' || r === 'auditor' ? t(`console.role.${r}`) : esc(r)))
    .join(', ');
  const header = `<header class="top console-top">
<span class="brand">${t('console.brand')}</span>
<nav class="console-nav" aria-label="${t('console.nav.label')}"><ul>${links}</ul></nav>
<div class="console-user">
<span class="console-user-name">${t.html('console.signedInAs', { name: `<strong>${esc(d.user.name)}</strong>` })} <span class="console-roles">(${roles})</span></span>
<form method="post" action="/console/logout" class="console-logout">
<input type="hidden" name="csrf" value="${esc(d.csrf)}">
<button type="submit" class="secondary">${t('console.signOut')}</button>
</form>
</div>
</header>`;
  return page(
    { title: d.title, t, header, bodyClass: 'console', ...(d.scripts ? { scripts: d.scripts } : {}) },
    d.body,
  );
}

export interface ConsoleLoginPageData {
  /** Where to go after signing in (a /console path; the service checks it again) */
  next: string;
  /** The tenants to choose from when more than one is configured (none: the only one) */
  tenants?: { slug: string; name: string }[];
  tenant?: string;
  username?: string;
  /** The one answer to a refused sign-in, whatever the reason */
  failed?: boolean;
  /**
   * Single sign-on, when the tenant has it: a link to `/console/sso/<slug>/start?next=…`. With several tenants and
   * none chosen yet, one link per tenant that has SSO, each naming it.
   */
  sso?: { href: string; tenantName?: string }[];
}

function ssoLinks(t: ReturnType<typeof translator>, sso: ConsoleLoginPageData['sso']): string {
  if (!sso?.length) return '';
  const links = sso
    .map(
      (s) =>
        `<li><a class="button-link" href="${esc(s.href)}">${s.tenantName ? t('console.sso.signInAt', { tenant: s.tenantName }) : t('console.sso.signIn')}</a></li>`,
    )
    .join('');
  return `<ul class="sso-sign-in">${links}</ul>`;
}

export function consoleLoginPage(d: ConsoleLoginPageData, locale: Locale = 'en'): string {
  const t = translator(locale);
  const error = d.failed
    ? `<p class="form-error" id="login-error" role="alert">${t('console.login.failed')}</p>`
    : '';
  const invalid = d.failed ? ' aria-invalid="true" aria-describedby="login-error"' : '';
  const tenants =
    d.tenants && d.tenants.length > 1
      ? `<div class="field"><label for="login-tenant">${t('console.login.tenant')}</label><select id="login-tenant" name="tenant">${d.tenants
          .map(
            (x) =>
              `<option value="${esc(x.slug)}"${x.slug === d.tenant ? ' selected' : ''}>${esc(x.name)}</option>`,
          )
          .join('')}</select></div>`
      : '';
  return page(
    {
      title: text(locale, d.failed ? 'console.login.failedTitle' : 'console.login.title'),
      t,
      bodyClass: 'console-login',
    },
    `<h1>${t('console.login.title')}</h1>
<section class="card" aria-labelledby="login-h">
<h2 id="login-h" class="sr-only">${t('console.login.title')}</h2>
<p>${t('console.login.intro')}</p>
<form method="post" action="/console/login" id="console-login" novalidate>
<input type="hidden" name="next" value="${esc(d.next)}">
${error}
${tenants}
<div class="field"><label for="login-username">${t('console.login.username')}</label><input type="text" id="login-username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" maxlength="120" required value="${esc(d.username ?? '')}"${invalid}></div>
<div class="field"><label for="login-password">${t('console.login.password')}</label><input type="password" id="login-password" name="password" autocomplete="current-password" maxlength="256" required${invalid}></div>
<div class="field"><label for="login-totp">${t('console.login.totp')}</label><input type="text" id="login-totp" name="totp" autocomplete="one-time-code" inputmode="numeric" pattern="[0-9 ]*" maxlength="8" aria-describedby="login-totp-hint"></div>
<p class="note" id="login-totp-hint">${t('console.login.totpHint')}</p>
<button type="submit">${t('console.login.submit')}</button>
</form>
${ssoLinks(t, d.sso)}
</section>`,
  );
}

export interface ConsoleSsoDoneData {
  /** Where the console continues (a /console path the service checked) */
  next: string;
  name: string;
}

/**
 * After single sign-on: the session cookie is SameSite=Strict, and the browser arrived here at the end of a
 * navigation the provider's page started, so a redirect to the console would go without it (Chromium) and land on
 * the sign-in page. This page is ours: following its link is a same-site navigation that carries the new cookie.
 */
export function consoleSsoDonePage(d: ConsoleSsoDoneData, locale: Locale = 'en'): string {
  const t = translator(locale);
  return page(
    { title: text(locale, 'console.sso.doneTitle'), t, bodyClass: 'console-login' },
    `<h1>${t('console.sso.doneTitle')}</h1>
<section class="card" aria-labelledby="sso-done-h" data-sso="done">
<h2 id="sso-done-h" class="sr-only">${t('console.sso.doneTitle')}</h2>
<p>${t('console.sso.doneBody', { name: d.name })}</p>
<p><a class="button-link" id="sso-continue" href="${esc(d.next)}">${t('console.sso.continue')}</a></p>
</section>`,
  );
}
