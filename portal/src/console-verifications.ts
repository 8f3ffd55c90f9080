// F8 console pages (issue 11 §3): the Verifications table (filter form, search, sort, next page by cursor, CSV
// export with the same filters, live refresh by console.js) and one verification's details for security staff
// (ticket, requester, outcome, analysis report sections, question transcript, user information, deliveries, audit
// timeline, recommendation). Bodies only: `consolePage` frames them. Every value goes through `esc`.
import {
  RISK_LEVELS,
  VERIFICATION_STATES,
  INITIATORS,
  type ConsoleVerificationDetails,
  type ConsoleVerificationItem,
  type ConsoleVerificationList,
  type ConsoleVerificationsQuery,
} from '@imper/shared';
import { esc, time, translator, type T } from './html';
import type { Locale, MessageKey } from './i18n';

/** The query string of the filters (no cursor): the Next link, the CSV link and the live refresh reuse it. */
export function filterQuery(q: ConsoleVerificationsQuery, extra: Record<string, string> = {}): string {
  const p = new URLSearchParams();
  for (const k of [
    'status',
    'risk',
    'category',
    'agent',
    'initiatedBy',
    'from',
    'to',
    'q',
    'sort',
  ] as const) {
    const v = q[k];
    if (v) p.set(k, String(v));
  }
  if (q.limit && q.limit !== 50) p.set('limit', String(q.limit));
  for (const [k, v] of Object.entries(extra)) p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
}

const riskBadge = (t: T, risk: string | null) =>
  risk
    ? `<span class="badge risk-${esc(risk)}">${t(`risk.${risk}` as MessageKey)}</span>`
    : t('console.details.none');

const initiator = (t: T, i: { initiatedBy: string; agentName: string }) =>
  i.initiatedBy === 'agent'
    ? esc(i.agentName) || t('console.initiator.agent')
    : t(`console.initiator.${i.initiatedBy}` as MessageKey);

function select(
  t: T,
  name: string,
  label: MessageKey,
  values: readonly string[],
  current: string | undefined,
  key: (v: string) => MessageKey,
) {
  const options = [`<option value="">${t('console.verifications.any')}</option>`]
    .concat(
      values.map((v) => `<option value="${esc(v)}"${v === current ? ' selected' : ''}>${t(key(v))}</option>`),
    )
    .join('');
  return `<div class="field"><label for="f-${name}">${t(label)}</label><select id="f-${name}" name="${name}">${options}</select></div>`;
}

function row(t: T, i: ConsoleVerificationItem): string {
  return `<tr data-id="${esc(i.publicId)}" data-status="${esc(i.status)}" data-risk="${esc(i.riskLevel ?? '')}">
<th scope="row"><a href="/console/verifications/${esc(i.publicId)}">${esc(i.ticketNumber)}</a><br><span class="muted">${esc(i.ticketSubject)}</span></th>
<td>${esc(i.requesterName)}<br><span class="muted">${esc(i.requesterEmail)}</span></td>
<td>${riskBadge(t, i.riskLevel)}</td>
<td><span class="state state-${esc(i.status)}">${t(`state.${i.status}` as MessageKey)}</span></td>
<td>${esc(i.category) || t('console.details.none')}</td>
<td>${initiator(t, i)}</td>
<td>${time(t, i.createdAt)}</td>
</tr>`;
}

/** The rows alone (the live refresh swaps them). */
export function consoleVerificationRows(list: ConsoleVerificationList, locale: Locale = 'en'): string {
  const t = translator(locale);
  return list.items.map((i) => row(t, i)).join('\n');
}

export function consoleVerificationsBody(
  d: { list: ConsoleVerificationList; query: ConsoleVerificationsQuery },
  locale: Locale = 'en',
): string {
  const t = translator(locale);
  const q = d.query;
  const count = d.list.countCapped
    ? t('console.verifications.countCapped')
    : t('console.verifications.count', { count: new Intl.NumberFormat(locale).format(d.list.count) });
  const form = `<form class="card filters" method="get" action="/console" role="search" aria-labelledby="filters-h">
<h2 id="filters-h">${t('console.verifications.filters')}</h2>
<div class="field wide"><label for="f-q">${t('console.verifications.search')}</label>
<input id="f-q" name="q" type="search" maxlength="200" value="${esc(q.q ?? '')}" aria-describedby="f-q-hint">
<p id="f-q-hint" class="hint">${t('console.verifications.searchHint')}</p></div>
${select(t, 'status', 'console.verifications.status', VERIFICATION_STATES, q.status, (v) => `state.${v}` as MessageKey)}
${select(t, 'risk', 'console.verifications.risk', RISK_LEVELS, q.risk, (v) => `risk.${v}` as MessageKey)}
<div class="field"><label for="f-category">${t('console.verifications.category')}</label><input id="f-category" name="category" maxlength="100" value="${esc(q.category ?? '')}"></div>
${select(t, 'initiatedBy', 'console.verifications.initiatedBy', INITIATORS, q.initiatedBy, (v) => `console.initiator.${v}` as MessageKey)}
<div class="field"><label for="f-from">${t('console.verifications.from')}</label><input id="f-from" name="from" type="date" value="${esc(/^\d{4}-\d{2}-\d{2}$/.test(q.from ?? '') ? q.from : '')}"></div>
<div class="field"><label for="f-to">${t('console.verifications.to')}</label><input id="f-to" name="to" type="date" value="${esc(/^\d{4}-\d{2}-\d{2}$/.test(q.to ?? '') ? q.to : '')}"></div>
${select(t, 'sort', 'console.verifications.sort', ['newest', 'oldest'], q.sort ?? 'newest', (v) => `console.verifications.sort.${v}` as MessageKey).replace(`<option value="">${t('console.verifications.any')}</option>`, '')}
<div class="actions"><button type="submit">${t('console.verifications.apply')}</button> <a href="/console">${t('console.verifications.reset')}</a></div>
</form>`;
  const rows = d.list.items.map((i) => row(t, i)).join('\n');
  const table = d.list.items.length
    ? `<div class="table-scroll" tabindex="0" role="region" aria-labelledby="table-caption">
<table class="verifications">
<caption id="table-caption">${t('console.verifications.tableCaption')} · <span data-role="count">${count}</span></caption>
<thead><tr><th scope="col">${t('console.verifications.col.ticket')}</th><th scope="col">${t('console.verifications.col.requester')}</th><th scope="col">${t('console.verifications.col.risk')}</th><th scope="col">${t('console.verifications.col.status')}</th><th scope="col">${t('console.verifications.col.category')}</th><th scope="col">${t('console.verifications.col.initiatedBy')}</th><th scope="col">${t('console.verifications.col.time')}</th></tr></thead>
<tbody data-role="rows">
${rows}
</tbody>
</table>
</div>`
    : `<p class="empty" data-role="empty">${t('console.verifications.none')}</p>`;
  const nav = [
    q.cursor ? `<a href="/console${esc(filterQuery(q))}">${t('console.verifications.first')}</a>` : '',
    d.list.nextCursor
      ? `<a rel="next" data-role="next" href="/console${esc(filterQuery(q, { cursor: d.list.nextCursor }))}">${t('console.verifications.next')}</a>`
      : '',
  ]
    .filter(Boolean)
    .join(' ');
  return `<h1>${t('console.verifications.title')}</h1>
<p>${t('console.verifications.intro')}</p>
${form}
<p class="export"><a class="button" data-role="export" href="/console/api/verifications.csv${esc(filterQuery(q))}" download>${t('console.verifications.export')}</a></p>
<div data-role="live" aria-live="polite" class="sr-only" data-updated="${t('console.verifications.updated')}"></div>
<section aria-label="${t('console.verifications.tableCaption')}" data-role="list" data-query="${esc(filterQuery(q))}" data-first-page="${q.cursor ? 'false' : 'true'}">
${table}
</section>
${nav ? `<nav class="pager" aria-label="${t('console.verifications.tableCaption')}">${nav}</nav>` : ''}`;
}

// ── Details ─────────────────────────────────────────────────────────────────────────────────────────────────────

const fact = (name: string, label: string, value: string) =>
  `<div class="row" data-row="${name}"><dt>${label}</dt><dd>${value}</dd></div>`;

const factValue = (v: unknown): string =>
  v === null || v === undefined || v === ''
    ? '—'
    : Array.isArray(v)
      ? v.map((x) => String(x)).join(', ') || '—'
      : typeof v === 'object'
        ? JSON.stringify(v)
        : String(v);

function section(
  t: T,
  key: 'network' | 'endpoint' | 'persona' | 'challenge',
  s: ConsoleVerificationDetails['analysis']['network'],
) {
  if (!s) return '';
  const signals = s.signals.length
    ? `<table class="signals"><thead><tr><th scope="col">${t('console.details.signal')}</th><th scope="col">${t('console.details.points')}</th><th scope="col">${t('console.details.explanation')}</th></tr></thead><tbody>${s.signals
        .map(
          (x) =>
            `<tr data-signal="${esc(x.id)}"><th scope="row">${esc(x.id)}</th><td>${esc(x.points)}</td><td>${esc(x.explanation)}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : `<p>${t('console.details.noSignals')}</p>`;
  const facts = Object.entries(s.facts)
    .map(([k, v]) => fact(k, esc(k), esc(factValue(v))))
    .join('');
  return `<section class="card analysis" data-section="${key}" aria-labelledby="a-${key}">
<h3 id="a-${key}">${t(`console.details.section.${key}`)} <span class="muted">${t('console.details.sectionScore', { score: String(s.score), cap: String(s.cap) })}</span></h3>
${signals}
<dl class="facts">${facts}</dl>
</section>`;
}

export function consoleDetailsBody(d: ConsoleVerificationDetails, locale: Locale = 'en'): string {
  const t = translator(locale);
  const none = t('console.details.none');
  const a = d.analysis;
  const analysis = a.available
    ? `${section(t, 'network', a.network)}${section(t, 'endpoint', a.endpoint)}${section(t, 'persona', a.persona)}${section(t, 'challenge', a.challenge)}
<section class="card analysis" data-section="device" aria-labelledby="a-device"><h3 id="a-device">${t('console.details.section.device')}</h3>
<dl class="facts">${Object.entries(a.device ?? {})
        .map(([k, v]) => fact(k, esc(k), esc(factValue(v))))
        .join('')}</dl></section>`
    : `<p>${t('console.details.noAnalysis')}</p>`;
  const transcript = d.transcript.length
    ? `<ol class="transcript">${d.transcript
        .map(
          (e) =>
            `<li data-outcome="${esc(e.outcome)}"><p class="question">${esc(e.question)}</p><p>${t('console.details.answer')}: <strong>${e.answer === null ? t('console.details.skipped') : esc(e.answer)}</strong> · ${t('console.details.outcome')}: ${esc(e.outcome)}${e.elapsedMs !== null ? ` · ${esc((e.elapsedMs / 1000).toFixed(1))} s` : ''}</p></li>`,
        )
        .join('')}</ol>`
    : `<p>${t('console.details.noTranscript')}</p>`;
  const u = d.user;
  const user = u
    ? `<p class="muted">${t(`console.details.userSource.${u.source}`)}</p><dl class="facts">
${fact('user-name', t('console.details.userName'), esc(u.userName) || none)}
${fact('department', t('console.details.department'), esc(u.department) || none)}
${fact('location', t('console.details.location'), esc(u.location) || none)}
${fact('manager', t('console.details.manager'), esc(u.manager) || none)}
${fact('title', t('console.details.jobTitle'), esc(u.title) || none)}
${fact('contacts', t('console.details.contacts'), u.contacts.map((c) => `<span class="${c.masked ? 'masked' : ''}">${esc(c.value)}</span>`).join(', ') || none)}
</dl>`
    : `<p>${none}</p>`;
  const deliveries = d.deliveries.length
    ? `<ul class="deliveries">${d.deliveries.map((x) => `<li>${esc(x.channel)} · ${esc(x.provider)} · ${esc(x.status)}${x.errorCode ? ` (${esc(x.errorCode)})` : ''} · ${time(t, x.createdAt)}</li>`).join('')}</ul>`
    : `<p>${t('console.details.noDeliveries')}</p>`;
  const timeline = d.timeline.length
    ? `<ol class="events">${d.timeline.map((e) => `<li data-event="${esc(e.type)}"><code>${esc(e.type)}</code> · ${esc(e.actor)} · ${time(t, e.at)}</li>`).join('')}</ol>`
    : `<p>${t('console.details.noEvents')}</p>`;
  const recommendation = d.recommendation
    ? `<p class="recommendation risk-${esc(d.riskLevel ?? 'none')}" data-role="recommendation"><strong>${esc(d.recommendation)}</strong></p>`
    : `<p data-role="recommendation">${t('console.details.noRecommendation')}</p>`;
  return `<p><a href="/console">${t('console.details.back')}</a></p>
<h1>${t('console.details.title', { id: d.publicId })}</h1>
<section class="card" aria-labelledby="rec-h"><h2 id="rec-h">${t('console.details.recommendation')}</h2>${recommendation}</section>
<section class="card" aria-labelledby="ticket-h"><h2 id="ticket-h">${t('console.details.ticket')} ${esc(d.ticketNumber)}</h2>
<dl class="facts">
${fact('subject', t('console.details.subject'), esc(d.ticketSubject) || none)}
${fact('description', t('console.details.description'), d.description ? `<span class="pre">${esc(d.description)}</span>` : none)}
${fact('action', t('console.details.action'), t(`console.action.${d.action}` as MessageKey))}
${fact('action-status', t('console.details.actionStatus'), t(`console.actionStatus.${d.actionStatus}` as MessageKey))}
${fact('requester', t('console.details.requester'), esc(d.requesterName) || none)}
${fact('email', t('console.details.email'), esc(d.requesterEmail) || none)}
${fact('status', t('console.details.status'), `<span class="state state-${esc(d.status)}">${t(`state.${d.status}` as MessageKey)}</span>`)}
${fact('risk', t('console.details.risk'), riskBadge(t, d.riskLevel))}
${fact('score', t('console.details.score'), d.riskScore === null ? none : esc(d.riskScore))}
${fact('initiated-by', t('console.details.initiatedBy'), initiator(t, d))}
${fact('sent-to', t('console.details.sentTo'), `${esc(d.channel)} <span class="masked">${esc(d.destinationMasked)}</span>`)}
${fact('created', t('console.details.createdAt'), time(t, d.createdAt))}
${fact('completed', t('console.details.completedAt'), d.completedAt ? time(t, d.completedAt) : none)}
</dl></section>
<section aria-labelledby="analysis-h"><h2 id="analysis-h">${t('console.details.analysis')}</h2>${analysis}</section>
<section class="card" aria-labelledby="transcript-h"><h2 id="transcript-h">${t('console.details.transcript')}</h2>${transcript}</section>
<section class="card" aria-labelledby="user-h"><h2 id="user-h">${t('console.details.user')}</h2>${user}</section>
<section class="card" aria-labelledby="deliveries-h"><h2 id="deliveries-h">${t('console.details.deliveries')}</h2>${deliveries}</section>
<section class="card" aria-labelledby="timeline-h"><h2 id="timeline-h">${t('console.details.timeline')}</h2>${timeline}</section>`;
}
