// The console's audit log and dashboard page bodies (F8). The route wraps them in the console layout; every string
// comes from messages/, every value goes through `esc`.
import { barChart, dataTable, lineChart, stackedBar } from './charts';
import { esc, time, translator, type T } from './html';
import type { Locale } from './i18n';

// ── Audit log ────────────────────────────────────────────────────────────────────────────────────────────────
export interface AuditRow {
  id: string;
  type: string;
  actor: string;
  verificationPublicId: string | null;
  data: Record<string, unknown>;
  createdAt: Date | string;
}

export interface AuditFilters {
  type?: string;
  verification?: string;
  actor?: string;
  from?: string;
  to?: string;
}

export interface ChainResult {
  intact: boolean;
  events: number;
  problems: Array<{ id: string; position: number; problem: 'hash_mismatch' | 'broken_link' }>;
  elsewhere: number;
}

export interface AuditPageData {
  items: AuditRow[];
  nextCursor: string | null;
  filters: AuditFilters;
  csrf: string;
  chain?: ChainResult;
}

const input = (
  t: T,
  name: keyof AuditFilters,
  label: Parameters<T>[0],
  value: string | undefined,
  type = 'text',
) =>
  `<div class="field"><label for="audit-${name}">${t(label)}</label><input id="audit-${name}" name="${name}" type="${type}" value="${esc(value ?? '')}"${type === 'text' ? ' maxlength="200" autocomplete="off"' : ''}></div>`;

export function chainResult(t: T, c: ChainResult): string {
  if (c.intact)
    return `<p class="chain ok" data-chain="intact">${t('console.audit.chainIntact', { count: String(c.events) })}</p>`;
  const first = c.problems[0];
  const what = (p: ChainResult['problems'][number]) =>
    t(
      p.problem === 'hash_mismatch'
        ? 'console.audit.problem.hash_mismatch'
        : 'console.audit.problem.broken_link',
    );
  const firstLine = first
    ? `<p>${t('console.audit.chainBrokenAt', { id: first.id, position: String(first.position), count: String(c.events) })} ${what(first)}</p>`
    : '';
  const more =
    c.problems.length > 1
      ? `<ul>${c.problems
          .slice(1, 20)
          .map(
            (p) =>
              `<li>${t('console.audit.chainAlsoBroken', { id: p.id, position: String(p.position) })} ${what(p)}</li>`,
          )
          .join('')}</ul>`
      : '';
  const elsewhere = c.elsewhere
    ? `<p>${t('console.audit.chainElsewhere', { count: String(c.elsewhere) })}</p>`
    : '';
  return `<div class="chain broken" data-chain="broken" data-first-id="${esc(first?.id ?? '')}"><p><strong>${t('console.audit.chainBroken')}</strong></p>${firstLine}${more}${elsewhere}</div>`;
}

export function auditLogBody(d: AuditPageData, locale: Locale = 'en'): string {
  const t = translator(locale);
  const f = d.filters;
  const rows = d.items
    .map(
      (e) => `<tr data-id="${esc(e.id)}">
<td>${time(t, e.createdAt)}</td>
<td><code>${esc(e.type)}</code></td>
<td>${esc(e.actor)}</td>
<td>${e.verificationPublicId ? esc(e.verificationPublicId) : '—'}</td>
<td class="audit-data"><code>${esc(JSON.stringify(e.data).slice(0, 400))}</code></td>
</tr>`,
    )
    .join('\n');
  const query = new URLSearchParams(
    Object.entries(f).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''),
  );
  if (d.nextCursor) query.set('cursor', d.nextCursor);
  return `<h1>${t('console.audit.title')}</h1>
<p>${t('console.audit.intro')}</p>
<section class="card" aria-labelledby="chain-h">
<h2 id="chain-h">${t('console.audit.chainTitle')}</h2>
<p>${t('console.audit.chainIntro')}</p>
<form method="post" action="/console/audit/verify">
<input type="hidden" name="csrf" value="${esc(d.csrf)}">
<button type="submit">${t('console.audit.verify')}</button>
</form>
<div role="status" aria-live="polite">${d.chain ? chainResult(t, d.chain) : ''}</div>
</section>
<form class="filters" method="get" action="/console/audit" role="search" aria-label="${t('console.audit.filters')}">
${input(t, 'type', 'console.audit.filter.type', f.type)}
${input(t, 'verification', 'console.audit.filter.verification', f.verification)}
${input(t, 'actor', 'console.audit.filter.actor', f.actor)}
${input(t, 'from', 'console.audit.filter.from', f.from, 'date')}
${input(t, 'to', 'console.audit.filter.to', f.to, 'date')}
<button type="submit">${t('console.audit.filter.apply')}</button>
</form>
${
  d.items.length
    ? `<div class="table-scroll"><table class="audit">
<caption>${t('console.audit.caption')}</caption>
<thead><tr><th scope="col">${t('console.audit.col.time')}</th><th scope="col">${t('console.audit.col.type')}</th><th scope="col">${t('console.audit.col.actor')}</th><th scope="col">${t('console.audit.col.verification')}</th><th scope="col">${t('console.audit.col.data')}</th></tr></thead>
<tbody>
${rows}
</tbody>
</table></div>`
    : `<p class="empty">${t('console.audit.empty')}</p>`
}
${d.nextCursor ? `<p><a class="next-page" href="/console/audit?${esc(query.toString())}">${t('console.audit.older')}</a></p>` : ''}`;
}

// ── Dashboard ────────────────────────────────────────────────────────────────────────────────────────────────
export interface DashboardData {
  period: { from: string; to: string };
  perDay: Array<{ day: string; total: number; passed: number }>;
  outcomes: { total: number; completed: number; passed: number };
  passRate: number | null;
  risk: { verified: number; medium: number; high: number };
  timeToComplete: { count: number; medianSeconds: number | null; p90Seconds: number | null };
  categories: Array<{ category: string; count: number }>;
  deliveryFailures: Array<{ channel: string; provider: string; errorCode: string | null; count: number }>;
  deliveries: { total: number; failed: number };
}

export function duration(t: T, seconds: number | null): string {
  if (seconds === null) return t('console.dashboard.none');
  const s = Math.round(seconds);
  if (s < 60) return t('console.dashboard.seconds', { s: String(s) });
  return t('console.dashboard.minutes', { m: String(Math.floor(s / 60)), s: String(s % 60) });
}

const percent = (t: T, r: number | null) =>
  r === null ? t('console.dashboard.none') : `${(Math.round(r * 1000) / 10).toFixed(1)} %`;

export function dashboardBody(d: DashboardData, locale: Locale = 'en'): string {
  const t = translator(locale);
  const plain = (s: string) =>
    s
      .replace(/&amp;/g, '&')
      .replace(/&#39;/g, "'")
      .replace(/&quot;/g, '"');
  const L = (k: Parameters<T>[0], vars?: Record<string, string>) => plain(t(k, vars));
  const tile = (label: string, value: string, key: string) =>
    `<div class="tile" data-metric="${key}"><dt>${label}</dt><dd>${esc(value)}</dd></div>`;
  const volume = d.perDay.map((p) => ({ label: p.day.slice(5), value: p.total }));
  const riskColors = { verified: '#15803d', medium: '#b45309', high: '#b91c1c' } as const;
  const risk = (['verified', 'medium', 'high'] as const).map((k) => ({
    label: L(`console.dashboard.risk.${k}`),
    value: d.risk[k],
    color: riskColors[k],
  }));
  const failures = d.deliveryFailures.map((f) => ({
    label: `${f.channel} · ${f.provider}${f.errorCode ? ` · ${f.errorCode}` : ''}`,
    value: f.count,
  }));
  const section = (id: string, title: string, chart: string, table: string) =>
    `<section class="card chart-card" aria-labelledby="${id}-h"><h2 id="${id}-h">${title}</h2>${chart}${table}</section>`;
  const summary = t('console.dashboard.showData');
  return `<h1>${t('console.dashboard.title')}</h1>
<form class="filters period" method="get" action="/console/dashboard" aria-label="${t('console.dashboard.period')}">
<div class="field"><label for="period-from">${t('console.dashboard.from')}</label><input id="period-from" name="from" type="date" value="${esc(d.period.from)}" required></div>
<div class="field"><label for="period-to">${t('console.dashboard.to')}</label><input id="period-to" name="to" type="date" value="${esc(d.period.to)}" required></div>
<button type="submit">${t('console.dashboard.show')}</button>
</form>
<p>${t('console.dashboard.periodShown', { from: d.period.from, to: d.period.to })}</p>
<dl class="tiles">
${tile(t('console.dashboard.total'), String(d.outcomes.total), 'total')}
${tile(t('console.dashboard.passRate'), percent(t, d.passRate), 'pass-rate')}
${tile(t('console.dashboard.median'), plain(duration(t, d.timeToComplete.medianSeconds)), 'median')}
${tile(t('console.dashboard.p90'), plain(duration(t, d.timeToComplete.p90Seconds)), 'p90')}
${tile(t('console.dashboard.deliveryFailures'), String(d.deliveries.failed), 'delivery-failures')}
</dl>
${section(
  'volume',
  t('console.dashboard.volume'),
  lineChart({
    id: 'chart-volume',
    title: L('console.dashboard.volume'),
    desc: L('console.dashboard.volumeDesc', { from: d.period.from, to: d.period.to }),
    data: volume,
  }),
  dataTable({
    summary,
    caption: L('console.dashboard.volume'),
    head: [
      L('console.dashboard.col.day'),
      L('console.dashboard.col.total'),
      L('console.dashboard.col.passed'),
    ],
    rows: d.perDay.map((p) => [p.day, p.total, p.passed]),
  }),
)}
${section(
  'risk',
  t('console.dashboard.riskTitle'),
  stackedBar({
    id: 'chart-risk',
    title: L('console.dashboard.riskTitle'),
    desc: L('console.dashboard.riskDesc'),
    data: risk,
  }),
  dataTable({
    summary,
    caption: L('console.dashboard.riskTitle'),
    head: [L('console.dashboard.col.risk'), L('console.dashboard.col.count')],
    rows: risk.map((r) => [r.label, r.value]),
  }),
)}
${section(
  'ttc',
  t('console.dashboard.ttcTitle'),
  '',
  `<div class="table-scroll"><table><caption>${t('console.dashboard.ttcTitle')}</caption><tbody>
<tr><th scope="row">${t('console.dashboard.col.completed')}</th><td>${d.timeToComplete.count}</td></tr>
<tr><th scope="row">${t('console.dashboard.median')}</th><td>${duration(t, d.timeToComplete.medianSeconds)}</td></tr>
<tr><th scope="row">${t('console.dashboard.p90')}</th><td>${duration(t, d.timeToComplete.p90Seconds)}</td></tr>
<tr><th scope="row">${t('console.dashboard.passRate')}</th><td>${esc(percent(t, d.passRate))} (${d.outcomes.passed}/${d.outcomes.completed})</td></tr>
</tbody></table></div>`,
)}
${section(
  'categories',
  t('console.dashboard.categories'),
  barChart({
    id: 'chart-categories',
    title: L('console.dashboard.categories'),
    desc: L('console.dashboard.categoriesDesc'),
    data: d.categories.map((c) => ({ label: c.category, value: c.count })),
  }),
  dataTable({
    summary,
    caption: L('console.dashboard.categories'),
    head: [L('console.dashboard.col.category'), L('console.dashboard.col.count')],
    rows: d.categories.map((c) => [c.category, c.count]),
  }),
)}
${section(
  'failures',
  t('console.dashboard.deliveryFailures'),
  barChart({
    id: 'chart-failures',
    title: L('console.dashboard.deliveryFailures'),
    desc: L('console.dashboard.failuresDesc', {
      failed: String(d.deliveries.failed),
      total: String(d.deliveries.total),
    }),
    data: failures,
    color: '#b91c1c',
  }),
  dataTable({
    summary,
    caption: L('console.dashboard.deliveryFailures'),
    head: [L('console.dashboard.col.delivery'), L('console.dashboard.col.count')],
    rows: failures.map((f) => [f.label, f.value]),
  }),
)}`;
}
