// First-version pages: the agent's send page and the requester's link pages. Plain HTML forms, no script, so
// they work under a strict CSP; the portal issue replaces them with the full experience.
import type { AgentTicketView, AgentVerificationView, DevMessage } from '@imper/shared';
import { esc, page } from './html';

const STATE_LABEL: Record<string, string> = {
  sending: 'Sending…',
  sent: 'Link sent - waiting for the requester',
  in_progress: 'Requester is verifying',
  passed: 'Passed',
  failed: 'Failed',
  incomplete: 'Incomplete',
  timed_out: 'Timed out',
  canceled: 'Canceled',
};
const DELIVERY_LABEL: Record<string, string> = { queued: 'Queued', sent: 'Sent', delivered: 'Delivered', failed: 'Failed', opened: 'Opened' };
const RISK_LABEL: Record<string, string> = { verified: 'Verified', medium: 'Medium', high: 'High' };

function verificationBlock(v: AgentVerificationView, csrf: string): string {
  const active = ['sending', 'sent', 'in_progress'].includes(v.state);
  return `<section class="card" aria-labelledby="vh">
<h2 id="vh">Verification ${esc(v.id)}</h2>
<dl class="facts">
<dt>Status</dt><dd class="state state-${esc(v.state)}">${esc(STATE_LABEL[v.state] ?? v.state)}</dd>
<dt>Sent to</dt><dd>${esc(v.channel === 'sms' ? 'SMS' : 'Email')} ${esc(v.destinationMasked)}${v.destinationOnFile ? '' : ' <span class="warn">(not on file)</span>'}</dd>
${v.delivery ? `<dt>Delivery</dt><dd>${esc(DELIVERY_LABEL[v.delivery.status] ?? v.delivery.status)}${v.delivery.error ? ` - ${esc(v.delivery.error)}` : ''}</dd>` : ''}
${v.riskLevel ? `<dt>Risk level</dt><dd class="risk risk-${esc(v.riskLevel)}">${esc(RISK_LABEL[v.riskLevel])}</dd>` : ''}
${v.recommendation ? `<dt>Recommendation</dt><dd>${esc(v.recommendation)}</dd>` : ''}
${v.attention ? `<dt>Needs attention</dt><dd class="warn">${esc(v.attention)}</dd>` : ''}
</dl>
${
  active
    ? `<div class="actions">
${v.state !== 'in_progress' ? `<form method="post" action="/agent/verifications/${esc(v.id)}/resend"><input type="hidden" name="csrf" value="${esc(csrf)}"><button type="submit">Resend link</button></form>` : ''}
<form method="post" action="/agent/verifications/${esc(v.id)}/cancel"><input type="hidden" name="csrf" value="${esc(csrf)}"><button type="submit" class="secondary">Cancel verification</button></form>
</div>`
    : ''
}
</section>`;
}

export function agentPage(view: AgentTicketView, notice?: { kind: 'error' | 'info'; text: string }): string {
  const v = view.verification;
  const active = v && ['sending', 'sent', 'in_progress'].includes(v.state);
  const contacts = view.contacts
    .map(
      (c, i) =>
        `<div class="choice"><input type="radio" id="c${i}" name="contact" value="${esc(`${c.channel}:${c.key}`)}"${i === 0 ? ' checked' : ''}><label for="c${i}">${esc(c.label)}: ${esc(c.masked)}</label></div>`,
    )
    .join('\n');
  const form = `<section class="card" aria-labelledby="sh">
<h2 id="sh">${v ? 'Send a new verification link' : 'Send a verification link'}</h2>
<form method="post" action="/agent/send">
<input type="hidden" name="csrf" value="${esc(view.csrf)}">
<fieldset><legend>Where should the link go?</legend>
${contacts || '<p>No contacts are on file for this requester.</p>'}
<div class="choice"><input type="radio" id="typed" name="contact" value="typed"${view.contacts.length ? '' : ' checked'}><label for="typed">Another address or number</label></div>
</fieldset>
<label for="destination">Email address or mobile number (only if not on file)</label>
<input id="destination" name="destination" type="text" autocomplete="off" inputmode="email" aria-describedby="dest-note">
<p id="dest-note" class="note">A destination that is not on file is allowed, but it raises the risk of the verification.</p>
<fieldset><legend>Channel for a typed destination</legend>
<div class="choice"><input type="radio" id="ch-sms" name="channel" value="sms" checked><label for="ch-sms">SMS</label></div>
<div class="choice"><input type="radio" id="ch-email" name="channel" value="email"><label for="ch-email">Email</label></div>
</fieldset>
<button type="submit">Send</button>
</form>
</section>`;
  return page(
    { title: `Verify ${view.ticket.number}`, ...(active ? { refreshSeconds: 5 } : {}) },
    `<h1>Send verification portal link</h1>
${notice ? `<p class="notice notice-${notice.kind}" role="${notice.kind === 'error' ? 'alert' : 'status'}">${esc(notice.text)}</p>` : ''}
<section class="card ticket" aria-label="Ticket">
<p class="ticket-number">${esc(view.ticket.number)}</p>
<p class="subject">${esc(view.ticket.subject)}</p>
<p>Requester: <strong>${esc(view.requester.name || 'unknown')}</strong>${view.requester.userName ? ` (${esc(view.requester.userName)})` : ''}</p>
</section>
${v ? verificationBlock(v, view.csrf) : ''}
${active ? '' : form}`,
  );
}

export function landingPage(d: { helpdeskName: string; ticketNumber: string; agentName: string; requesterName: string; expiresAt: Date; token: string; csrf: string }): string {
  return page(
    { title: 'Verify your identity' },
    `<h1>Verify your identity</h1>
<section class="card">
<p><strong>${esc(d.helpdeskName)}</strong> asked you to confirm it is really you, for ticket <strong>${esc(d.ticketNumber)}</strong>${d.agentName ? ` (agent ${esc(d.agentName)})` : ''}.</p>
<p>When you press Start, we check this link and your device. It takes a few seconds. We never ask for your password.</p>
<p class="note">The link works once and expires at <time datetime="${esc(d.expiresAt.toISOString())}">${esc(d.expiresAt.toUTCString())}</time>.</p>
<form method="post" action="/v/${esc(d.token)}/start">
<input type="hidden" name="csrf" value="${esc(d.csrf)}">
<button type="submit">Start</button>
</form>
</section>
<p class="note">Did not expect this? Do not press Start; tell your IT helpdesk.</p>`,
  );
}

export function resultPage(outcome: string | null, helpdeskName: string): string {
  const passed = outcome === 'passed';
  return page(
    { title: passed ? 'You are verified' : 'Verification not completed' },
    passed
      ? `<h1>You are verified</h1><section class="card" role="status"><p>Thank you. ${esc(helpdeskName)} can see the result and will continue with your request.</p><p>You can close this page.</p></section>`
      : `<h1>We could not verify you</h1><section class="card" role="status"><p>${esc(helpdeskName)} has been told. Contact your helpdesk to continue with your request.</p></section>`,
  );
}

export function errorPage(title: string, message: string): string {
  return page({ title }, `<h1>${esc(title)}</h1><section class="card" role="alert"><p>${esc(message)}</p></section>`);
}

export function devMessagesPage(messages: DevMessage[]): string {
  const rows = messages
    .map(
      (m) => `<li class="card"><p><strong>${esc(m.channel.toUpperCase())}</strong> to ${esc(m.to)} · <time datetime="${esc(m.createdAt)}">${esc(m.createdAt)}</time></p>
${m.subject ? `<p>${esc(m.subject)}</p>` : ''}<pre>${esc(m.text)}</pre>${m.link ? `<p><a href="${esc(m.link)}">Open the verification link</a></p>` : ''}</li>`,
    )
    .join('\n');
  return page({ title: 'Sent messages (development)' }, `<h1>Sent messages (development)</h1><p class="note">Messages the demo transport would have sent; newest first.</p><ul class="messages">${rows || '<li>No messages yet.</li>'}</ul>`);
}
