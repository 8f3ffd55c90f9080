// The helpdesk side of a scenario over HTTP, as flows.ts in the service's tests does it: the agent launches from
// the ticket with a launch token signed with the tenant's launch secret (CONTRACTS.md), sends the link, reads the
// call code off their page; the development transport's messages stand in for the requester's phone and mailbox.
import { randomBytes } from 'node:crypto';
import { signLaunchToken } from '../../verifier-service/src/domain/launch-token';
import type { EvalEnv } from './env';

/** A tiny cookie-keeping HTTP client that never follows redirects. */
export class HttpClient {
  private cookies = new Map<string, string>();

  async request(
    url: string,
    init: { method?: string; json?: unknown; headers?: Record<string, string> } = {},
  ) {
    const headers: Record<string, string> = { accept: 'application/json,text/html', ...init.headers };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | undefined;
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    }
    const res = await fetch(url, {
      method: init.method ?? (body ? 'POST' : 'GET'),
      headers,
      body,
      redirect: 'manual',
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair = ''] = c.split(';');
      const eq = pair.indexOf('=');
      if (eq > 0) this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1));
    }
    const text = await res.text();
    return { status: res.status, text, location: res.headers.get('location') };
  }
}

export class HarnessError extends Error {}

export interface TicketView {
  csrf: string;
  contacts: Array<{ key: string; channel: string; masked: string }>;
  verification?: { id: string; state: string; callCode?: string };
}

export interface DevMessage {
  id: string;
  channel: 'email' | 'sms';
  to: string;
  subject: string | null;
  link: string | null;
}

/** The seeded agents (all with the app's agent role); scenarios take turns so no one agent looks unusually busy. */
export const AGENTS = [
  { userName: 'beth.anglin', name: 'Beth Anglin' },
  { userName: 'david.loddy', name: 'David Loddy' },
  { userName: 'don.goodliffe', name: 'Don Goodliffe' },
  { userName: 'luke.wilson', name: 'Luke Wilson' },
] as const;

export class Agent {
  readonly http = new HttpClient();
  constructor(
    private readonly env: EvalEnv,
    readonly who: (typeof AGENTS)[number],
  ) {}

  /** GET /agent/launch with a fresh launch token for the ticket (as the instance's UI action mints it). */
  async launch(ticket: { sys_id: string; number: string }): Promise<void> {
    const iat = Math.floor(Date.now() / 1000);
    const token = signLaunchToken(
      {
        iss: this.env.instance.url,
        aud: 'imper-verify',
        sub: this.who.userName,
        name: this.who.name,
        ticket: { table: 'incident', sys_id: ticket.sys_id, number: ticket.number },
        jti: randomBytes(16).toString('hex'),
        iat,
        exp: iat + 120,
      },
      this.env.launchSecret,
    );
    const res = await this.http.request(
      `${this.env.serviceUrl}/agent/launch?token=${encodeURIComponent(token)}`,
    );
    if (res.status !== 303)
      throw new HarnessError(`launch answered ${res.status}: ${res.text.slice(0, 200)}`);
  }

  async view(): Promise<TicketView> {
    const res = await this.http.request(`${this.env.serviceUrl}/agent/api/ticket`);
    if (res.status !== 200)
      throw new HarnessError(`ticket view answered ${res.status}: ${res.text.slice(0, 200)}`);
    return JSON.parse(res.text) as TicketView;
  }

  /** Sends to a contact on file (`contactKey`) or to a typed `destination`; returns the public ID. */
  async send(body: { channel: 'email' | 'sms'; contactKey?: string; destination?: string }): Promise<string> {
    const { csrf } = await this.view();
    const res = await this.http.request(`${this.env.serviceUrl}/agent/api/verifications`, {
      json: body,
      headers: { 'x-csrf-token': csrf },
    });
    if (res.status !== 201) throw new HarnessError(`send answered ${res.status}: ${res.text.slice(0, 300)}`);
    return (JSON.parse(res.text) as { id: string }).id;
  }

  /** The call code as the agent's page shows it (`[data-call-code]`), checked against the JSON view. */
  async callCode(): Promise<string | null> {
    const json = (await this.view()).verification?.callCode ?? null;
    const page = await this.http.request(`${this.env.serviceUrl}/agent`, {
      headers: { accept: 'text/html' },
    });
    const shown = /data-call-code[^>]*>\s*([0-9]{2})\s*</.exec(page.text)?.[1] ?? null;
    if (json && shown && json !== shown)
      throw new HarnessError(`the agent page shows code ${shown}, the ticket view ${json}`);
    return json ?? shown;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Messages already handed to a scenario, so two scenarios never take the same one. */
const taken = new Set<string>();

/** The newest message to `to` (optionally whose subject contains `subjectHas`) not yet taken. */
export async function messageTo(
  env: EvalEnv,
  to: string,
  o: { subjectHas?: string; linkPath?: '/v/' | '/m/'; timeoutMs?: number } = {},
): Promise<DevMessage & { link: string }> {
  const timeoutMs = o.timeoutMs ?? 60_000;
  const until = Date.now() + timeoutMs;
  // A manager can be a requester in another scenario: the link's path tells the requester's from the manager's.
  const path = o.linkPath ?? '/v/';
  for (;;) {
    const list = (await fetch(`${env.serviceUrl}/dev/messages`).then((r) => r.json())) as DevMessage[];
    const m = list.find(
      (x) =>
        x.to === to &&
        !!x.link &&
        new URL(x.link).pathname.startsWith(path) &&
        !taken.has(x.id) &&
        (!o.subjectHas || (x.subject ?? '').includes(o.subjectHas)),
    );
    if (m) {
      taken.add(m.id);
      return m as DevMessage & { link: string };
    }
    if (Date.now() > until) throw new HarnessError(`no message to ${to} within ${timeoutMs} ms`);
    await sleep(400);
  }
}
