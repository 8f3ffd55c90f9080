// The console's Settings — servicenow section (F8 §6): its page body. The route wraps it in `consolePage`.
// The instance, the credentials (write-only: a secret shows as "set", never its value), the write-back's health and
// backlog, "Test connection" with one line per check, and the forms that replace the credentials (tested first).
// Plain forms, no script; every string from messages/, every value through `esc`.
import { settingsNav } from './console-settings';
import { esc, time, translator, type T } from './html';
import { text, type Locale, type MessageKey } from './i18n';

export type ServiceNowAuthType = 'basic' | 'oauth';
export type ServiceNowCheckCode =
  | 'SERVICENOW_AUTH_REJECTED'
  | 'SERVICENOW_FORBIDDEN'
  | 'SERVICENOW_UNREACHABLE'
  | 'SERVICENOW_NO_POLICIES'
  | 'SERVICENOW_ERROR';

export interface ServiceNowCheckView {
  check: 'auth' | 'policies' | 'incidents';
  table: string;
  status: 'ok' | 'failed' | 'skipped';
  durationMs: number;
  code?: ServiceNowCheckCode;
  httpStatus?: number;
  count?: number;
}

export interface ServiceNowFactsView {
  tenant: { slug: string; name: string; instanceUrl: string };
  credentials: {
    source: 'configuration' | 'console';
    authType: ServiceNowAuthType;
    username: string | null;
    clientId: string | null;
    secretSet: boolean;
    changedAt: Date | string | null;
    changedBy: string | null;
  };
  configured: { authType: ServiceNowAuthType; username: string | null; clientId: string | null };
  health: {
    state: 'up' | 'down';
    downSince: Date | string | null;
    lastProbeAt: Date | string | null;
    lastError: string | null;
  };
  backlog: { pending: number; dead: number };
}

export type ServiceNowFormField = 'username' | 'password' | 'clientId' | 'clientSecret';

export interface ServiceNowPageData {
  roles: readonly string[];
  csrf: string;
  facts: ServiceNowFactsView;
  /** The result of "Test connection" (the current credentials) */
  test?: { ok: boolean; checks: ServiceNowCheckView[] };
  /** After a redirect: what was just done */
  done?: 'saved' | 'reset' | 'unchanged';
  /** A credentials form sent back: its values (never a secret), the field that was wrong, or the refused test */
  form?: {
    authType: ServiceNowAuthType;
    username?: string;
    clientId?: string;
    problem?: ServiceNowFormField;
    rejected?: { checks: ServiceNowCheckView[] };
  };
}

const P = 'console.settings.servicenow';

/** The next step an admin can act on for a failed check (the JSON API gives the same text, in English). */
export function servicenowNextStepKey(c: Pick<ServiceNowCheckView, 'check' | 'code'>): MessageKey {
  switch (c.code) {
    case 'SERVICENOW_AUTH_REJECTED':
      return `${P}.next.authRejected`;
    case 'SERVICENOW_FORBIDDEN':
      return c.check === 'auth' ? `${P}.next.forbiddenUsers` : `${P}.next.forbidden`;
    case 'SERVICENOW_UNREACHABLE':
      return `${P}.next.unreachable`;
    case 'SERVICENOW_NO_POLICIES':
      return `${P}.next.noPolicies`;
    default:
      return c.check === 'policies' ? `${P}.next.errorPolicies` : `${P}.next.error`;
  }
}

export const servicenowNextStep = (locale: Locale, c: ServiceNowCheckView): string =>
  text(locale, servicenowNextStepKey(c), { table: c.table, status: String(c.httpStatus ?? '—') });

const row = (label: string, value: string) => `<div class="row"><dt>${label}</dt><dd>${value}</dd></div>`;

const who = (changedBy: string | null) => esc((changedBy ?? '').replace(/^console:/, '') || '—');

const authTypeText = (t: T, a: ServiceNowAuthType) => t(`${P}.authType.${a}`);

const identity = (
  t: T,
  c: { authType: ServiceNowAuthType; username: string | null; clientId: string | null },
) =>
  c.authType === 'basic'
    ? row(t(`${P}.username`), `<code>${esc(c.username ?? '')}</code>`)
    : row(t(`${P}.clientId`), `<code>${esc(c.clientId ?? '')}</code>`);

function checksList(t: T, checks: ServiceNowCheckView[], id: string): string {
  const items = checks
    .map((c) => {
      const mark = t(`${P}.status.${c.status}`);
      const duration =
        c.status === 'skipped'
          ? ''
          : ` <span class="sn-took">${t(`${P}.took`, { ms: String(c.durationMs) })}</span>`;
      const count =
        c.count !== undefined && c.status === 'ok'
          ? ` <span class="sn-count">(${t(`${P}.policyCount`, { count: String(c.count) })})</span>`
          : '';
      const failure =
        c.status === 'failed'
          ? `<p class="sn-failure"><code>${esc(c.code ?? 'SERVICENOW_ERROR')}</code>${c.httpStatus ? ` <span class="sn-http">HTTP ${esc(c.httpStatus)}</span>` : ''}</p><p class="sn-next">${esc(servicenowNextStep(t.locale, c))}</p>`
          : c.status === 'skipped'
            ? `<p class="sn-next">${t(`${P}.skipped`)}</p>`
            : '';
      return `<li class="sn-check" data-check="${esc(c.check)}" data-status="${esc(c.status)}"${c.code ? ` data-code="${esc(c.code)}"` : ''}>
<p class="sn-check-line"><span class="sn-mark sn-${esc(c.status)}" aria-hidden="true"></span><strong>${mark}</strong> ${t(`${P}.check.${c.check}`)} <code>${esc(c.table)}</code>${duration}${count}</p>${failure}</li>`;
    })
    .join('\n');
  return `<ol class="sn-checks" id="${esc(id)}">${items}</ol>`;
}

function testResult(t: T, test: { ok: boolean; checks: ServiceNowCheckView[] }): string {
  const failed = test.checks.filter((c) => c.status !== 'ok').length;
  const summary = test.ok
    ? `<p class="sn-summary ok" data-result="ok">${t(`${P}.test.allPassed`, { count: String(test.checks.length) })}</p>`
    : `<p class="sn-summary failed" data-result="failed">${t(`${P}.test.someFailed`, { failed: String(failed), count: String(test.checks.length) })}</p>`;
  return `${summary}${checksList(t, test.checks, 'sn-test-checks')}`;
}

function basicForm(t: T, d: ServiceNowPageData): string {
  const f = d.form?.authType === 'basic' ? d.form : undefined;
  const invalid = (field: ServiceNowFormField) =>
    f?.problem === field ? ' aria-invalid="true" aria-describedby="sn-basic-error"' : '';
  const error = f?.problem
    ? `<p class="form-error" id="sn-basic-error" role="alert">${t(`${P}.problem.${f.problem}`)}</p>`
    : f?.rejected
      ? `<p class="form-error" id="sn-basic-error" role="alert">${t(`${P}.rejected`)}</p>`
      : '';
  return `<form method="post" action="/console/settings/servicenow/credentials#sn-basic" class="sn-credentials" id="sn-basic" aria-labelledby="sn-basic-h">
<h3 id="sn-basic-h">${t(`${P}.form.basicTitle`)}</h3>
<input type="hidden" name="csrf" value="${esc(d.csrf)}">
<input type="hidden" name="authType" value="basic">
${error}
<div class="field"><label for="sn-username">${t(`${P}.username`)}</label><input type="text" id="sn-username" name="username" autocomplete="off" autocapitalize="none" spellcheck="false" maxlength="200" value="${esc(f?.username ?? '')}"${invalid('username')}></div>
<div class="field"><label for="sn-password">${t(`${P}.password`)}</label><input type="password" id="sn-password" name="password" autocomplete="new-password" maxlength="1000"${invalid('password')}></div>
<button type="submit">${t(`${P}.form.save`)}</button>
${f?.rejected ? checksList(t, f.rejected.checks, 'sn-basic-checks') : ''}
</form>`;
}

function oauthForm(t: T, d: ServiceNowPageData): string {
  const f = d.form?.authType === 'oauth' ? d.form : undefined;
  const invalid = (field: ServiceNowFormField) =>
    f?.problem === field ? ' aria-invalid="true" aria-describedby="sn-oauth-error"' : '';
  const error = f?.problem
    ? `<p class="form-error" id="sn-oauth-error" role="alert">${t(`${P}.problem.${f.problem}`)}</p>`
    : f?.rejected
      ? `<p class="form-error" id="sn-oauth-error" role="alert">${t(`${P}.rejected`)}</p>`
      : '';
  return `<form method="post" action="/console/settings/servicenow/credentials#sn-oauth" class="sn-credentials" id="sn-oauth" aria-labelledby="sn-oauth-h">
<h3 id="sn-oauth-h">${t(`${P}.form.oauthTitle`)}</h3>
<input type="hidden" name="csrf" value="${esc(d.csrf)}">
<input type="hidden" name="authType" value="oauth">
${error}
<div class="field"><label for="sn-client-id">${t(`${P}.clientId`)}</label><input type="text" id="sn-client-id" name="clientId" autocomplete="off" autocapitalize="none" spellcheck="false" maxlength="200" value="${esc(f?.clientId ?? '')}"${invalid('clientId')}></div>
<div class="field"><label for="sn-client-secret">${t(`${P}.clientSecret`)}</label><input type="password" id="sn-client-secret" name="clientSecret" autocomplete="new-password" maxlength="1000"${invalid('clientSecret')}></div>
<button type="submit">${t(`${P}.form.save`)}</button>
${f?.rejected ? checksList(t, f.rejected.checks, 'sn-oauth-checks') : ''}
</form>`;
}

/** `/console/settings/servicenow` (admin). */
export function servicenowSettingsBody(d: ServiceNowPageData, locale: Locale = 'en'): string {
  const t = translator(locale);
  const { tenant, credentials: c, configured, health, backlog } = d.facts;
  const done = d.done
    ? `<p class="notice notice-info" role="status" data-done="${esc(d.done)}">${t(`${P}.done.${d.done}`)}</p>`
    : '';

  const source =
    c.source === 'console'
      ? t.html(`${P}.source.console`, {
          time: c.changedAt ? time(t, c.changedAt) : '—',
          user: `<strong>${who(c.changedBy)}</strong>`,
        })
      : c.changedAt
        ? t.html(`${P}.source.configurationSince`, {
            time: time(t, c.changedAt),
            user: `<strong>${who(c.changedBy)}</strong>`,
          })
        : t(`${P}.source.configuration`);
  const secretLabel = c.authType === 'basic' ? t(`${P}.password`) : t(`${P}.clientSecret`);
  const reset =
    c.source === 'console'
      ? `<form method="post" action="/console/settings/servicenow/credentials/reset" class="sn-reset">
<input type="hidden" name="csrf" value="${esc(d.csrf)}">
<p>${t.html(`${P}.resetIntro`, {
          type: authTypeText(t, configured.authType),
          id: `<code>${esc((configured.authType === 'basic' ? configured.username : configured.clientId) ?? '')}</code>`,
        })}</p>
<button type="submit" class="secondary">${t(`${P}.reset`)}</button>
</form>`
      : '';

  const healthValue =
    health.state === 'up'
      ? `<span class="sn-health up" data-health="up">${t(`${P}.health.up`)}</span>`
      : `<span class="sn-health down" data-health="down">${t.html(`${P}.health.down`, { time: health.downSince ? time(t, health.downSince) : '—' })}</span>`;
  const lastError =
    health.state === 'down' && health.lastError
      ? row(t(`${P}.health.lastError`), `<code>${esc(health.lastError.slice(0, 300))}</code>`)
      : '';
  const lastProbe =
    health.state === 'down' && health.lastProbeAt
      ? row(t(`${P}.health.lastProbe`), time(t, health.lastProbeAt))
      : '';
  const dead =
    backlog.dead > 0
      ? `<a href="/console/settings/dead-letters" data-backlog="dead">${t(`${P}.backlog.deadLink`, { count: String(backlog.dead) })}</a>`
      : `<span data-backlog="dead">0</span>`;

  return `${settingsNav(d.roles, 'servicenow', locale)}
<h1>${t(`${P}.title`)}</h1>
<p class="lead">${t(`${P}.intro`)}</p>
${done}
<div class="sn-grid">
<section class="card" aria-labelledby="sn-instance-h">
<h2 id="sn-instance-h">${t(`${P}.instance.title`)}</h2>
<dl class="facts">
${row(t(`${P}.instance.url`), `<code>${esc(tenant.instanceUrl)}</code>`)}
${row(t(`${P}.instance.name`), esc(tenant.name))}
${row(t(`${P}.instance.slug`), `<code>${esc(tenant.slug)}</code>`)}
</dl>
</section>
<section class="card" aria-labelledby="sn-cred-h">
<h2 id="sn-cred-h">${t(`${P}.credentials.title`)}</h2>
<dl class="facts" data-source="${esc(c.source)}">
${row(t(`${P}.authType`), authTypeText(t, c.authType))}
${identity(t, c)}
${row(secretLabel, c.secretSet ? `<span data-secret="set">${t(`${P}.secretSet`)}</span>` : t(`${P}.secretNotSet`))}
${row(t(`${P}.source`), source)}
</dl>
${reset}
</section>
<section class="card" aria-labelledby="sn-health-h">
<h2 id="sn-health-h">${t(`${P}.health.title`)}</h2>
<dl class="facts">
${row(t(`${P}.health.instance`), healthValue)}
${lastProbe}
${lastError}
${row(t(`${P}.backlog.pending`), `<span data-backlog="pending">${esc(backlog.pending)}</span>`)}
${row(t(`${P}.backlog.dead`), dead)}
</dl>
</section>
</div>
<section class="card" aria-labelledby="sn-test-h">
<h2 id="sn-test-h">${t(`${P}.test.title`)}</h2>
<p>${t(`${P}.test.intro`)}</p>
<form method="post" action="/console/settings/servicenow/test#sn-test-h">
<input type="hidden" name="csrf" value="${esc(d.csrf)}">
<button type="submit">${t(`${P}.test.button`)}</button>
</form>
<div class="sn-result" role="status" aria-live="polite">${d.test ? testResult(t, d.test) : ''}</div>
</section>
<section class="card" aria-labelledby="sn-replace-h">
<h2 id="sn-replace-h">${t(`${P}.form.title`)}</h2>
<p>${t(`${P}.form.intro`)}</p>
<div class="sn-forms">
${basicForm(t, d)}
${oauthForm(t, d)}
</div>
</section>`;
}
