// The console's Settings — API keys (F7 keys, managed in F8 §6): the tenant's keys, the form that creates one, and
// the page that shows a new key (and its webhook's signing secret) the one time it is shown. The route wraps each
// body in `consolePage`; every string comes from messages/, every value goes through `esc`.
import { settingsNav } from './console-settings';
import { esc, time, translator, type T } from './html';
import type { Locale } from './i18n';

export const API_KEY_SCOPE_NAMES = ['verifications:write', 'verifications:read'] as const;
export type ApiKeyScopeName = (typeof API_KEY_SCOPE_NAMES)[number];
const SCOPE_KEY = { 'verifications:write': 'write', 'verifications:read': 'read' } as const;

export interface ApiKeyRowData {
  id: string;
  name: string;
  prefix: string;
  scopes: readonly string[];
  webhookUrl: string | null;
  createdAt: Date | string;
  /** The audit trail's actor (`console:<username>`, `cli`…), when recorded */
  createdBy: string | null;
  lastUsedAt: Date | string | null;
  revokedAt: Date | string | null;
}

/** The create form as it was sent, and what was wrong with it (field → problem). */
export interface ApiKeyForm {
  name?: string;
  scopes?: readonly string[];
  webhookUrl?: string;
  errors?: Partial<Record<'name' | 'scopes' | 'webhookUrl', true>>;
}

export interface ApiKeysPageData {
  roles: readonly string[];
  csrf: string;
  keys: ApiKeyRowData[];
  form?: ApiKeyForm;
  /** After a revoke (PRG): the key's prefix */
  revoked?: string;
}

const P = 'console.settings.apiKeys';

function scopeList(scopes: readonly string[]): string {
  return `<ul class="api-key-scopes">${scopes.map((s) => `<li><code>${esc(s)}</code></li>`).join('')}</ul>`;
}

function keyRow(t: T, k: ApiKeyRowData, csrf: string): string {
  const created = `${time(t, k.createdAt)}${k.createdBy ? `<br><span class="note">${t(`${P}.createdBy`, { actor: k.createdBy })}</span>` : ''}`;
  const status = k.revokedAt
    ? `<span class="api-key-revoked">${t.html(`${P}.status.revoked`, { when: time(t, k.revokedAt) })}</span>`
    : `<span class="api-key-active">${t(`${P}.status.active`)}</span>`;
  const action = k.revokedAt
    ? '—'
    : `<form method="post" action="/console/settings/api-keys/${esc(k.id)}/revoke" class="inline-form">
<input type="hidden" name="csrf" value="${esc(csrf)}">
<button type="submit" class="secondary danger-outline">${t(`${P}.revoke`)}<span class="sr-only"> ${esc(k.name)} (${esc(k.prefix)})</span></button>
</form>`;
  const label = (key: string) => ` data-label="${t(`${P}.col.${key}` as Parameters<T>[0])}"`;
  return `<tr data-key-id="${esc(k.id)}" data-state="${k.revokedAt ? 'revoked' : 'active'}">
<th scope="row"${label('name')}>${esc(k.name)}</th>
<td${label('prefix')}><div><code>${esc(k.prefix)}</code></div></td>
<td${label('scopes')}><div>${scopeList(k.scopes)}</div></td>
<td${label('webhook')} class="api-key-webhook"><div>${k.webhookUrl ? esc(k.webhookUrl) : t(`${P}.noWebhook`)}</div></td>
<td${label('created')}><div>${created}</div></td>
<td${label('lastUsed')}><div>${k.lastUsedAt ? time(t, k.lastUsedAt) : t(`${P}.never`)}</div></td>
<td${label('status')}><div>${status}</div></td>
<td${label('actions')}><div>${action}</div></td>
</tr>`;
}

function createForm(t: T, d: ApiKeysPageData): string {
  const f = d.form ?? {};
  const e = f.errors ?? {};
  const any = Object.keys(e).length > 0;
  const chosen = f.scopes ?? (any ? [] : API_KEY_SCOPE_NAMES);
  const err = (field: 'name' | 'scopes' | 'webhookUrl') =>
    e[field] ? `<p class="form-error" id="api-key-${field}-error">${t(`${P}.error.${field}`)}</p>` : '';
  const described = (field: 'name' | 'scopes' | 'webhookUrl', hint: string) =>
    ` aria-describedby="${e[field] ? `api-key-${field}-error ` : ''}${hint}"${e[field] ? ' aria-invalid="true"' : ''}`;
  const scopes = API_KEY_SCOPE_NAMES.map((s) => {
    const id = `api-key-scope-${SCOPE_KEY[s]}`;
    return `<div class="choice"><input type="checkbox" id="${id}" name="scopes" value="${s}"${chosen.includes(s) ? ' checked' : ''} aria-describedby="${id}-hint"><label for="${id}">${t(`${P}.scope.${SCOPE_KEY[s]}`)} <code>${s}</code></label></div>
<p class="note scope-hint" id="${id}-hint">${t(`${P}.scope.${SCOPE_KEY[s]}Hint`)}</p>`;
  }).join('\n');
  return `<section class="card" aria-labelledby="api-key-create-h">
<h2 id="api-key-create-h">${t(`${P}.createTitle`)}</h2>
${any ? `<p class="form-error" role="alert" id="api-key-form-error">${t(`${P}.error.summary`)}</p>` : ''}
<form method="post" action="/console/settings/api-keys" id="api-key-create" novalidate>
<input type="hidden" name="csrf" value="${esc(d.csrf)}">
<div class="field"><label for="api-key-name">${t(`${P}.field.name`)}</label>
${err('name')}<input type="text" id="api-key-name" name="name" maxlength="100" required autocomplete="off" value="${esc(f.name ?? '')}"${described('name', 'api-key-name-hint')}>
<p class="note" id="api-key-name-hint">${t(`${P}.field.nameHint`)}</p></div>
<fieldset${e.scopes ? ' aria-describedby="api-key-scopes-error" aria-invalid="true"' : ''}><legend>${t(`${P}.field.scopes`)}</legend>
${err('scopes')}${scopes}
</fieldset>
<div class="field"><label for="api-key-webhook">${t(`${P}.field.webhook`)}</label>
${err('webhookUrl')}<input type="url" id="api-key-webhook" name="webhookUrl" maxlength="2000" autocomplete="off" spellcheck="false" inputmode="url" value="${esc(f.webhookUrl ?? '')}"${described('webhookUrl', 'api-key-webhook-hint')}>
<p class="note" id="api-key-webhook-hint">${t(`${P}.field.webhookHint`)}</p></div>
<button type="submit">${t(`${P}.create`)}</button>
</form>
</section>`;
}

/** `/console/settings/api-keys`: the keys, then the create form (with its errors when it was refused). */
export function apiKeysBody(d: ApiKeysPageData, locale: Locale = 'en'): string {
  const t = translator(locale);
  const rows = d.keys.map((k) => keyRow(t, k, d.csrf)).join('\n');
  const head = ['name', 'prefix', 'scopes', 'webhook', 'created', 'lastUsed', 'status', 'actions']
    .map((c) => `<th scope="col">${t(`${P}.col.${c}` as Parameters<T>[0])}</th>`)
    .join('');
  const list = d.keys.length
    ? `<div class="table-scroll settings-table" tabindex="0" role="region" aria-labelledby="api-keys-caption">
<table class="settings-stack api-keys">
<caption id="api-keys-caption">${t(`${P}.caption`)}</caption>
<thead><tr>${head}</tr></thead>
<tbody>
${rows}
</tbody>
</table></div>`
    : `<p class="empty" data-role="empty">${t(`${P}.empty`)}</p>`;
  const notice = d.revoked
    ? `<p class="notice notice-info" role="status" data-role="revoked">${t(`${P}.revokedNotice`, { prefix: d.revoked })}</p>`
    : '';
  return `${settingsNav(d.roles, 'apiKeys', locale)}
<h1>${t(`${P}.title`)}</h1>
<p class="lead">${t(`${P}.intro`)}</p>
${notice}
${list}
${createForm(t, d)}`;
}

export interface ApiKeyCreatedData {
  roles: readonly string[];
  key: string;
  webhookSecret: string | null;
  apiKey: { name: string; prefix: string; scopes: readonly string[]; webhookUrl: string | null };
}

/** The answer to "Create key": the key (and the webhook's secret) this one time, and how to use them. */
export function apiKeyCreatedBody(d: ApiKeyCreatedData, locale: Locale = 'en'): string {
  const t = translator(locale);
  const secret = (id: string, label: string, value: string) =>
    `<div class="field"><label for="${id}">${label}</label><input type="text" id="${id}" class="secret-value" readonly value="${esc(value)}" autocomplete="off" spellcheck="false" aria-describedby="api-key-once"></div>`;
  const k = d.apiKey;
  return `${settingsNav(d.roles, 'apiKeys', locale)}
<h1>${t(`${P}.created.title`)}</h1>
<section class="card shown-once" aria-labelledby="api-key-created-h" data-role="created-key">
<h2 id="api-key-created-h">${t(`${P}.created.heading`, { name: k.name })}</h2>
<p class="warn-note" id="api-key-once" role="alert">${t(`${P}.created.once`)}</p>
${secret('created-key', t(`${P}.created.key`), d.key)}
${
  d.webhookSecret
    ? `${secret('created-webhook-secret', t(`${P}.created.webhookSecret`), d.webhookSecret)}
<p class="note">${t(`${P}.created.webhookNote`, { url: k.webhookUrl ?? '' })}</p>`
    : ''
}
<dl class="facts">
<div class="row"><dt>${t(`${P}.col.prefix`)}</dt><dd><code>${esc(k.prefix)}</code></dd></div>
<div class="row"><dt>${t(`${P}.col.scopes`)}</dt><dd>${k.scopes.map((s) => `<code>${esc(s)}</code>`).join(', ')}</dd></div>
</dl>
<p class="note">${t(`${P}.created.usage`)}</p>
<p><a class="button-link" href="/console/settings/api-keys">${t(`${P}.created.back`)}</a></p>
</section>`;
}
