// The pages people see: the agent's send page (F2, F3) and the requester's pages (F4), server-rendered in the
// viewer's language. They work without script (plain forms and links); the small deferred bundles in
// src/client/ add live status and in-page sending on top (progressive enhancement). No inline script or style.
import type { AgentTicketView, AgentVerificationView, DevMessage } from '@imper/shared';
import { esc, page, time, translator, type T } from './html';
import { isMessageKey, text as msg, type Locale, type MessageKey } from './i18n';
import { isActiveState, statusLineKey, stepStatusKey, timeline } from './status';

export interface Notice {
  kind: 'error' | 'info';
  text: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Agent: the send page

const contactLabel = (t: T, c: { key: string; label: string }) => {
  const key = `contact.${c.key}`;
  return isMessageKey(key) ? t(key) : esc(c.label);
};

function row(name: string, label: string, value: string, hidden: boolean, ddClass = ''): string {
  return `<div class="row" data-row="${name}"${hidden ? ' hidden' : ''}><dt>${label}</dt><dd${ddClass ? ` class="${ddClass}"` : ''} data-field="${name}">${value}</dd></div>`;
}

/** The live status view. Rendered empty (hidden) when there is no verification yet, so the script can fill it in
 * after an in-page send. */
function verificationBlock(t: T, v: AgentVerificationView | undefined, csrf: string): string {
  const active = v ? isActiveState(v.state) : false;
  const steps = v ? timeline(v) : [];
  const timelineItems = steps
    .map(
      (s) =>
        `<li data-step="${s.key}" data-status="${s.status}"${s.status === 'current' ? ' aria-current="step"' : ''}><span class="step-label">${t(s.label)}</span> <span class="sr-only step-status">(${t(stepStatusKey(s.status))})</span></li>`,
    )
    .join('');
  const id = v ? esc(v.id) : '';
  const risk = v?.riskLevel;
  const recommendation = risk ? t(`recommendation.${risk}`) : esc(v?.recommendation ?? '');
  const destination = v
    ? `${t(`channel.${v.channel}`)} ${esc(v.destinationMasked)}${v.destinationOnFile ? '' : ` <span class="warn">${t('verification.notOnFile')}</span>`}`
    : '';
  const opForm = (op: 'resend' | 'cancel', label: MessageKey, cls: string, show: boolean) =>
    `<form method="post" action="/agent/verifications/${id}/${op}" class="op-form" data-op="${op}"${show ? '' : ' hidden'}><input type="hidden" name="csrf" value="${esc(csrf)}"><button type="submit"${cls ? ` class="${cls}"` : ''}>${t(label)}</button></form>`;
  return `<section class="card verification" id="verification" aria-labelledby="vh" data-id="${id}" data-state="${esc(v?.state ?? '')}"${v ? '' : ' hidden'}>
<h2 id="vh" tabindex="-1">${v ? t('verification.heading', { id: v.id }) : ''}</h2>
<p class="state-line"><span class="label">${t('verification.status')}:</span> <strong class="state state-${esc(v?.state ?? '')}" data-field="state" role="status">${v ? t(statusLineKey(v)) : ''}</strong></p>
<ol class="timeline" aria-label="${t('verification.progress')}">${timelineItems}</ol>
<div class="call-code" data-role="call-code" aria-live="polite"${active && v?.callCode ? '' : ' hidden'}>
<p class="call-code-line"><span class="call-code-label">${t('verification.callCodeLabel')}</span> <strong class="code" data-call-code>${esc(active ? (v?.callCode ?? '') : '')}</strong></p>
<p class="note">${t('verification.callCodeNote')}</p>
</div>
<dl class="facts">
${row('destination', t('verification.sentTo'), destination, !v)}
${row('expires', t('verification.expires'), v ? time(t, v.linkExpiresAt) : '', !v || !active)}
${row('risk', t('verification.risk'), risk ? t(`risk.${risk}`) : '', !risk, `risk risk-${esc(risk ?? '')}`)}
${row('recommendation', t('verification.recommendation'), recommendation, !recommendation)}
${row('attention', t('verification.attention'), esc(v?.attention ?? ''), !v?.attention, 'warn')}
</dl>
<div class="net-trouble" data-role="net-trouble" role="alert" hidden><p>${t('agent.netTrouble')}</p><button type="button" class="secondary" data-role="retry">${t('agent.retry')}</button></div>
<p class="form-error" data-role="op-error" role="alert" hidden></p>
<div class="actions">
${opForm('resend', 'agent.resend', '', active && v?.state !== 'in_progress')}
${opForm('cancel', 'agent.cancel', 'secondary', active)}
<a class="refresh" href="/agent" data-role="refresh"${active ? '' : ' hidden'}>${t('agent.refresh')}</a>
</div>
</section>`;
}

function sendForm(t: T, view: AgentTicketView, hidden: boolean): string {
  const firstChannel = view.contacts[0]?.channel ?? 'sms';
  const contacts = view.contacts
    .map(
      (c, i) =>
        `<div class="choice"><input type="radio" id="c${i}" name="contact" value="${esc(`${c.channel}:${c.key}`)}" data-channel="${esc(c.channel)}"${i === 0 ? ' checked' : ''}><label for="c${i}"><span class="tag">${t(`channel.${c.channel}`)}</span> ${contactLabel(t, c)}: <span class="masked">${esc(c.masked)}</span></label></div>`,
    )
    .join('\n');
  const channel = (value: 'sms' | 'email') =>
    `<div class="choice"><input type="radio" id="ch-${value}" name="channel" value="${value}"${firstChannel === value ? ' checked' : ''}><label for="ch-${value}">${t(`channel.${value}`)}</label></div>`;
  return `<section class="card" id="send" aria-labelledby="sh"${hidden ? ' hidden' : ''}>
<h2 id="sh">${view.verification ? t('agent.sendNewHeading') : t('agent.sendHeading')}</h2>
<form method="post" action="/agent/send" id="send-form" novalidate>
<input type="hidden" name="csrf" value="${esc(view.csrf)}">
<fieldset><legend>${t('agent.contactsLegend')}</legend>
${contacts || `<p>${t('agent.noContacts')}</p>`}
<div class="choice"><input type="radio" id="typed" name="contact" value="typed"${view.contacts.length ? '' : ' checked'}><label for="typed">${t('agent.typed')}</label></div>
</fieldset>
<div class="typed">
<label for="destination">${t('agent.destinationLabel')}</label>
<input id="destination" name="destination" type="text" autocomplete="off" inputmode="email" spellcheck="false" aria-describedby="dest-note">
<p id="dest-note" class="note warn-note">${t('agent.destinationNote')}</p>
<fieldset class="inline"><legend>${t('agent.channelLegend')}</legend>
${channel('sms')}
${channel('email')}
</fieldset>
</div>
<p class="form-error" data-role="form-error" role="alert" hidden></p>
<button type="submit" data-role="send">${t('agent.send')}</button>
</form>
</section>`;
}

export function agentPage(view: AgentTicketView, notice?: Notice, locale: Locale = 'en'): string {
  const t = translator(locale);
  const v = view.verification;
  const active = v ? isActiveState(v.state) : false;
  return page(
    {
      title: text(t, 'agent.pageTitle', { ticket: view.ticket.number }),
      t,
      scripts: ['agent.js'],
      bodyClass: 'agent',
    },
    `<h1>${t('agent.title')}</h1>
${notice ? `<p class="notice notice-${notice.kind}" role="${notice.kind === 'error' ? 'alert' : 'status'}">${esc(notice.text)}</p>` : ''}
<section class="card ticket" aria-labelledby="ticket-h">
<h2 id="ticket-h" class="ticket-number"><span class="label">${t('agent.ticket')}</span> ${esc(view.ticket.number)}</h2>
<dl class="facts">
<div class="row"><dt>${t('agent.subject')}</dt><dd class="subject">${esc(view.ticket.subject)}</dd></div>
<div class="row"><dt>${t('agent.requester')}</dt><dd><strong>${esc(view.requester.name) || t('agent.unknownRequester')}</strong>${view.requester.userName ? ` (${esc(view.requester.userName)})` : ''}</dd></div>
</dl>
<p class="back"><a href="${esc(view.ticket.url)}" data-role="back-to-ticket">${t('agent.backToTicket', { ticket: view.ticket.number })}</a></p>
</section>
${verificationBlock(t, v, view.csrf)}
${sendForm(t, view, active)}`,
  );
}

/** Plain text (for <title>, which `page` escapes itself). */
const text = (t: T, key: MessageKey, vars: Record<string, string>): string => msg(t.locale, key, vars);

// ---------------------------------------------------------------------------------------------------------------
// Requester: landing → checks → result. Later issues insert steps (questions, new password, unlock) by passing a
// longer step list; every requester page shows where the requester is in it.

/** The requester's steps: start, the silent checks, the questions, the result (a step-up inserts 'approval'). */
export const BASE_STEPS = ['start', 'checks', 'questions', 'result'] as const;
export type RequesterStep = 'start' | 'checks' | 'result' | (string & {});

function stepper(t: T, steps: readonly RequesterStep[], current: RequesterStep): string {
  const at = Math.max(0, steps.indexOf(current));
  const items = steps
    .map((s, i) => {
      const key = `step.${s}`;
      const label = isMessageKey(key) ? t(key) : esc(s);
      const state = i < at ? 'done' : i === at ? 'current' : 'todo';
      const sr =
        state === 'done'
          ? ` <span class="sr-only">(${t('step.done')})</span>`
          : state === 'current'
            ? ` <span class="sr-only">(${t('step.current')})</span>`
            : '';
      return `<li data-step="${esc(s)}" data-status="${state}"${state === 'current' ? ' aria-current="step"' : ''}><span class="dot" aria-hidden="true">${i + 1}</span><span class="step-label">${label}</span>${sr}</li>`;
    })
    .join('');
  const templates = `data-pos-template="${esc(msg(t.locale, 'steps.position'))}" data-done-label="${t('step.done')}" data-current-label="${t('step.current')}"`;
  return `<div class="progress" data-role="progress" ${templates}><p class="progress-pos" data-role="progress-pos">${t('steps.position', { n: String(at + 1), total: String(steps.length) })}</p><ol class="steps" aria-label="${t('steps.label')}">${items}</ol></div>`;
}

export interface LandingData {
  helpdeskName: string;
  ticketNumber: string;
  agentName: string;
  requesterName: string;
  expiresAt: Date;
  token: string;
  csrf: string;
  steps?: readonly RequesterStep[];
}

export function landingPage(d: LandingData, locale: Locale = 'en'): string {
  const t = translator(locale);
  const steps = d.steps ?? BASE_STEPS;
  return page(
    { title: text(t, 'landing.title', {}), t, scripts: ['requester.js'], bodyClass: 'requester' },
    `<h1>${t('landing.title')}</h1>
${stepper(t, steps, 'start')}
<section class="card" aria-labelledby="landing-h">
<h2 id="landing-h" class="sr-only">${t('step.start')}</h2>
<p>${t.html('landing.asks', { helpdesk: `<strong>${esc(d.helpdeskName)}</strong>`, ticket: `<strong>${esc(d.ticketNumber)}</strong>` })}</p>
${d.agentName ? `<p>${t('landing.agent', { agent: d.agentName })}</p>` : ''}
<p>${t('landing.what')}</p>
<p class="note">${t.html('landing.expires', { time: time(t, d.expiresAt) })}</p>
<form method="post" action="/v/${esc(d.token)}/start" id="start-form" data-opened="/v/${esc(d.token)}/opened" data-checking="${t('landing.checking')}" data-next-step="${esc(steps[1] ?? 'result')}">
<input type="hidden" name="csrf" value="${esc(d.csrf)}">
<input type="hidden" name="signals" value="">
<button type="submit" data-role="start">${t('landing.start')}</button>
<p class="checking" data-role="checking" role="status"></p>
</form>
${networkTrouble(t)}
</section>
<p class="note">${t('landing.notExpected')}</p>`,
  );
}

/** Shown by the page's script when a request cannot reach the server; says what happened and what to do. */
function networkTrouble(t: T): string {
  return `<div class="net-trouble" data-role="net-trouble" role="alert" hidden tabindex="-1">
<h2>${t('net.title')}</h2>
<p>${t('net.body')}</p>
<p>${t('net.next')}</p>
<button type="button" data-role="retry">${t('net.retry')}</button>
</div>`;
}

/** The outcomes a requester can be told about. Anything else (or none) reads as "failed". Never a score or a signal. */
const RESULT_KINDS = ['passed', 'failed', 'incomplete', 'timed_out'] as const;
type ResultKind = (typeof RESULT_KINDS)[number];

export function resultPage(
  outcome: string | null,
  helpdeskName: string,
  locale: Locale = 'en',
  steps: readonly RequesterStep[] = BASE_STEPS,
): string {
  const t = translator(locale);
  const kind: ResultKind = (RESULT_KINDS as readonly (string | null)[]).includes(outcome)
    ? (outcome as ResultKind)
    : 'failed';
  const title = text(t, `result.${kind}.title`, {});
  return page(
    { title, t, bodyClass: 'requester' },
    `<h1>${t(`result.${kind}.title`)}</h1>
${stepper(t, steps, 'result')}
<section class="card result result-${kind}" role="status">
<p>${t(`result.${kind}.body`, { helpdesk: helpdeskName })}</p>
<p>${t(`result.${kind}.next`, { helpdesk: helpdeskName })}</p>
</section>`,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Requester: the knowledge challenge (identity assurance), one question per page, after Start. The markup is a
// contract (CONTRACTS.md "Requester challenge pages"): `form[data-step="question"][data-question-kind=K]`, the
// question as the fieldset's legend, one radio per choice labelled with exactly the choice's text, one submit button.

/** The requester's steps when the service asks questions after the checks. */
export const CHALLENGE_STEPS = ['start', 'checks', 'questions', 'result'] as const;
/** …and when the manager is asked to confirm (step-up) before the result. */
export const APPROVAL_STEPS = ['start', 'checks', 'questions', 'approval', 'result'] as const;

export interface QuestionChoice {
  id: string;
  text: string;
}
export interface QuestionPageData {
  helpdeskName: string;
  csrf: string;
  /** form action, e.g. '/v/challenge' */
  action: string;
  question: {
    id: string;
    kind: string;
    /** A message key (`challenge.question.manager`, or just `manager`) and its parameters (`{ days: '30' }`). */
    prompt: { key: string; params: Record<string, string> };
    choices: QuestionChoice[];
    timeLimitSeconds: number;
  };
  position: { n: number; total: number };
  steps?: readonly RequesterStep[]; // default CHALLENGE_STEPS
  /** shown when the previous submission was refused, e.g. no choice selected */
  error?: 'CHOICE_REQUIRED';
}

/** The question's words from the message files; an unknown key gets the generic prompt (never the raw key). */
function promptKey(key: string): MessageKey {
  for (const k of [key, `challenge.question.${key}`])
    if (k.startsWith('challenge.question.') && isMessageKey(k)) return k;
  return 'challenge.question.generic';
}

export function questionPage(d: QuestionPageData, locale: Locale = 'en'): string {
  const t = translator(locale);
  const q = d.question;
  const steps = d.steps ?? CHALLENGE_STEPS;
  const pos = { n: String(d.position.n), total: String(d.position.total) };
  const seconds = String(Math.max(0, Math.round(q.timeLimitSeconds)));
  const hint = q.kind === 'call_code';
  const describedBy = [hint ? 'q-hint' : '', 'q-note', d.error ? 'q-error' : ''].filter(Boolean).join(' ');
  const choices = q.choices
    .map(
      (c, i) =>
        `<div class="choice"><input type="radio" name="choice" value="${esc(c.id)}" id="choice-${i}" required><label for="choice-${i}">${esc(c.text)}</label></div>`,
    )
    .join('\n');
  return page(
    {
      title: text(t, d.error ? 'challenge.errorTitle' : 'challenge.pageTitle', pos),
      t,
      scripts: ['requester.js'],
      bodyClass: 'requester',
    },
    `<h1>${t('challenge.title')}</h1>
${stepper(t, steps, 'questions')}
<section class="card question" aria-labelledby="q-pos">
<h2 id="q-pos" class="question-pos">${t('challenge.position', pos)}</h2>
<p class="note" id="q-time">${t('challenge.time', { seconds })}</p>
<p class="countdown" data-role="countdown" aria-live="polite" data-seconds="${seconds}" data-left-template="${esc(msg(locale, 'challenge.timeLeft'))}" data-up="${t('challenge.timeUp')}"></p>
<form method="post" action="${esc(d.action)}" data-step="question" data-question-kind="${esc(q.kind)}" id="question-form">
<input type="hidden" name="csrf" value="${esc(d.csrf)}">
<input type="hidden" name="question" value="${esc(q.id)}">
<input type="hidden" name="changes" value="0">
<input type="hidden" name="elapsed" value="">
${d.error ? `<p class="form-error" id="q-error" role="alert">${t(`challenge.error.${d.error}`)}</p>` : ''}
<fieldset aria-describedby="${describedBy}">
<legend>${t(promptKey(q.prompt.key), q.prompt.params)}</legend>
${hint ? `<p class="note" id="q-hint">${t('challenge.hint.call_code')}</p>` : ''}
${choices}
</fieldset>
<p class="note" id="q-note">${t('challenge.note')}</p>
<button type="submit">${t('challenge.submit')}</button>
</form>
</section>`,
  );
}

/** The requester's steps when an automated action follows a Verified pass. */
export const ACTION_STEPS = ['start', 'checks', 'questions', 'action', 'result'] as const;

export type PortalAction = 'password_reset' | 'account_unlock' | 'mfa_reset';

export interface ActionPageData {
  helpdeskName: string;
  action: PortalAction;
  csrf: string;
  /** form action, e.g. '/v/action' */
  actionUrl: string;
  /** When the offer ends (S13) */
  until: Date;
  /** The shortest password accepted */
  minLength: number;
  /** The previous try was refused: a code and, for the directory's own refusal, its plain words */
  error?: { code: 'PASSWORDS_DIFFER' | 'PASSWORD_REFUSED'; message: string };
}

/**
 * The automated action after a Verified pass (CONTRACTS.md "Actions"): `form[data-step="action"][data-action=A]`.
 * A password reset has two inputs labelled exactly "New password" and "Confirm new password"; unlock and MFA reset
 * are one confirmation. The page's script shows a strength hint as the person types; the server checks.
 */
export function actionPage(d: ActionPageData, locale: Locale = 'en'): string {
  const t = translator(locale);
  const a = d.action;
  const error = d.error ? `<p class="form-error" id="a-error" role="alert">${esc(d.error.message)}</p>` : '';
  const described = d.error ? ' aria-describedby="a-error pw-rules"' : ' aria-describedby="pw-rules"';
  const fields =
    a === 'password_reset'
      ? `<p class="note" id="pw-rules">${t('action.password.rules', { min: String(d.minLength) })}</p>
<div class="field"><label for="pw">New password</label><input type="password" id="pw" name="password" autocomplete="new-password" minlength="${d.minLength}" maxlength="128" required${described}></div>
<p class="hint" data-role="strength" aria-live="polite" data-min="${d.minLength}" data-short="${esc(msg(locale, 'action.password.hint.short'))}" data-ok="${esc(msg(locale, 'action.password.hint.ok'))}" data-strong="${esc(msg(locale, 'action.password.hint.strong'))}"></p>
<div class="field"><label for="pw2">Confirm new password</label><input type="password" id="pw2" name="confirm" autocomplete="new-password" minlength="${d.minLength}" maxlength="128" required></div>`
      : `<p>${t(`action.${a}.confirm`)}</p>`;
  return page(
    { title: text(t, `action.${a}.title`, {}), t, scripts: ['requester.js'], bodyClass: 'requester' },
    `<h1>${t(`action.${a}.title`)}</h1>
${stepper(t, ACTION_STEPS, 'action')}
<section class="card action" aria-labelledby="a-h">
<h2 id="a-h" class="sr-only">${t('step.action')}</h2>
<p>${t('action.verified', { helpdesk: d.helpdeskName })}</p>
<form method="post" action="${esc(d.actionUrl)}" data-step="action" data-action="${esc(a)}" id="action-form">
<input type="hidden" name="csrf" value="${esc(d.csrf)}">
${error}
${fields}
<button type="submit">${t(`action.${a}.submit`)}</button>
</form>
<p class="note">${t.html('action.until', { time: time(t, d.until) })}</p>
</section>`,
  );
}

/** After the action: done, or failed with what to do next. */
export function actionResultPage(
  d: { helpdeskName: string; action: PortalAction; status: 'completed' | 'failed'; message?: string | null },
  locale: Locale = 'en',
): string {
  const t = translator(locale);
  const key = d.status === 'completed' ? `action.${d.action}.done` : 'action.failed';
  return page(
    { title: text(t, `${key}.title` as MessageKey, {}), t, bodyClass: 'requester' },
    `<h1>${t(`${key}.title` as MessageKey)}</h1>
${stepper(t, ACTION_STEPS, 'result')}
<section class="card result result-${d.status === 'completed' ? 'passed' : 'failed'}" role="status">
<p>${t(`${key}.body` as MessageKey, { helpdesk: d.helpdeskName })}</p>
${d.status === 'failed' && d.message ? `<p>${esc(d.message)}</p>` : ''}
<p>${t(`${key}.next` as MessageKey, { helpdesk: d.helpdeskName })}</p>
</section>`,
  );
}

export interface ReportPageData {
  helpdeskName: string;
  ticketNumber: string;
  action: string;
  at: Date | null;
  csrf: string;
  /** form action, e.g. '/r/<token>' */
  actionUrl: string;
}

/** S11: the "This wasn't me" page from the notice after a reset or unlock. A GET never reports; the button does. */
export function reportPage(d: ReportPageData, locale: Locale = 'en'): string {
  const t = translator(locale);
  const what = isMessageKey(`report.what.${d.action}`)
    ? (`report.what.${d.action}` as MessageKey)
    : 'report.what.other';
  return page(
    { title: text(t, 'report.title', {}), t, scripts: ['requester.js'], bodyClass: 'requester' },
    `<h1>${t('report.title')}</h1>
<section class="card" aria-labelledby="r-h">
<h2 id="r-h" class="sr-only">${t('report.title')}</h2>
<p>${t(what, { helpdesk: d.helpdeskName, ticket: d.ticketNumber })}</p>
${d.at ? `<p class="note">${t.html('report.when', { time: time(t, d.at) })}</p>` : ''}
<p>${t('report.ask')}</p>
<form method="post" action="${esc(d.actionUrl)}" data-step="report">
<input type="hidden" name="csrf" value="${esc(d.csrf)}">
<button type="submit" class="danger">${t('report.submit')}</button>
</form>
<p class="note">${t('report.wasMe')}</p>
</section>`,
  );
}

export function reportDonePage(d: { helpdeskName: string; locked: boolean }, locale: Locale = 'en'): string {
  const t = translator(locale);
  return page(
    { title: text(t, 'report.done.title', {}), t, bodyClass: 'requester' },
    `<h1>${t('report.done.title')}</h1>
<section class="card result result-failed" role="status">
<p>${t(d.locked ? 'report.done.locked' : 'report.done.notLocked', { helpdesk: d.helpdeskName })}</p>
<p>${t('report.done.next', { helpdesk: d.helpdeskName })}</p>
</section>`,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Self-service (F7): the requester starts without an agent. The form has ONE identifier input (user name or work
// email) and a select of what they need. The answer to its POST never depends on whether the account exists (S8):
// the 'sent' page takes no account data at all, so it is the same bytes for every identifier.

export const SELF_SERVICE_ACTIONS = ['password_reset', 'account_unlock', 'mfa_reset'] as const;
export type SelfServiceAction = (typeof SELF_SERVICE_ACTIONS)[number];
export type SelfServiceError = 'IDENTIFIER_REQUIRED' | 'IDENTIFIER_TOO_LONG' | 'ACTION_UNKNOWN';

export type SelfServicePageData =
  | {
      view: 'form';
      helpdeskName: string;
      /** form action, e.g. '/self-service' or '/self-service?tenant=acme' */
      actionUrl: string;
      csrf: string;
      /** The longest identifier accepted (the input's maxlength) */
      maxLength: number;
      /** The action chosen before a refused submission (never the identifier: it is not echoed) */
      action?: SelfServiceAction;
      error?: SelfServiceError;
    }
  | {
      view: 'sent';
      helpdeskName: string;
      /** Where "Ask again" leads (the form) */
      formUrl: string;
      /** The link's lifetime */
      expiresMinutes: number;
    };

export function selfServicePage(d: SelfServicePageData, locale: Locale = 'en'): string {
  const t = translator(locale);
  if (d.view === 'sent') {
    return page(
      { title: text(t, 'selfService.sent.title', {}), t, bodyClass: 'requester' },
      `<h1>${t('selfService.sent.title')}</h1>
<section class="card result" role="status" data-step="self-service-sent">
<p>${t('selfService.sent.body', { minutes: String(d.expiresMinutes) })}</p>
<p>${t('selfService.sent.next')}</p>
</section>
<p><a href="${esc(d.formUrl)}">${t('selfService.sent.again')}</a></p>`,
    );
  }
  const chosen = d.action ?? 'password_reset';
  const error = d.error
    ? `<p class="form-error" id="ss-error" role="alert">${t(`selfService.error.${d.error}`, { max: String(d.maxLength) })}</p>`
    : '';
  const identifierError = d.error === 'IDENTIFIER_REQUIRED' || d.error === 'IDENTIFIER_TOO_LONG';
  const options = SELF_SERVICE_ACTIONS.map(
    (a) => `<option value="${a}"${a === chosen ? ' selected' : ''}>${t(`selfService.action.${a}`)}</option>`,
  ).join('');
  return page(
    {
      title: text(t, d.error ? 'selfService.errorTitle' : 'selfService.title', {}),
      t,
      bodyClass: 'requester',
    },
    `<h1>${t('selfService.title')}</h1>
<section class="card" aria-labelledby="ss-h">
<h2 id="ss-h" class="sr-only">${t('selfService.title')}</h2>
<p>${t('selfService.helpdesk', { helpdesk: d.helpdeskName })}</p>
<p>${t('selfService.intro')}</p>
<form method="post" action="${esc(d.actionUrl)}" data-step="self-service" id="self-service-form" novalidate>
<input type="hidden" name="csrf" value="${esc(d.csrf)}">
${error}
<div class="field"><label for="ss-identifier">${t('selfService.identifierLabel')}</label><input type="text" name="identifier" autocomplete="username" autocapitalize="none" spellcheck="false" maxlength="${d.maxLength}" required aria-describedby="${identifierError ? 'ss-error ' : ''}ss-hint"${identifierError ? ' aria-invalid="true"' : ''} id="ss-identifier"></div>
<p class="note" id="ss-hint">${t('selfService.identifierHint')}</p>
<div class="field"><label for="ss-action">${t('selfService.actionLabel')}</label><select id="ss-action" name="action"${d.error === 'ACTION_UNKNOWN' ? ' aria-describedby="ss-error" aria-invalid="true"' : ''}>${options}</select></div>
<button type="submit">${t('selfService.submit')}</button>
</form>
</section>`,
  );
}

export interface WaitingPageData {
  helpdeskName: string;
  /** JSON `{ done: boolean, next?: string }`, polled by the page's script. */
  statusUrl: string;
  managerName?: string;
  steps?: readonly RequesterStep[]; // default APPROVAL_STEPS
}

/** The requester waits for their manager's confirmation (step-up). The script polls `statusUrl` and moves on by
 * itself; without script, "Check again" reloads this page (no meta refresh: axe forbids it). */
export function waitingPage(d: WaitingPageData, locale: Locale = 'en'): string {
  const t = translator(locale);
  const steps = d.steps ?? APPROVAL_STEPS;
  const current = steps.includes('approval') ? 'approval' : 'questions';
  return page(
    { title: text(t, 'waiting.title', {}), t, scripts: ['requester.js'], bodyClass: 'requester' },
    `<h1>${t('waiting.title')}</h1>
${stepper(t, steps, current)}
<section class="card waiting" id="waiting" aria-labelledby="waiting-h" data-status-url="${esc(d.statusUrl)}" data-trouble="${t('waiting.trouble')}">
<h2 id="waiting-h" class="sr-only">${t(`step.${current}`)}</h2>
<p>${d.managerName ? t('waiting.bodyNamed', { manager: d.managerName }) : t('waiting.body')}</p>
<p class="note">${t('waiting.note', { helpdesk: d.helpdeskName })}</p>
<p class="wait-status" data-role="wait-status" role="status"></p>
<p><a href="" data-role="check-again">${t('waiting.checkAgain')}</a></p>
</section>`,
  );
}

export interface AttestationPageData {
  helpdeskName: string;
  requesterName: string;
  ticketNumber: string;
  ticketSubject: string;
  agentName: string;
  reason: 'typed_destination' | 'medium_risk' | (string & {});
  csrf: string;
  action: string;
  expiresAt: Date;
}

/** The requester's manager is asked to confirm a request (step-up): who asks, why, and approve only if genuine. */
export function attestationPage(d: AttestationPageData, locale: Locale = 'en'): string {
  const t = translator(locale);
  const strong = (v: string) => `<strong>${esc(v)}</strong>`;
  const reasonKey = `attestation.reason.${d.reason}`;
  const reason = t(isMessageKey(reasonKey) ? reasonKey : 'attestation.reason.default');
  return page(
    {
      title: text(t, 'attestation.title', { requester: d.requesterName }),
      t,
      scripts: ['requester.js'],
      bodyClass: 'attestation',
    },
    `<h1>${t('attestation.title', { requester: d.requesterName })}</h1>
<section class="card attestation" aria-labelledby="att-h">
<h2 id="att-h" class="sr-only">${t('attestation.legend')}</h2>
<p>${t.html('attestation.asks', { requester: strong(d.requesterName), helpdesk: strong(d.helpdeskName), ticket: strong(d.ticketNumber), subject: `<q>${esc(d.ticketSubject)}</q>` })}</p>
<p>${t('attestation.agent', { agent: d.agentName, requester: d.requesterName })}</p>
<p><span class="label">${t('attestation.whyLabel')}</span> ${reason}</p>
<p class="rule" id="att-rule"><strong>${t('attestation.rule', { requester: d.requesterName })}</strong></p>
<p class="note">${t.html('attestation.expires', { time: time(t, d.expiresAt) })}</p>
<form method="post" action="${esc(d.action)}" data-step="attestation">
<input type="hidden" name="csrf" value="${esc(d.csrf)}">
<div class="actions decision">
<button type="submit" name="decision" value="approve" aria-describedby="att-rule">${t('attestation.approve')}</button>
<button type="submit" name="decision" value="deny" class="secondary" aria-describedby="att-rule">${t('attestation.deny')}</button>
</div>
</form>
</section>`,
  );
}

export function attestationDonePage(
  decision: 'approved' | 'denied',
  helpdeskName: string,
  locale: Locale = 'en',
): string {
  const t = translator(locale);
  const kind = decision === 'approved' ? 'approved' : 'denied';
  return page(
    { title: text(t, `attestation.${kind}.title`, {}), t, bodyClass: 'attestation' },
    `<h1>${t(`attestation.${kind}.title`)}</h1>
<section class="card result attestation-${kind}" role="status">
<p>${t(`attestation.${kind}.body`, { helpdesk: helpdeskName })}</p>
<p>${t(`attestation.${kind}.next`)}</p>
</section>`,
  );
}

const ERROR_CODES_WITH_PAGES = [
  'ACTION_NOT_AVAILABLE',
  'REPORT_LINK_NOT_FOUND',
  'REPORT_LINK_USED',
  'LINK_NOT_FOUND',
  'LINK_USED',
  'LINK_EXPIRED',
  'NO_SESSION',
  'RATE_LIMITED',
  'CSRF_FAILED',
  'AGENT_SESSION_REQUIRED',
  'CONSOLE_SESSION_REQUIRED',
  'CONSOLE_FORBIDDEN',
  'LAUNCH_TOKEN_INVALID',
  'LAUNCH_TOKEN_EXPIRED',
  'LAUNCH_TOKEN_REPLAYED',
  'NOT_FOUND',
  'SERVICENOW_UNAVAILABLE',
  'SERVICENOW_TIMEOUT',
  'TICKET_NOT_FOUND',
  'TICKET_TABLE_NOT_SUPPORTED',
  'CHALLENGE_NOT_ACTIVE',
  'TOO_MANY_ATTEMPTS',
  'ACCOUNT_LOCKED_FOR_VERIFICATION',
  'ATTESTATION_NOT_FOUND',
  'ATTESTATION_USED',
  'ATTESTATION_EXPIRED',
  'CONSOLE_NO_ROLE',
  'CONSOLE_SSO_FAILED',
  'CONSOLE_SSO_UNAVAILABLE',
] as const;
export type ErrorPageCode = (typeof ERROR_CODES_WITH_PAGES)[number];

/**
 * A page for something that went wrong: what happened, and what to do next. Known codes take their words from the
 * message files; any other code gets a generic page, with the service's own message when it is in English (the
 * service's messages are English).
 */
export function errorPage(code: string, locale: Locale = 'en', serviceMessage?: string): string {
  const t = translator(locale);
  const known = (ERROR_CODES_WITH_PAGES as readonly string[]).includes(code);
  const k = (part: 'title' | 'body' | 'next'): MessageKey =>
    known ? `error.${code as ErrorPageCode}.${part}` : `error.default.${part}`;
  const body = !known && locale === 'en' && serviceMessage ? esc(serviceMessage) : t(k('body'));
  return page(
    { title: text(t, k('title'), {}), t, bodyClass: 'error' },
    `<h1>${t(k('title'))}</h1>
<section class="card problem" aria-labelledby="next-h" data-code="${esc(code)}">
<p>${body}</p>
<h2 id="next-h">${t('error.whatNext')}</h2>
<p class="next">${t(k('next'))}</p>
</section>`,
  );
}

/** The service's start page (`/`): where each kind of visitor goes. */
export function homePage(locale: Locale = 'en', opts: { docs: boolean } = { docs: false }): string {
  const t = translator(locale);
  const entry = (key: 'requester' | 'agent' | 'security') =>
    `<section class="card" aria-labelledby="home-${key}">
<h2 id="home-${key}">${t(`home.${key}.title`)}</h2>
<p>${t(`home.${key}.body`)}</p>
</section>`;
  return page(
    { title: text(t, 'home.title', {}), t },
    `<h1>${t('home.title')}</h1>
<p>${t('home.intro')}</p>
${entry('requester')}
${entry('agent')}
${entry('security')}
${opts.docs ? `<p class="note"><a href="/docs">${t('home.docs')}</a></p>` : ''}`,
  );
}

export function devMessagesPage(messages: DevMessage[], locale: Locale = 'en'): string {
  const t = translator(locale);
  const rows = messages
    .map(
      (
        m,
      ) => `<li class="card message" data-channel="${esc(m.channel)}"><p><strong>${esc(m.channel.toUpperCase())}</strong> ${t('dev.to')} ${esc(m.to)} · ${time(t, m.createdAt)}</p>
${m.subject ? `<p>${esc(m.subject)}</p>` : ''}<pre>${esc(m.text)}</pre>${m.link ? `<p><a href="${esc(m.link)}">${t('dev.open')}</a></p>` : ''}</li>`,
    )
    .join('\n');
  return page(
    { title: text(t, 'dev.title', {}), t, scripts: ['requester.js'] },
    `<h1>${t('dev.title')}</h1><p class="note">${t('dev.note')}</p><ul class="messages">${rows || `<li>${t('dev.none')}</li>`}</ul>`,
  );
}

export { translator };
export {
  agentDetailsPage,
  agentDetailsDeniedPage,
  DETAILS_STEPS,
  type AgentDetailsView,
  type DetailsStep,
} from './details';
