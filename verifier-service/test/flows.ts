// The verification flow's steps over HTTP, shared by tests that need a verification in a given state: launch as an
// agent (through the stand-in, as in test/e2e, or with a launch token minted here), send, wait for the message,
// open the link, press Start. Each step asserts only what it must for the next one to make sense.
import { randomBytes } from 'node:crypto';
import { DEMO_TICKET, type TestApp } from './helper';
import { Browser, eventually, hiddenField } from './browser-client';
import { signLaunchToken } from '../src/domain/launch-token';

export interface TicketRef {
  table: string;
  sys_id: string;
  number: string;
  caller: { sys_id: string; name: string; email: string; mobile_phone: string };
}

/**
 * Active incidents of the stand-in whose caller has an email address and a mobile number on file, the demo ticket
 * first. Tests take distinct tickets because a ticket holds at most one active verification.
 */
export function ticketsWithContacts(t: Pick<TestApp, 'standin'>, n: number): TicketRef[] {
  const out: TicketRef[] = [];
  const seenCallers = new Set<string>();
  const incidents = t.standin.store.query('incident', 'active=true');
  incidents.sort((a, b) =>
    a.sys_id === DEMO_TICKET.sys_id
      ? -1
      : b.sys_id === DEMO_TICKET.sys_id
        ? 1
        : String(a.number).localeCompare(String(b.number)),
  );
  for (const r of incidents) {
    const caller = t.standin.store.get('sys_user', String(r.caller_id ?? ''));
    if (!caller?.email || !caller.mobile_phone || seenCallers.has(String(caller.sys_id))) continue;
    seenCallers.add(String(caller.sys_id));
    out.push({
      table: 'incident',
      sys_id: String(r.sys_id),
      number: String(r.number),
      caller: {
        sys_id: String(caller.sys_id),
        name: String(caller.name),
        email: String(caller.email),
        mobile_phone: String(caller.mobile_phone),
      },
    });
    if (out.length === n) return out;
  }
  throw new Error(`the stand-in has only ${out.length} usable tickets, ${n} wanted`);
}

export interface LaunchOptions {
  ticket?: Pick<TicketRef, 'table' | 'sys_id' | 'number'>;
  sub?: string;
  name?: string;
  /** Seconds since the epoch the token is issued at (default: now, or the app clock when given). */
  iat?: number;
  lifetimeSeconds?: number;
  iss?: string;
  aud?: string;
  jti?: string;
  secret?: Buffer;
  header?: Record<string, unknown>;
}

/** A launch token as the tenant's instance mints it (CONTRACTS.md), with any claim overridden. */
export function launchToken(
  t: Pick<TestApp, 'standin' | 'launchSecret'> & Partial<Pick<TestApp, 'clock'>>,
  o: LaunchOptions = {},
): string {
  const ticket = o.ticket ?? DEMO_TICKET;
  // Issued now by the app's clock (which a test may have moved on), as the instance's clock agrees with ours.
  const iat = o.iat ?? Math.floor((t.clock?.now() ?? new Date()).getTime() / 1000);
  return signLaunchToken(
    {
      iss: o.iss ?? t.standin.url,
      aud: o.aud ?? 'imper-verify',
      sub: o.sub ?? 'beth.anglin',
      name: o.name ?? 'Beth Anglin',
      ticket: { table: ticket.table, sys_id: ticket.sys_id, number: ticket.number },
      jti: o.jti ?? randomBytes(16).toString('hex'),
      iat,
      exp: iat + (o.lifetimeSeconds ?? 120),
    },
    o.secret ?? t.launchSecret,
    o.header,
  );
}

/** GET /agent/launch with a launch token; expects the 303 to the send page and returns the token. */
export async function launch(t: Pick<TestApp, 'url'>, agent: Browser, token: string): Promise<string> {
  const res = await agent.get(`${t.url}/agent/launch?token=${encodeURIComponent(token)}`);
  if (res.status !== 303 || res.location !== '/agent')
    throw new Error(`launch answered ${res.status}: ${res.text}`);
  return token;
}

/** The e2e way: sign in to the stand-in as the agent and follow the ticket's verification field to the service. */
export async function launchViaInstance(
  t: Pick<TestApp, 'url' | 'standin' | 'agentPassword'>,
  agent: Browser,
  sysId: string = DEMO_TICKET.sys_id,
): Promise<string> {
  const login = await agent.request(`${t.standin.url}/login.do`, {
    form: { user_name: 'beth.anglin', user_password: t.agentPassword },
  });
  if (![200, 302, 303].includes(login.status)) throw new Error(`stand-in login answered ${login.status}`);
  const viaInstance = await agent.get(
    `${t.standin.url}/x_imper_verify_launch.do?table=incident&sys_id=${sysId}`,
  );
  if (viaInstance.status !== 302) throw new Error(`stand-in launch answered ${viaInstance.status}`);
  const token = new URL(viaInstance.location!).searchParams.get('token')!;
  return launch(t, agent, token);
}

/** A new agent browser with a session on the ticket. */
export async function agentOn(t: TestApp, o: LaunchOptions = {}): Promise<Browser> {
  const agent = new Browser();
  await launch(t, agent, launchToken(t, o));
  return agent;
}

export interface TicketView {
  csrf: string;
  contacts: Array<{ key: string; channel: string; masked: string; label: string }>;
  verification?: { id: string; state: string; destinationMasked: string; linkExpiresAt: string };
  [k: string]: unknown;
}

export async function ticketView(t: Pick<TestApp, 'url'>, agent: Browser): Promise<TicketView> {
  const res = await agent.get(`${t.url}/agent/api/ticket`, { accept: 'application/json' });
  if (res.status !== 200) throw new Error(`ticket view answered ${res.status}: ${res.text}`);
  return res.json() as TicketView;
}

export type SendBody = { channel: 'email' | 'sms'; contactKey?: string; destination?: string };

/** POST /agent/api/verifications with the session's CSRF value; returns the raw response. */
export async function sendRaw(t: Pick<TestApp, 'url'>, agent: Browser, body: SendBody, csrf?: string) {
  const value = csrf ?? (await ticketView(t, agent)).csrf;
  return agent.request(`${t.url}/agent/api/verifications`, {
    json: body,
    headers: { 'x-csrf-token': value, accept: 'application/json' },
  });
}

/** Sends and expects 201; returns the verification's public ID. */
export async function send(t: Pick<TestApp, 'url'>, agent: Browser, body: SendBody): Promise<string> {
  const res = await sendRaw(t, agent, body);
  if (res.status !== 201) throw new Error(`send answered ${res.status}: ${res.text}`);
  return res.json().id as string;
}

/** POST /agent/api/verifications/:id/{resend,cancel} with the session's CSRF value. */
export async function agentOp(
  t: Pick<TestApp, 'url'>,
  agent: Browser,
  publicId: string,
  op: 'resend' | 'cancel',
  csrf?: string,
) {
  const value = csrf ?? (await ticketView(t, agent)).csrf;
  return agent.request(`${t.url}/agent/api/verifications/${publicId}/${op}`, {
    method: 'POST',
    headers: { 'x-csrf-token': value, accept: 'application/json' },
  });
}

export interface DevMessage {
  id: string;
  channel: 'email' | 'sms';
  to: string;
  subject: string | null;
  text: string;
  html: string | null;
  link: string | null;
  createdAt: string;
}

/** The newest message the development transport "sent" to `to` (needs the worker), skipping ids in `seen`. */
export async function messageTo(
  t: Pick<TestApp, 'url'>,
  to: string,
  seen: Set<string> = new Set(),
  /** Only links to this page: '/v/' a verification link, '/m/' a manager's, '/r/' a "This wasn't me" */
  path?: '/v/' | '/m/' | '/r/',
): Promise<DevMessage & { link: string }> {
  const message = await eventually(async () => {
    const list = (await fetch(`${t.url}/dev/messages`).then((r) => r.json())) as DevMessage[];
    return list.find(
      (m) => m.to === to && m.link && !seen.has(m.id) && (!path || new URL(m.link).pathname.startsWith(path)),
    );
  });
  seen.add(message.id);
  return message as DevMessage & { link: string };
}

/** The link token (the last path segment of the link). */
export const tokenOf = (link: string) => new URL(link).pathname.split('/').pop()!;

/** The requester opens the link: expects the landing page and returns its anti-CSRF value. */
export async function open(phone: Browser, link: string): Promise<string> {
  const landing = await phone.get(link);
  if (landing.status !== 200) throw new Error(`link answered ${landing.status}`);
  return hiddenField(landing.text, 'csrf');
}

/** The requester presses Start. */
export function start(phone: Browser, link: string, csrf: string | undefined) {
  return phone.request(`${link}/start`, { method: 'POST', form: csrf === undefined ? {} : { csrf } });
}

/** Launch, send to the caller's email on file and wait for the link: the usual way to get a fresh link. */
export async function freshLink(
  t: TestApp,
  ticket: TicketRef,
  o: { channel?: 'email' | 'sms'; sub?: string; seen?: Set<string> } = {},
) {
  const agent = await agentOn(t, { ticket, ...(o.sub ? { sub: o.sub } : {}) });
  const channel = o.channel ?? 'email';
  const publicId = await send(t, agent, {
    channel,
    contactKey: channel === 'email' ? 'email' : 'mobile_phone',
  });
  const message = await messageTo(
    t,
    channel === 'email' ? ticket.caller.email : ticket.caller.mobile_phone,
    o.seen,
    '/v/',
  );
  return { agent, publicId, message, link: message.link, token: tokenOf(message.link) };
}
