// The console's Settings — providers section (F8 §6): its page body. The route wraps it in `consolePage`.
// How email and SMS go out and how their reports are checked, the tenant's directory for actions, the tenant's
// delivery figures per channel (a stacked bar, delivered / awaiting a report / failed, with the numbers in a table)
// and a read-only credentials check (a form POST). Secrets appear only as "Set" / "Not set"; every value is escaped.
import { stackedBar } from './charts';
import { esc, time, translator, type T } from './html';
import { isMessageKey, type Locale, type MessageKey } from './i18n';
import { settingsNav } from './console-settings';

export interface DeliveryCountsView {
  total: number;
  delivered: number;
  failed: number;
  pending: number;
}

export interface ChannelStatsView {
  day: DeliveryCountsView;
  week: DeliveryCountsView;
  lastFailure: { at: Date | string; errorCode: string | null } | null;
}

export interface ProviderCheckView {
  channel: 'email' | 'sms';
  provider: string;
  outcome: 'ok' | 'failed' | 'skipped';
  status: number | null;
  code: string | null;
  detail: string | null;
}

export interface ProvidersPageData {
  roles: readonly string[];
  csrf: string;
  email: {
    provider: string;
    fromEmail: string | null;
    fromName: string | null;
    apiKeySet: boolean;
    baseUrl: string | null;
    webhookSignature: boolean;
  };
  sms: {
    provider: string;
    fromMasked: string | null;
    messagingServiceSid: string | null;
    accountSid: string | null;
    authTokenSet: boolean;
    baseUrl: string | null;
    webhookSignature: boolean;
  };
  directory: { kind: string; endpoint: string | null; secretSet: boolean | null };
  deliveries: { email: ChannelStatsView; sms: ChannelStatsView };
  at: Date | string;
  /** After "Check now" */
  checks?: ProviderCheckView[];
}

const P = 'console.settings.providers.';

/** The message `console.settings.providers.<tail>`, or the fallback's when the tail names nothing known. */
function named(t: T, tail: string, fallback: MessageKey): string {
  const key = `${P}${tail}`;
  return t(isMessageKey(key) ? key : fallback);
}

/** Message text as plain text again (SVG's <title>/<desc> and the chart's labels are escaped by the chart). */
const plain = (x: string) =>
  x
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

const fact = (name: string, dt: string, dd: string) =>
  `<div class="row" data-fact="${esc(name)}"><dt>${dt}</dt><dd>${dd}</dd></div>`;

const setOrNot = (t: T, set: boolean) =>
  `<span class="secret-state" data-set="${set}">${t(set ? 'console.settings.providers.set' : 'console.settings.providers.notSet')}</span>`;

const webhook = (t: T, on: boolean) =>
  `<span data-webhook="${on ? 'checked' : 'off'}">${t(on ? 'console.settings.providers.webhookChecked' : 'console.settings.providers.webhookOff')}</span>`;

const code = (v: string) => `<code>${esc(v)}</code>`;

const card = (id: string, title: string, rows: string[]) =>
  `<section class="card provider-card" id="provider-${id}" aria-labelledby="provider-${id}-h"><h2 id="provider-${id}-h">${title}</h2><dl class="facts">${rows.join('')}</dl></section>`;

const providerName = (t: T, provider: string) =>
  named(t, `provider.${provider}`, 'console.settings.providers.provider.other');

function emailCard(t: T, e: ProvidersPageData['email']): string {
  const none = t('console.settings.providers.none');
  const rows = [fact('provider', t('console.settings.providers.provider'), providerName(t, e.provider))];
  if (e.provider !== 'dev') {
    rows.push(
      fact('from', t('console.settings.providers.sender'), e.fromEmail ? esc(e.fromEmail) : none),
      fact('from-name', t('console.settings.providers.senderName'), e.fromName ? esc(e.fromName) : none),
      fact('api-key', t('console.settings.providers.apiKey'), setOrNot(t, e.apiKeySet)),
    );
    if (e.baseUrl) rows.push(fact('base-url', t('console.settings.providers.baseUrl'), code(e.baseUrl)));
  }
  rows.push(fact('webhook', t('console.settings.providers.emailWebhook'), webhook(t, e.webhookSignature)));
  return card('email', t('console.settings.providers.email.title'), rows);
}

function smsCard(t: T, s: ProvidersPageData['sms']): string {
  const rows = [fact('provider', t('console.settings.providers.provider'), providerName(t, s.provider))];
  if (s.provider !== 'dev') {
    const sender = s.fromMasked
      ? `<span class="masked">${esc(s.fromMasked)}</span>`
      : s.messagingServiceSid
        ? t.html('console.settings.providers.messagingService', { sid: code(s.messagingServiceSid) })
        : t('console.settings.providers.none');
    rows.push(
      fact('from', t('console.settings.providers.sender'), sender),
      fact('account', t('console.settings.providers.account'), s.accountSid ? code(s.accountSid) : '—'),
      fact('auth-token', t('console.settings.providers.authToken'), setOrNot(t, s.authTokenSet)),
    );
    if (s.baseUrl) rows.push(fact('base-url', t('console.settings.providers.baseUrl'), code(s.baseUrl)));
  }
  rows.push(fact('webhook', t('console.settings.providers.smsWebhook'), webhook(t, s.webhookSignature)));
  return card('sms', t('console.settings.providers.sms.title'), rows);
}

function directoryCard(t: T, d: ProvidersPageData['directory']): string {
  const rows = [
    fact(
      'kind',
      t('console.settings.providers.directory.kind'),
      named(t, `directory.kind.${d.kind}`, 'console.settings.providers.directory.kind.other'),
    ),
    fact('endpoint', t('console.settings.providers.directory.endpoint'), d.endpoint ? code(d.endpoint) : '—'),
  ];
  if (d.secretSet !== null)
    rows.push(fact('secret', t('console.settings.providers.directory.secret'), setOrNot(t, d.secretSet)));
  return card('directory', t('console.settings.providers.directory.title'), rows);
}

const COLORS = { delivered: '#15803d', pending: '#b45309', failed: '#b91c1c' } as const;
const SEGMENTS = {
  delivered: 'console.settings.providers.seg.delivered',
  pending: 'console.settings.providers.seg.pending',
  failed: 'console.settings.providers.seg.failed',
} as const;

function deliveriesCard(t: T, channel: 'email' | 'sms', s: ChannelStatsView): string {
  const title = t(
    channel === 'email'
      ? 'console.settings.providers.deliveries.email'
      : 'console.settings.providers.deliveries.sms',
  );
  const w = s.week;
  const chart = stackedBar({
    id: `chart-deliveries-${channel}`,
    title: plain(title),
    desc: plain(
      t('console.settings.providers.deliveries.desc', {
        total: String(w.total),
        delivered: String(w.delivered),
        pending: String(w.pending),
        failed: String(w.failed),
      }),
    ),
    data: (['delivered', 'pending', 'failed'] as const).map((k) => ({
      label: plain(t(SEGMENTS[k])),
      value: w[k],
      color: COLORS[k],
    })),
  });
  // Outcomes down, periods across: three columns fit a phone.
  const line = (k: 'total' | keyof typeof SEGMENTS) =>
    `<tr data-count="${k}"><th scope="row">${t(k === 'total' ? 'console.settings.providers.col.total' : SEGMENTS[k])}</th><td data-period="day">${esc(s.day[k])}</td><td data-period="week">${esc(s.week[k])}</td></tr>`;
  const lastFailure = s.lastFailure
    ? t.html('console.settings.providers.lastFailureAt', {
        time: time(t, s.lastFailure.at),
        code: code(s.lastFailure.errorCode ?? '—'),
      })
    : t('console.settings.providers.noFailure');
  return `<section class="card chart-card" id="deliveries-${channel}" aria-labelledby="deliveries-${channel}-h">
<h2 id="deliveries-${channel}-h">${title}</h2>
<p class="muted">${t('console.settings.providers.period.chart')}</p>
${chart}
<div class="table-scroll"><table class="delivery-figures">
<caption>${t('console.settings.providers.deliveries.caption', { channel: plain(title) })}</caption>
<thead><tr><th scope="col">${t('console.settings.providers.col.outcome')}</th><th scope="col">${t('console.settings.providers.period.day')}</th><th scope="col">${t('console.settings.providers.period.week')}</th></tr></thead>
<tbody>${line('total')}${line('delivered')}${line('pending')}${line('failed')}</tbody>
</table></div>
<p class="last-failure" data-last-failure="${esc(s.lastFailure?.errorCode ?? '')}"><strong>${t('console.settings.providers.lastFailure')}</strong> ${lastFailure}</p>
</section>`;
}

function checkResult(t: T, c: ProviderCheckView): string {
  const provider = providerName(t, c.provider);
  const channel = t(
    c.channel === 'email' ? 'console.settings.providers.email.title' : 'console.settings.providers.sms.title',
  );
  let text: string;
  if (c.outcome === 'skipped') text = t('console.settings.providers.check.skipped');
  else if (c.outcome === 'ok')
    text = t(
      c.channel === 'email'
        ? 'console.settings.providers.check.ok.email'
        : 'console.settings.providers.check.ok.sms',
      { detail: c.detail ?? '' },
    );
  else if (c.code === 'missing_scope') text = t('console.settings.providers.check.missingScope');
  else if (c.code?.startsWith('account_'))
    text = t('console.settings.providers.check.account', { status: c.code.slice('account_'.length) });
  else if (c.status === null)
    text = t('console.settings.providers.check.noAnswer', { provider: plain(provider) });
  else
    text = t('console.settings.providers.check.refused', {
      provider: plain(provider),
      status: String(c.status),
      code: c.code ?? '',
    });
  const detail = c.outcome === 'failed' && c.detail ? ` <span class="muted">${esc(c.detail)}</span>` : '';
  return `<li class="provider-check" data-channel="${esc(c.channel)}" data-outcome="${esc(c.outcome)}"><strong>${channel} · ${provider}:</strong> ${text}${detail}</li>`;
}

export function providersBody(d: ProvidersPageData, locale: Locale = 'en'): string {
  const t = translator(locale);
  const checks = d.checks?.length
    ? `<ul class="provider-checks">${d.checks.map((c) => checkResult(t, c)).join('')}</ul>`
    : '';
  return `${settingsNav(d.roles, 'providers', locale)}
<h1>${t('console.settings.providers.title')}</h1>
<p class="lead">${t('console.settings.providers.intro')}</p>
<div class="provider-cards">
${emailCard(t, d.email)}
${smsCard(t, d.sms)}
${directoryCard(t, d.directory)}
</div>
<h2 class="deliveries-heading">${t('console.settings.providers.deliveries.title')}</h2>
<p>${t.html('console.settings.providers.deliveries.asOf', { time: time(t, d.at) })}</p>
<div class="provider-deliveries">
${deliveriesCard(t, 'email', d.deliveries.email)}
${deliveriesCard(t, 'sms', d.deliveries.sms)}
</div>
<section class="card" id="provider-check" aria-labelledby="provider-check-h">
<h2 id="provider-check-h">${t('console.settings.providers.check.title')}</h2>
<p>${t('console.settings.providers.check.intro')}</p>
<form method="post" action="/console/settings/providers/check">
<input type="hidden" name="csrf" value="${esc(d.csrf)}">
<button type="submit">${t('console.settings.providers.check.button')}</button>
</form>
<div role="status" aria-live="polite">${checks}</div>
</section>`;
}
