// The verification message, as email (HTML + plain text) and as SMS. Every interpolated value is escaped
// for where it lands (HTML text, HTML attribute, plain text/header line, GSM-7 SMS). The message names the
// helpdesk, the ticket and the expiry, and never asks for a password: it says nobody will ask for one.

import { oneLine } from '../lib/text';
import { GSM7_SINGLE_SEGMENT, gsm7Length, isGsm7, toGsm7 } from './gsm7';

export interface VerificationEmailInput {
  helpdeskName: string;
  ticketNumber: string;
  requesterName: string;
  agentName: string;
  link: string;
  expiresInMinutes: number;
  /** BCP 47 tag; its language picks the wording (en, fr; anything else: en). */
  locale?: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export interface VerificationSmsInput {
  helpdeskName: string;
  ticketNumber: string;
  link: string;
  expiresInMinutes: number;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

function checkLink(link: string): string {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    throw new Error('verification link is not a URL');
  }
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local))
    throw new Error('verification link must be https');
  if (/[\s<>"'`]/.test(link)) throw new Error('verification link has characters that need escaping');
  return link;
}

function checkMinutes(minutes: number): number {
  if (!Number.isInteger(minutes) || minutes <= 0)
    throw new Error('expiresInMinutes must be a positive integer');
  return minutes;
}

interface Wording {
  lang: string;
  subject: (helpdesk: string, ticket: string) => string;
  greeting: (name: string) => string;
  intro: (agent: string, helpdesk: string, ticket: string) => string;
  button: string;
  linkFallback: string;
  expiry: (minutes: number) => string;
  neverPassword: (helpdesk: string) => string;
  notYou: (helpdesk: string) => string;
  ticketLabel: string;
}

const en: Wording = {
  lang: 'en',
  subject: (h, t) => `${h}: verify your identity for ticket ${t}`,
  greeting: (n) => (n ? `Hello ${n},` : 'Hello,'),
  intro: (a, h, t) =>
    a
      ? `${a} from ${h} asked you to confirm your identity for ticket ${t}.`
      : `${h} asked you to confirm your identity for ticket ${t}.`,
  button: 'Verify my identity',
  linkFallback: 'If the button does not work, open this link:',
  expiry: (m) => `The link works once and expires in ${m} ${m === 1 ? 'minute' : 'minutes'}.`,
  neverPassword: (h) =>
    `Nobody from ${h} will ever ask you for your password, by email, by phone or on this page.`,
  notYou: (h) => `If you did not contact ${h}, do not open the link and ignore this message.`,
  ticketLabel: 'Ticket',
};

const fr: Wording = {
  lang: 'fr',
  subject: (h, t) => `${h} : vérifiez votre identité pour le ticket ${t}`,
  greeting: (n) => (n ? `Bonjour ${n},` : 'Bonjour,'),
  intro: (a, h, t) =>
    a
      ? `${a}, de ${h}, vous demande de confirmer votre identité pour le ticket ${t}.`
      : `${h} vous demande de confirmer votre identité pour le ticket ${t}.`,
  button: 'Vérifier mon identité',
  linkFallback: 'Si le bouton ne fonctionne pas, ouvrez ce lien :',
  expiry: (m) => `Le lien ne sert qu’une fois et expire dans ${m} ${m === 1 ? 'minute' : 'minutes'}.`,
  neverPassword: (h) =>
    `Personne chez ${h} ne vous demandera jamais votre mot de passe, ni par e-mail, ni par téléphone, ni sur cette page.`,
  notYou: (h) => `Si vous n’avez pas contacté ${h}, n’ouvrez pas le lien et ignorez ce message.`,
  ticketLabel: 'Ticket',
};

const WORDINGS: Record<string, Wording> = { en, fr };

function wordingFor(locale: string | undefined): Wording {
  const lang = (locale ?? 'en').toLowerCase().split(/[-_]/)[0] ?? 'en';
  return WORDINGS[lang] ?? en;
}

export function renderVerificationEmail(input: VerificationEmailInput): RenderedEmail {
  const link = checkLink(input.link);
  const minutes = checkMinutes(input.expiresInMinutes);
  const w = wordingFor(input.locale);
  // Plain values (one line each), then their HTML-escaped forms.
  const helpdesk = oneLine(input.helpdeskName);
  const ticket = oneLine(input.ticketNumber);
  const requester = oneLine(input.requesterName);
  const agent = oneLine(input.agentName);
  if (!helpdesk || !ticket) throw new Error('helpdeskName and ticketNumber are required');

  const subject = w.subject(helpdesk, ticket);
  const text = [
    w.greeting(requester),
    '',
    w.intro(agent, helpdesk, ticket),
    '',
    `${w.button}:`,
    link,
    '',
    w.expiry(minutes),
    '',
    w.neverPassword(helpdesk),
    w.notYou(helpdesk),
    '',
    `-- ${helpdesk}`,
    '',
  ].join('\n');

  const h = {
    subject: escapeHtml(subject),
    helpdesk: escapeHtml(helpdesk),
    ticket: escapeHtml(ticket),
    requester: escapeHtml(requester),
    agent: escapeHtml(agent),
    link: escapeHtml(link),
  };
  const font = "font-family:Arial,'Helvetica Neue',Helvetica,sans-serif;";
  const p = `margin:0 0 16px 0;${font}font-size:16px;line-height:24px;color:#1f2933;`;
  const small = `margin:0 0 12px 0;${font}font-size:13px;line-height:20px;color:#52606d;`;
  // Wording functions receive escaped values, so what they interpolate is already safe HTML text.
  const html = `<!DOCTYPE html>
<html lang="${w.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="x-apple-disable-message-reformatting">
<title>${h.subject}</title>
</head>
<body style="margin:0;padding:0;background-color:#f3f4f6;">
<div style="display:none;max-height:0;overflow:hidden;mso-hide:all;">${escapeHtml(w.expiry(minutes))}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f3f4f6;">
<tr>
<td align="center" style="padding:24px 12px;">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:600px;background-color:#ffffff;border:1px solid #e4e7eb;border-radius:6px;">
<tr>
<td style="padding:20px 32px;border-bottom:1px solid #e4e7eb;${font}font-size:18px;font-weight:bold;color:#1f2933;">${h.helpdesk}</td>
</tr>
<tr>
<td style="padding:28px 32px 8px 32px;">
<p style="${p}">${w.greeting(h.requester)}</p>
<p style="${p}">${w.intro(h.agent, h.helpdesk, `<strong>${h.ticket}</strong>`)}</p>
<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 24px 0;">
<tr>
<td align="center" bgcolor="#1d4ed8" style="border-radius:4px;background-color:#1d4ed8;">
<a href="${h.link}" target="_blank" rel="noopener" style="display:inline-block;padding:12px 24px;${font}font-size:16px;font-weight:bold;color:#ffffff;text-decoration:none;border-radius:4px;">${escapeHtml(w.button)}</a>
</td>
</tr>
</table>
<p style="${p}">${escapeHtml(w.expiry(minutes))}</p>
<p style="${small}">${escapeHtml(w.linkFallback)}<br><a href="${h.link}" target="_blank" rel="noopener" style="color:#1d4ed8;word-break:break-all;">${h.link}</a></p>
</td>
</tr>
<tr>
<td style="padding:16px 32px 24px 32px;border-top:1px solid #e4e7eb;">
<p style="${small}"><strong>${w.neverPassword(h.helpdesk)}</strong></p>
<p style="${small}">${w.notYou(h.helpdesk)}</p>
<p style="${small}">${escapeHtml(w.ticketLabel)}: ${h.ticket}</p>
</td>
</tr>
</table>
</td>
</tr>
</table>
</body>
</html>
`;
  return { subject, text, html };
}

/**
 * One SMS, always a single GSM-7 segment (160 septets, extension characters counting 2). Tries the fullest
 * wording first and falls back to shorter ones — dropping the helpdesk name, then the ticket — before
 * giving up (only when the link alone does not fit, or is not GSM-7).
 */
export function renderVerificationSms(input: VerificationSmsInput): string {
  const link = checkLink(input.link);
  const minutes = checkMinutes(input.expiresInMinutes);
  if (!isGsm7(link) || gsm7Length(link) > GSM7_SINGLE_SEGMENT)
    throw new Error('verification link cannot fit one GSM-7 SMS segment');
  const hd = toGsm7(oneLine(input.helpdeskName));
  const t = toGsm7(oneLine(input.ticketNumber));
  const m = String(minutes);

  const candidates: string[] = [];
  if (hd && t) {
    candidates.push(
      `${hd}: confirm your identity for ticket ${t}: ${link} Expires in ${m} min. Not you? Ignore this.`,
    );
    candidates.push(`${hd}: confirm your identity for ticket ${t}: ${link} Expires in ${m} min.`);
    candidates.push(`${hd} ticket ${t}: verify at ${link} (${m} min)`);
  }
  if (t) {
    candidates.push(`Confirm your identity for ticket ${t}: ${link} Expires in ${m} min.`);
    candidates.push(`Ticket ${t}: verify at ${link} (${m} min)`);
  }
  if (hd) candidates.push(`${hd}: verify your identity at ${link} (${m} min)`);
  candidates.push(`Verify your identity: ${link} (${m} min)`, `Verify: ${link}`, link);

  for (const sms of candidates) if (gsm7Length(sms) <= GSM7_SINGLE_SEGMENT) return sms;
  /* istanbul ignore next -- unreachable: the bare link was checked above */
  throw new Error('verification SMS does not fit one segment');
}

export interface AttestationEmailInput {
  helpdeskName: string;
  ticketNumber: string;
  managerName: string;
  requesterName: string;
  agentName: string;
  link: string;
  expiresInMinutes: number;
}

/**
 * The step-up message to the requester's manager (at their email on file): who asks, for which ticket, and that
 * they should approve only a request they know to be genuine. Never the requester's contact or any score.
 */
export function renderAttestationEmail(input: AttestationEmailInput): RenderedEmail {
  const link = checkLink(input.link);
  const minutes = checkMinutes(input.expiresInMinutes);
  const helpdesk = oneLine(input.helpdeskName);
  const ticket = oneLine(input.ticketNumber);
  const manager = oneLine(input.managerName);
  const requester = oneLine(input.requesterName);
  const agent = oneLine(input.agentName);
  if (!helpdesk || !ticket || !requester)
    throw new Error('helpdeskName, ticketNumber and requesterName are required');
  const subject = `${helpdesk}: please confirm a request from ${requester} (ticket ${ticket})`;
  const lines = [
    manager ? `Hello ${manager},` : 'Hello,',
    '',
    `${requester} is asking ${helpdesk} for help on ticket ${ticket}${agent ? `, with ${agent}` : ''}. Before the helpdesk acts, we need you, as their manager, to confirm that this request really comes from them.`,
    '',
    'Approve only if you know the request is genuine (for example, you have spoken with them). If you are not sure, deny it: the helpdesk will then verify them another way.',
    '',
    'Review the request:',
    link,
    '',
    `This link expires in ${minutes} minutes and works once. ${helpdesk} will never ask you for a password.`,
  ];
  const text = lines.join('\n');
  const e = escapeHtml;
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${e(subject)}</title></head>
<body style="margin:0;padding:24px;font-family:Arial,Helvetica,sans-serif;color:#1b1f24;background:#ffffff">
<p>${manager ? `Hello ${e(manager)},` : 'Hello,'}</p>
<p><strong>${e(requester)}</strong> is asking ${e(helpdesk)} for help on ticket <strong>${e(ticket)}</strong>${agent ? `, with ${e(agent)}` : ''}. Before the helpdesk acts, we need you, as their manager, to confirm that this request really comes from them.</p>
<p>Approve only if you know the request is genuine (for example, you have spoken with them). If you are not sure, deny it: the helpdesk will then verify them another way.</p>
<p><a href="${e(link)}" style="display:inline-block;padding:12px 20px;background:#0b5cad;color:#ffffff;text-decoration:none;border-radius:4px">Review the request</a></p>
<p style="font-size:14px;color:#444">This link expires in ${minutes} minutes and works once. ${e(helpdesk)} will never ask you for a password.</p>
</body>
</html>
`;
  return { subject, text, html };
}

export interface ActionNoticeInput {
  helpdeskName: string;
  ticketNumber: string;
  /** password_reset | account_unlock | mfa_reset */
  action: string;
  /** The single-use "This wasn't me" link */
  link: string;
}

const NOTICE_WHAT: Record<string, string> = {
  password_reset: 'the password of your account was changed',
  account_unlock: 'your account was unlocked',
  mfa_reset: 'the sign-in methods of your account were reset',
};

/**
 * S11 (NIST SP 800-63B-4 4.6): the notice every contact on file gets after a reset or unlock, with a "This wasn't
 * me" link. Says what happened and when to act; never a password, never how the person was verified.
 */
export function renderActionNoticeEmail(input: ActionNoticeInput): RenderedEmail {
  const link = checkLink(input.link);
  const helpdesk = oneLine(input.helpdeskName);
  const ticket = oneLine(input.ticketNumber);
  const what = NOTICE_WHAT[input.action] ?? 'a change was made to your account';
  const subject = `${helpdesk}: ${what} (ticket ${ticket})`;
  const text = [
    `Through ${helpdesk}'s verification portal, ${what} (ticket ${ticket}).`,
    '',
    'If that was you, there is nothing to do.',
    '',
    "If it wasn't you, tell us now — the account will be locked again and the security team told:",
    link,
    '',
    `${helpdesk} will never ask you for a password.`,
  ].join('\n');
  const e = escapeHtml;
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${e(subject)}</title></head>
<body style="margin:0;padding:24px;font-family:Arial,Helvetica,sans-serif;color:#1b1f24;background:#ffffff">
<p>Through ${e(helpdesk)}'s verification portal, ${e(what)} (ticket <strong>${e(ticket)}</strong>).</p>
<p>If that was you, there is nothing to do.</p>
<p>If it wasn't you, tell us now — the account will be locked again and the security team told:</p>
<p><a href="${e(link)}" style="display:inline-block;padding:12px 20px;background:#b42318;color:#ffffff;text-decoration:none;border-radius:4px">This wasn't me</a></p>
<p style="font-size:14px;color:#444">${e(helpdesk)} will never ask you for a password.</p>
</body>
</html>
`;
  return { subject, text, html };
}

/** The same notice as one GSM-7 SMS segment. */
export function renderActionNoticeSms(input: ActionNoticeInput): string {
  const link = checkLink(input.link);
  const hd = toGsm7(oneLine(input.helpdeskName));
  const short: Record<string, string> = {
    password_reset: 'Your password was changed',
    account_unlock: 'Your account was unlocked',
    mfa_reset: 'Your sign-in methods were reset',
  };
  const what = short[input.action] ?? 'Your account was changed';
  for (const sms of [`${hd}: ${what}. Not you? ${link}`, `${what}. Not you? ${link}`, `Not you? ${link}`])
    if (isGsm7(sms) && gsm7Length(sms) <= GSM7_SINGLE_SEGMENT) return sms;
  throw new Error('the notice SMS does not fit one segment');
}
