// The agent's details page for one verification (the ticket's "imper.ai Verification" link after an outcome): what
// the agent may know — ticket, requester, status, risk level, recommendation, masked destination, who started it,
// times and a timeline of plain steps. Never scores, reasons, signals, IP addresses or user agents: those are for
// security staff in the console. And the page shown when the viewer has no agent session for that ticket.
import type { Channel, RiskLevel, VerificationState } from '@imper/shared';
import { esc, page, time, translator, type T } from './html';
import { text as msg, type Locale, type MessageKey } from './i18n';

export const DETAILS_STEPS = [
  'created',
  'resent',
  'sent',
  'failed',
  'fetched',
  'opened',
  'started',
  'decided',
  'ticketUpdated',
  'ticketUpdateFailed',
  'canceled',
  'timedOut',
] as const;
export type DetailsStep = (typeof DETAILS_STEPS)[number];

export interface AgentDetailsView {
  id: string;
  ticket: { number: string; subject: string };
  requesterName: string;
  state: VerificationState;
  riskLevel?: RiskLevel;
  recommendation?: string;
  channel: Channel;
  destinationMasked: string;
  destinationOnFile: boolean;
  initiatedBy: string;
  createdAt: string;
  startedAt?: string;
  completedAt?: string;
  timeline: Array<{ step: DetailsStep; at: string }>;
}

const fact = (name: string, label: string, value: string, ddClass = '') =>
  `<div class="row" data-row="${name}"><dt>${label}</dt><dd${ddClass ? ` class="${ddClass}"` : ''}>${value}</dd></div>`;

function stepLabel(t: T, v: AgentDetailsView, step: DetailsStep): string {
  if (step === 'decided')
    return t('details.event.decided', { outcome: msg(t.locale, `state.${v.state}` as MessageKey) });
  return t(`details.event.${step}`);
}

export function agentDetailsPage(v: AgentDetailsView, locale: Locale = 'en'): string {
  const t = translator(locale);
  const risk = v.riskLevel;
  const recommendation = risk ? t(`recommendation.${risk}`) : esc(v.recommendation ?? '');
  const destination = `${t(`channel.${v.channel}`)} <span class="masked">${esc(v.destinationMasked)}</span>${v.destinationOnFile ? '' : ` <span class="warn">${t('verification.notOnFile')}</span>`}`;
  const events = v.timeline
    .map(
      (e) =>
        `<li data-event="${esc(e.step)}"><span class="step-label">${stepLabel(t, v, e.step)}</span> · ${time(t, e.at)}</li>`,
    )
    .join('\n');
  return page(
    {
      title: msg(locale, 'details.pageTitle', { id: v.id }),
      t,
      scripts: ['requester.js'],
      bodyClass: 'agent details',
    },
    `<h1>${t('verification.heading', { id: v.id })}</h1>
<section class="card ticket" aria-labelledby="ticket-h">
<h2 id="ticket-h" class="ticket-number"><span class="label">${t('agent.ticket')}</span> ${esc(v.ticket.number)}</h2>
<dl class="facts">
${fact('subject', t('agent.subject'), esc(v.ticket.subject), 'subject')}
${fact('requester', t('agent.requester'), esc(v.requesterName) || t('agent.unknownRequester'))}
</dl>
</section>
<section class="card verification" aria-labelledby="outcome-h" data-id="${esc(v.id)}" data-state="${esc(v.state)}">
<h2 id="outcome-h">${t('details.outcomeHeading')}</h2>
<dl class="facts">
${fact('status', t('verification.status'), `<strong class="state state-${esc(v.state)}">${t(`state.${v.state}`)}</strong>`)}
${risk ? fact('risk', t('verification.risk'), t(`risk.${risk}`), `risk risk-${esc(risk)}`) : ''}
${recommendation ? fact('recommendation', t('verification.recommendation'), recommendation) : ''}
${fact('destination', t('verification.sentTo'), destination)}
${fact('initiated-by', t('details.initiatedBy'), esc(v.initiatedBy))}
${fact('created', t('details.createdAt'), time(t, v.createdAt))}
${v.startedAt ? fact('started', t('details.startedAt'), time(t, v.startedAt)) : ''}
${v.completedAt ? fact('completed', t('details.completedAt'), time(t, v.completedAt)) : ''}
</dl>
</section>
<section class="card" aria-labelledby="timeline-h">
<h2 id="timeline-h">${t('details.timelineHeading')}</h2>
${events ? `<ol class="events">\n${events}\n</ol>` : `<p>${t('details.noEvents')}</p>`}
</section>
<p class="note">${t('details.consoleNote')}</p>`,
  );
}

/** 401: the same page whether or not the verification exists, for any id (nothing about it is shown). */
export function agentDetailsDeniedPage(locale: Locale = 'en'): string {
  const t = translator(locale);
  return page(
    { title: msg(locale, 'details.denied.title'), t, bodyClass: 'error' },
    `<h1>${t('details.denied.title')}</h1>
<section class="card problem" aria-labelledby="next-h" data-code="AGENT_SESSION_REQUIRED">
<p>${t('details.denied.body')}</p>
<h2 id="next-h">${t('error.whatNext')}</h2>
<p class="next">${t('details.denied.next')}</p>
</section>`,
  );
}
