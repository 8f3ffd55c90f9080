// The console's Settings — console users (F8 §6, admin): the tenant's users with their roles, sign-in kind, TOTP,
// last sign-in and state; per user the admin's actions (roles, disable/enable, unlock, TOTP); the form that adds a
// local user; and the page that shows the new user's password (and TOTP setup key) the one time it is shown. The
// route wraps each body in `consolePage`; every string comes from messages/, every value goes through `esc`.
import { settingsNav } from './console-settings';
import { esc, time, translator, type T } from './html';
import type { Locale } from './i18n';

export const CONSOLE_ROLE_NAMES = ['admin', 'operator', 'auditor'] as const;
export type ConsoleRoleName = (typeof CONSOLE_ROLE_NAMES)[number];

export interface ConsoleUserRowData {
  id: string;
  username: string;
  name: string;
  roles: readonly string[];
  kind: 'local' | 'sso';
  totp: boolean;
  lastLoginAt: Date | string | null;
  lockedUntil: Date | string | null;
  disabledAt: Date | string | null;
}

/** The add-user form as it was sent, and what was wrong with it. */
export interface ConsoleUserForm {
  username?: string;
  name?: string;
  roles?: readonly string[];
  totp?: boolean;
  errors?: Partial<Record<'username' | 'usernameTaken' | 'roles', true>>;
}

export type ConsoleUserAction = 'roles' | 'disabled' | 'enabled' | 'unlocked' | 'totpOff';
export type ConsoleUserProblem = 'lastAdmin' | 'self' | 'sso' | 'roles';

export interface ConsoleUsersPageData {
  /** The viewer's roles (the sub-navigation) and id (their own row) */
  roles: readonly string[];
  me: string;
  csrf: string;
  users: ConsoleUserRowData[];
  form?: ConsoleUserForm;
  /** After an action (PRG): what was done to whom */
  done?: { action: ConsoleUserAction; username: string };
  /** An action refused: to whom and why */
  problem?: { username: string; problem: ConsoleUserProblem };
}

const P = 'console.settings.users';
type Key = Parameters<T>[0];

const roleName = (t: T, r: string) =>
  (CONSOLE_ROLE_NAMES as readonly string[]).includes(r) ? t(`console.role.${r as ConsoleRoleName}`) : esc(r);

const hidden = (csrf: string) => `<input type="hidden" name="csrf" value="${esc(csrf)}">`;

/** One action as a small form with one button; the button names the user for screen readers. */
function actionForm(t: T, csrf: string, u: ConsoleUserRowData, path: string, label: Key, cls = 'secondary') {
  return `<form method="post" action="/console/settings/users/${esc(u.id)}/${path}" class="inline-form">${hidden(csrf)}<button type="submit" class="${cls}" data-action="${path}">${t(label)}<span class="sr-only"> ${esc(u.username)}</span></button></form>`;
}

function rolesForm(t: T, csrf: string, u: ConsoleUserRowData): string {
  const boxes = CONSOLE_ROLE_NAMES.map((r) => {
    const id = `roles-${esc(u.id)}-${r}`;
    return `<div class="choice"><input type="checkbox" id="${id}" name="roles" value="${r}"${u.roles.includes(r) ? ' checked' : ''}><label for="${id}">${roleName(t, r)}</label></div>`;
  }).join('');
  return `<details class="user-roles-edit"><summary>${t(`${P}.action.roles`)}<span class="sr-only"> ${esc(u.username)}</span></summary>
<form method="post" action="/console/settings/users/${esc(u.id)}/roles">${hidden(csrf)}
<fieldset><legend>${t(`${P}.rolesOf`, { username: u.username })}</legend>${boxes}</fieldset>
<button type="submit" data-action="roles">${t(`${P}.action.saveRoles`)}</button>
</form></details>`;
}

function userRow(t: T, d: ConsoleUsersPageData, u: ConsoleUserRowData): string {
  const self = u.id === d.me;
  const label = (key: string) => ` data-label="${t(`${P}.col.${key}` as Key)}"`;
  const roles = `${u.roles.map((r) => roleName(t, r)).join(', ')}${u.kind === 'sso' ? `<br><span class="note">${t(`${P}.ssoRolesNote`)}</span>` : ''}`;
  const totp = u.kind === 'sso' ? t(`${P}.totp.sso`) : u.totp ? t(`${P}.totp.on`) : t(`${P}.totp.off`);
  const state = u.disabledAt
    ? `<span class="user-disabled">${t.html(`${P}.status.disabled`, { when: time(t, u.disabledAt) })}</span>`
    : u.lockedUntil
      ? `<span class="user-locked">${t.html(`${P}.status.locked`, { when: time(t, u.lockedUntil) })}</span>`
      : t(`${P}.status.active`);
  const actions = [
    u.kind === 'local' ? rolesForm(t, d.csrf, u) : '',
    u.disabledAt
      ? actionForm(t, d.csrf, u, 'enable', `${P}.action.enable`)
      : self
        ? ''
        : actionForm(t, d.csrf, u, 'disable', `${P}.action.disable`, 'secondary danger-outline'),
    u.lockedUntil ? actionForm(t, d.csrf, u, 'unlock', `${P}.action.unlock`) : '',
    u.kind === 'local' && u.totp ? actionForm(t, d.csrf, u, 'disable-totp', `${P}.action.totpOff`) : '',
    u.kind === 'local' && !u.totp ? actionForm(t, d.csrf, u, 'enable-totp', `${P}.action.totpOn`) : '',
  ]
    .filter(Boolean)
    .join('\n');
  return `<tr data-user-id="${esc(u.id)}" data-username="${esc(u.username)}" data-state="${u.disabledAt ? 'disabled' : u.lockedUntil ? 'locked' : 'active'}">
<th scope="row"${label('username')}>${esc(u.username)}${self ? ` <span class="note">${t(`${P}.you`)}</span>` : ''}</th>
<td${label('name')}><div>${esc(u.name)}</div></td>
<td${label('roles')} data-role="roles"><div>${roles}</div></td>
<td${label('signIn')}><div>${t(`${P}.kind.${u.kind}`)}</div></td>
<td${label('totp')} data-role="totp"><div>${totp}</div></td>
<td${label('lastSignIn')}><div>${u.lastLoginAt ? time(t, u.lastLoginAt) : t(`${P}.never`)}</div></td>
<td${label('status')} data-role="status"><div>${state}</div></td>
<td${label('actions')} class="user-actions"><div>${actions}</div></td>
</tr>`;
}

function createForm(t: T, d: ConsoleUsersPageData): string {
  const f = d.form ?? {};
  const e = f.errors ?? {};
  const any = Object.keys(e).length > 0;
  const nameError = e.username ? 'username' : e.usernameTaken ? 'usernameTaken' : null;
  const boxes = CONSOLE_ROLE_NAMES.map((r) => {
    const id = `new-user-role-${r}`;
    return `<div class="choice"><input type="checkbox" id="${id}" name="roles" value="${r}"${f.roles?.includes(r) ? ' checked' : ''} aria-describedby="${id}-hint"><label for="${id}">${roleName(t, r)}</label></div>
<p class="note role-hint" id="${id}-hint">${t(`${P}.roleHint.${r}`)}</p>`;
  }).join('\n');
  return `<section class="card" aria-labelledby="new-user-h">
<h2 id="new-user-h">${t(`${P}.createTitle`)}</h2>
<p>${t(`${P}.createIntro`)}</p>
${any ? `<p class="form-error" role="alert">${t(`${P}.error.summary`)}</p>` : ''}
<form method="post" action="/console/settings/users" id="new-user" novalidate>
${hidden(d.csrf)}
<div class="field"><label for="new-user-username">${t(`${P}.field.username`)}</label>
${nameError ? `<p class="form-error" id="new-user-username-error">${t(`${P}.error.${nameError}`)}</p>` : ''}<input type="text" id="new-user-username" name="username" maxlength="120" required autocomplete="off" autocapitalize="none" spellcheck="false" value="${esc(f.username ?? '')}" aria-describedby="${nameError ? 'new-user-username-error ' : ''}new-user-username-hint"${nameError ? ' aria-invalid="true"' : ''}>
<p class="note" id="new-user-username-hint">${t(`${P}.field.usernameHint`)}</p></div>
<div class="field"><label for="new-user-name">${t(`${P}.field.name`)}</label>
<input type="text" id="new-user-name" name="name" maxlength="200" autocomplete="off" value="${esc(f.name ?? '')}"></div>
<fieldset${e.roles ? ' aria-describedby="new-user-roles-error" aria-invalid="true"' : ''}><legend>${t(`${P}.field.roles`)}</legend>
${e.roles ? `<p class="form-error" id="new-user-roles-error">${t(`${P}.error.roles`)}</p>` : ''}${boxes}
</fieldset>
<div class="choice"><input type="checkbox" id="new-user-totp" name="totp" value="on"${f.totp ? ' checked' : ''} aria-describedby="new-user-totp-hint"><label for="new-user-totp">${t(`${P}.field.totp`)}</label></div>
<p class="note" id="new-user-totp-hint">${t(`${P}.field.totpHint`)}</p>
<button type="submit">${t(`${P}.create`)}</button>
</form>
</section>`;
}

/** `/console/settings/users`: the users and their actions, then the add-user form. */
export function consoleUsersBody(d: ConsoleUsersPageData, locale: Locale = 'en'): string {
  const t = translator(locale);
  const head = ['username', 'name', 'roles', 'signIn', 'totp', 'lastSignIn', 'status', 'actions']
    .map((c) => `<th scope="col">${t(`${P}.col.${c}` as Key)}</th>`)
    .join('');
  const notice = d.problem
    ? `<p class="notice notice-error" role="alert" data-problem="${d.problem.problem}">${t(`${P}.problem.${d.problem.problem}`, { username: d.problem.username })}</p>`
    : d.done
      ? `<p class="notice notice-info" role="status" data-done="${d.done.action}">${t(`${P}.done.${d.done.action}`, { username: d.done.username })}</p>`
      : '';
  return `${settingsNav(d.roles, 'users', locale)}
<h1>${t(`${P}.title`)}</h1>
<p class="lead">${t(`${P}.intro`)}</p>
${notice}
<div class="table-scroll settings-table" tabindex="0" role="region" aria-labelledby="console-users-caption">
<table class="settings-stack console-users">
<caption id="console-users-caption">${t(`${P}.caption`)}</caption>
<thead><tr>${head}</tr></thead>
<tbody>
${d.users.map((u) => userRow(t, d, u)).join('\n')}
</tbody>
</table></div>
${createForm(t, d)}`;
}

export interface TotpSetupData {
  secret: string;
  uri: string;
}

function totpSetup(t: T, totp: TotpSetupData): string {
  return `<h3>${t(`${P}.created.totpTitle`)}</h3>
<p class="note">${t(`${P}.created.totpOnce`)}</p>
<div class="field"><label for="created-totp-secret">${t(`${P}.created.totpSecret`)}</label><input type="text" id="created-totp-secret" class="secret-value" readonly value="${esc(totp.secret)}" autocomplete="off" spellcheck="false"></div>
<div class="field"><label for="created-totp-uri">${t(`${P}.created.totpUri`)}</label><input type="text" id="created-totp-uri" class="secret-value" readonly value="${esc(totp.uri)}" autocomplete="off" spellcheck="false"></div>`;
}

export interface ConsoleUserCreatedData {
  roles: readonly string[];
  user: { username: string; name: string; roles: readonly string[] };
  password: string;
  totp: TotpSetupData | null;
}

/** The answer to "Add user": the generated password (and TOTP setup key) this one time. */
export function consoleUserCreatedBody(d: ConsoleUserCreatedData, locale: Locale = 'en'): string {
  const t = translator(locale);
  return `${settingsNav(d.roles, 'users', locale)}
<h1>${t(`${P}.created.title`)}</h1>
<section class="card shown-once" aria-labelledby="user-created-h" data-role="created-user">
<h2 id="user-created-h">${t(`${P}.created.heading`, { username: d.user.username })}</h2>
<p class="warn-note" id="user-created-once" role="alert">${t(`${P}.created.once`)}</p>
<dl class="facts">
<div class="row"><dt>${t(`${P}.col.username`)}</dt><dd data-role="username">${esc(d.user.username)}</dd></div>
<div class="row"><dt>${t(`${P}.col.roles`)}</dt><dd>${d.user.roles.map((r) => roleName(t, r)).join(', ')}</dd></div>
</dl>
<div class="field"><label for="created-password">${t(`${P}.created.password`)}</label><input type="text" id="created-password" class="secret-value" readonly value="${esc(d.password)}" autocomplete="off" spellcheck="false" aria-describedby="user-created-once"></div>
${d.totp ? totpSetup(t, d.totp) : ''}
<p><a class="button-link" href="/console/settings/users">${t(`${P}.created.back`)}</a></p>
</section>`;
}

export interface TotpEnabledData {
  roles: readonly string[];
  username: string;
  totp: TotpSetupData;
}

/** The answer to "Set up TOTP" for an existing user: the new setup key this one time. */
export function consoleUserTotpBody(d: TotpEnabledData, locale: Locale = 'en'): string {
  const t = translator(locale);
  return `${settingsNav(d.roles, 'users', locale)}
<h1>${t(`${P}.totpEnabled.title`)}</h1>
<section class="card shown-once" aria-labelledby="totp-enabled-h" data-role="totp-enabled">
<h2 id="totp-enabled-h">${t(`${P}.totpEnabled.heading`, { username: d.username })}</h2>
<p class="warn-note" role="alert">${t(`${P}.totpEnabled.once`)}</p>
${totpSetup(t, d.totp)}
<p><a class="button-link" href="/console/settings/users">${t(`${P}.created.back`)}</a></p>
</section>`;
}
