// SECURITY.md S6 (launch tokens over HTTP: `GET /agent/launch?token=`), S14 (session cookies) and S15 (security
// headers; links built from configuration, never from the Host header).
// S6: HS256 only, algorithm pinned, `aud` and `iss` checked, lifetime ≤ 120 s, `jti` single use, bound to the tenant
// whose key signed it. Every refusal is a 401 with the code's page, and no session cookie.
import { createHash, randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import { build, type TestApp } from '../helper';
import { Browser } from '../browser-client';
import {
  freshLink,
  launchToken,
  messageTo,
  open,
  start,
  ticketsWithContacts,
  ticketView,
  tokenOf,
  type LaunchOptions,
  type TicketRef,
} from '../flows';
import security from '../../src/plugins/external/security';
import type { Config } from '../../src/config';
import { GENEROUS_LIMITS, parseSetCookies, rawRequest, type ParsedCookie } from './support';

// Root-level jest runs ignore the preset's testTimeout (a global option); builds alone can take seconds.
jest.setTimeout(30_000);

let t: TestApp; // local development settings (COOKIE_SECURE unset → false outside production)
let secure: TestApp; // COOKIE_SECURE=true
let tickets: TicketRef[];
beforeAll(async () => {
  [t, secure] = await Promise.all([
    build({ env: GENEROUS_LIMITS }),
    build({ env: { ...GENEROUS_LIMITS, COOKIE_SECURE: 'true' } }),
  ]);
  await Promise.all([t.startWorker({ pollInterval: 50 }), secure.startWorker({ pollInterval: 50 })]);
  tickets = ticketsWithContacts(t, 4);
});
afterAll(() => Promise.all([t.close(), secure.close()]));

// The error pages name the code (app.ts PAGE_TITLES); the codes' statuses are in shared/errors.ts.
const TITLE = {
  LAUNCH_TOKEN_INVALID: 'This link from ServiceNow is not valid',
  LAUNCH_TOKEN_EXPIRED: 'This link from ServiceNow has expired',
  LAUNCH_TOKEN_REPLAYED: 'This link from ServiceNow was already used',
} as const;

const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

async function tryLaunch(token: string) {
  const agent = new Browser();
  const res = await agent.get(`${t.url}/agent/launch?token=${encodeURIComponent(token)}`);
  // Whatever the answer, a refused launch must leave the browser without a session.
  const after = await agent.get(`${t.url}/agent/api/ticket`, { accept: 'application/json' });
  return { res, sessionWorks: after.status === 200 };
}

async function expectRefused(token: string, code: keyof typeof TITLE) {
  const { res, sessionWorks } = await tryLaunch(token);
  expect(res.status).toBe(401);
  expect(res.text).toContain(TITLE[code]);
  for (const other of Object.keys(TITLE) as Array<keyof typeof TITLE>)
    if (other !== code) expect(res.text).not.toContain(TITLE[other]);
  expect(res.headers.getSetCookie()).toEqual([]);
  expect(res.location).toBeNull();
  expect(sessionWorks).toBe(false);
}

const tok = (o: LaunchOptions = {}) => launchToken(t, o);

describe('S6: launch tokens', () => {
  it('S6: a valid token opens a session (the control for every refusal below)', async () => {
    const { res, sessionWorks } = await tryLaunch(tok());
    expect(res.status).toBe(303);
    expect(res.location).toBe('/agent');
    expect(res.headers.getSetCookie().filter((c) => c.startsWith('imper_agent='))).toHaveLength(1);
    expect(sessionWorks).toBe(true);
  });

  it('S6: an expired token → 401 LAUNCH_TOKEN_EXPIRED', async () => {
    await expectRefused(tok({ iat: now() - 200, lifetimeSeconds: 60 }), 'LAUNCH_TOKEN_EXPIRED');
    await expectRefused(tok({ iat: now() - 120, lifetimeSeconds: 120 }), 'LAUNCH_TOKEN_EXPIRED'); // exp = now
  });

  it('S6: a wrong audience → 401 LAUNCH_TOKEN_INVALID', async () => {
    await expectRefused(tok({ aud: 'some-other-app' }), 'LAUNCH_TOKEN_INVALID');
    await expectRefused(tok({ aud: '' }), 'LAUNCH_TOKEN_INVALID');
  });

  it('S6: alg "none", and any algorithm other than HS256 (no key confusion) → 401 LAUNCH_TOKEN_INVALID', async () => {
    const iat = now();
    const claims = {
      iss: t.standin.url,
      aud: 'imper-verify',
      sub: 'beth.anglin',
      name: 'Beth Anglin',
      ticket: { table: 'incident', sys_id: '5c1f0e8a9b2d4e6f8a0b1c2d3e4f5a6b', number: 'INC0010001' },
      jti: randomBytes(16).toString('hex'),
      iat,
      exp: iat + 60,
    };
    // Unsigned, as `alg: none` tokens are.
    for (const alg of ['none', 'None', 'NONE'])
      await expectRefused(`${enc({ alg, typ: 'JWT' })}.${enc(claims)}.`, 'LAUNCH_TOKEN_INVALID');
    // Or with an HMAC that would verify if the header's algorithm were ignored.
    for (const header of [
      { alg: 'none', typ: 'JWT' },
      { alg: 'HS512', typ: 'JWT' },
      { alg: 'RS256', typ: 'JWT' },
      { typ: 'JWT' },
      { alg: 'HS256', typ: 'JWT', crit: ['exp'] },
    ]) {
      await expectRefused(tok({ header }), 'LAUNCH_TOKEN_INVALID');
    }
  });

  it('S6: signed with another key, or tampered with after signing → 401 LAUNCH_TOKEN_INVALID', async () => {
    await expectRefused(tok({ secret: randomBytes(32) }), 'LAUNCH_TOKEN_INVALID');
    const [h, p, s] = tok().split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    await expectRefused(`${h}.${enc({ ...claims, sub: 'admin' })}.${s}`, 'LAUNCH_TOKEN_INVALID');
    await expectRefused(`${h}.${p}.${s.slice(0, -2)}`, 'LAUNCH_TOKEN_INVALID');
    await expectRefused(`${h}.${p}.`, 'LAUNCH_TOKEN_INVALID');
  });

  it('S6: a wrong or unknown issuer (no such tenant) → 401 LAUNCH_TOKEN_INVALID', async () => {
    await expectRefused(tok({ iss: 'https://evil.service-now.com' }), 'LAUNCH_TOKEN_INVALID');
    await expectRefused(tok({ iss: `${t.standin.url}.evil.example` }), 'LAUNCH_TOKEN_INVALID');
    // The right key but another instance's name is still not this tenant.
    await expectRefused(tok({ iss: 'http://127.0.0.1:1' }), 'LAUNCH_TOKEN_INVALID');
  });

  it('S6: a lifetime over 120 s → 401 LAUNCH_TOKEN_INVALID (120 s itself is fine)', async () => {
    await expectRefused(tok({ lifetimeSeconds: 121 }), 'LAUNCH_TOKEN_INVALID');
    await expectRefused(tok({ lifetimeSeconds: 3600 }), 'LAUNCH_TOKEN_INVALID');
    await expectRefused(tok({ lifetimeSeconds: 0 }), 'LAUNCH_TOKEN_INVALID');
    await expectRefused(tok({ iat: now() + 600, lifetimeSeconds: 60 }), 'LAUNCH_TOKEN_INVALID'); // issued in the future
    expect((await tryLaunch(tok({ lifetimeSeconds: 120 }))).res.status).toBe(303);
  });

  it('S6: a replayed jti (second use of a valid token, or a new token reusing the jti) → 401 LAUNCH_TOKEN_REPLAYED', async () => {
    const jti = randomBytes(16).toString('hex');
    const token = tok({ jti });
    const first = await tryLaunch(token);
    expect(first.res.status).toBe(303);
    await expectRefused(token, 'LAUNCH_TOKEN_REPLAYED');
    await expectRefused(tok({ jti, iat: now() - 1 }), 'LAUNCH_TOKEN_REPLAYED');
    // Parallel replays of one fresh token: exactly one session.
    const fresh = tok();
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        new Browser().get(`${t.url}/agent/launch?token=${encodeURIComponent(fresh)}`),
      ),
    );
    expect(results.filter((r) => r.status === 303)).toHaveLength(1);
    expect(results.filter((r) => r.status === 401)).toHaveLength(9);
  });

  it('S6: malformed tokens → 401 LAUNCH_TOKEN_INVALID, never a 5xx', async () => {
    for (const bad of [
      'not-a-jwt-at-all',
      'aaaa.bbbb.cccc',
      `${enc({ alg: 'HS256' })}.${enc('string')}.x`,
      `${enc({ alg: 'HS256' })}.${enc(null)}.x`,
      `${enc({ alg: 'HS256' })}.!!!.x`,
      `${tok()}.extra`,
    ]) {
      await expectRefused(bad, 'LAUNCH_TOKEN_INVALID');
    }
    // Too short or missing to be a token at all: refused by the route's schema, still without a session.
    for (const q of ['?token=a.b.c', '?token=', '']) {
      const res = await new Browser().get(`${t.url}/agent/launch${q}`);
      expect(res.status).toBe(400);
      expect(res.headers.getSetCookie()).toEqual([]);
    }
  });

  it('S6: the session is bound to the ticket and agent named in the token', async () => {
    const agent = new Browser();
    const res = await agent.get(
      `${t.url}/agent/launch?token=${encodeURIComponent(tok({ sub: 'luke.wilson', name: 'Luke Wilson' }))}`,
    );
    expect(res.status).toBe(303);
    const view = await ticketView(t, agent);
    expect(view).toMatchObject({
      agent: { userName: 'luke.wilson', name: 'Luke Wilson' },
      ticket: { number: 'INC0010001' },
    });
  });
});

// ── S14 ──────────────────────────────────────────────────────────────────────────────────────────────────

/** The cookies one flow sets: the agent's (launch), the browser nonce (opening the link) and the requester's (Start). */
async function cookiesOfOneFlow(app: TestApp, ticket: TicketRef) {
  const agentRes = await new Browser().get(
    `${app.url}/agent/launch?token=${encodeURIComponent(launchToken(app, { ticket }))}`,
  );
  expect(agentRes.status).toBe(303);
  const { link } = await freshLink(app, ticket);
  const phone = new Browser();
  const landing = await phone.get(link);
  expect(landing.status).toBe(200);
  const csrf = await open(phone, link);
  const started = await start(phone, link, csrf);
  expect(started.status).toBe(303);
  const one = (headers: Headers) => {
    const list = parseSetCookies(headers);
    expect(list).toHaveLength(1);
    return list[0]!;
  };
  return { agent: one(agentRes.headers), start: one(landing.headers), requester: one(started.headers), link };
}

function expectSessionCookie(c: ParsedCookie, name: string, opts: { secure: boolean }) {
  expect(c.name).toBe(name);
  expect(c.attrs.get('httponly')).toBe(true);
  expect(String(c.attrs.get('samesite')).toLowerCase()).toBe('lax');
  expect(c.attrs.get('path')).toBe('/');
  expect(c.attrs.has('domain')).toBe(false); // host-only
  expect(c.attrs.has('secure')).toBe(opts.secure);
  // ≥ 128 bits from a CSPRNG: base64url of at least 16 bytes (the service uses 32).
  expect(c.value).toMatch(/^[A-Za-z0-9_-]+$/);
  expect(Buffer.from(c.value, 'base64url').length).toBeGreaterThanOrEqual(16);
}

describe('S14: session cookies', () => {
  it('S14: launch and Start set HttpOnly, SameSite=Lax, Path=/ cookies with ≥ 128-bit ids (local settings: not Secure)', async () => {
    const c = await cookiesOfOneFlow(t, tickets[0]!);
    expectSessionCookie(c.agent, 'imper_agent', { secure: false });
    expectSessionCookie(c.start, 'imper_start', { secure: false });
    expectSessionCookie(c.requester, 'imper_requester', { secure: false });
    expect(Buffer.from(c.agent.value, 'base64url').length).toBe(32);
    expect(Buffer.from(c.requester.value, 'base64url').length).toBe(32);
    // Fresh ids every time.
    const again = await cookiesOfOneFlow(t, tickets[1]!);
    expect(again.agent.value).not.toBe(c.agent.value);
    expect(again.requester.value).not.toBe(c.requester.value);
    expect(again.start.value).not.toBe(c.start.value);
    // The database keeps only the ids' hashes.
    const sha = (v: string) => createHash('sha256').update(v).digest();
    expect(
      await t.db.db
        .selectFrom('agent_sessions')
        .select('tenant_id')
        .where('id_hash', '=', sha(c.agent.value))
        .executeTakeFirst(),
    ).toBeDefined();
    expect(
      await t.db.db
        .selectFrom('verifications')
        .select('id')
        .where('requester_session_hash', '=', sha(c.requester.value))
        .executeTakeFirst(),
    ).toBeDefined();
  });

  it('S14: with COOKIE_SECURE=true every cookie is Secure and __Host- prefixed, and only the prefixed name is honoured', async () => {
    const ticket = ticketsWithContacts(secure, 1)[0]!;
    const c = await cookiesOfOneFlow(secure, ticket);
    expectSessionCookie(c.agent, '__Host-imper_agent', { secure: true });
    expectSessionCookie(c.start, '__Host-imper_start', { secure: true });
    expectSessionCookie(c.requester, '__Host-imper_requester', { secure: true });
    const api = (cookie: string) =>
      fetch(`${secure.url}/agent/api/ticket`, { headers: { cookie, accept: 'application/json' } });
    expect((await api(`__Host-imper_agent=${c.agent.value}`)).status).toBe(200);
    // A cookie without the prefix (which a sibling subdomain or plain-HTTP page could plant) is not a session.
    expect((await api(`imper_agent=${c.agent.value}`)).status).toBe(401);
  });
});

// ── S15 ──────────────────────────────────────────────────────────────────────────────────────────────────

function directives(csp: string | null): Map<string, string[]> {
  expect(csp).toBeTruthy();
  return new Map(
    csp!
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name!.toLowerCase(), values]),
  );
}

function expectStrictHeaders(headers: Headers, what: string) {
  const d = directives(headers.get('content-security-policy'));
  const scripts = d.get('script-src') ?? d.get('default-src');
  expect({ what, scripts }).toEqual({ what, scripts: expect.any(Array) });
  expect(scripts).not.toContain("'unsafe-inline'");
  expect(scripts).not.toContain("'unsafe-eval'");
  expect(scripts).not.toContain('*');
  expect(d.get('frame-ancestors')).toEqual(["'none'"]);
  expect(d.get('object-src')).toEqual(["'none'"]);
  expect(headers.get('x-content-type-options')).toBe('nosniff');
  expect(headers.get('referrer-policy')).toBe('no-referrer');
}

describe('S15: security headers, and links from configuration only', () => {
  it('S15: link pages (landing, used, expired-or-unknown, result), agent pages and APIs carry a strict CSP, nosniff, no-referrer, frame-ancestors none', async () => {
    const ticket = tickets[2]!;
    const agent = new Browser();
    const launched = await agent.get(
      `${t.url}/agent/launch?token=${encodeURIComponent(launchToken(t, { ticket }))}`,
    );
    expectStrictHeaders(launched.headers, 'launch redirect');
    const { link } = await freshLink(t, ticket);
    const phone = new Browser();
    const landing = await phone.get(link);
    expect(landing.status).toBe(200);
    expectStrictHeaders(landing.headers, 'landing page');
    // No inline script for the CSP to have to allow: every <script> has a src, and no on* handlers.
    for (const tag of landing.text.match(/<script\b[^>]*>/gi) ?? []) expect(tag).toMatch(/\bsrc=/);
    expect(landing.text).not.toMatch(/\son[a-z]+\s*=/i);
    const started = await start(phone, link, await open(phone, link));
    expect(started.status).toBe(303);
    expectStrictHeaders(started.headers, 'start redirect');
    const result = await phone.get(`${t.url}/v/result`);
    expectStrictHeaders(result.headers, 'result page');
    const used = await phone.get(link);
    expect(used.status).toBe(410);
    expectStrictHeaders(used.headers, 'used link page');
    const unknown = await phone.get(`${t.url}/v/${'B'.repeat(43)}`);
    expect(unknown.status).toBe(404);
    expectStrictHeaders(unknown.headers, 'unknown link page');
    expectStrictHeaders((await agent.get(`${t.url}/agent`)).headers, 'agent page');
    expectStrictHeaders(
      (await agent.get(`${t.url}/agent/api/ticket`, { accept: 'application/json' })).headers,
      'agent API',
    );
    expectStrictHeaders(
      (await new Browser().get(`${t.url}/agent/launch?token=${'x'.repeat(20)}`)).headers,
      'launch error page',
    );
    expectStrictHeaders((await new Browser().get(`${t.url}/no/such/route`)).headers, '404');
  });

  it('S15: HSTS is sent in production configuration', async () => {
    const headersFor = async (env: Config['env']) => {
      const app = Fastify();
      await app.register(security, { config: { env, rateLimits: { perIpPerMinute: 1000 } } as Config });
      app.get('/', async () => 'ok');
      // (light-my-request's inject cannot load under jest's CommonJS runtime, so listen for real.)
      const address = await app.listen({ host: '127.0.0.1', port: 0 });
      try {
        return (await fetch(address)).headers;
      } finally {
        await app.close();
      }
    };
    const hsts = (await headersFor('production')).get('strict-transport-security');
    expect(hsts).toMatch(/max-age=(\d+)/);
    expect(Number(/max-age=(\d+)/.exec(hsts!)![1])).toBeGreaterThanOrEqual(31_536_000);
    expect(hsts).toContain('includeSubDomains');
    // Plain-HTTP local development does not pin the browser to HTTPS.
    expect((await headersFor('development')).get('strict-transport-security')).toBeNull();
  });

  it('S15: link URLs in messages start with PUBLIC_BASE_URL even when the Host header (and X-Forwarded-Host) is forged', async () => {
    const ticket = tickets[3]!;
    const forged = {
      host: 'evil.example',
      'x-forwarded-host': 'evil.example',
      'x-forwarded-proto': 'https',
      forwarded: 'host=evil.example;proto=https',
    };
    const launched = await rawRequest(
      `${t.url}/agent/launch?token=${encodeURIComponent(launchToken(t, { ticket }))}`,
      { headers: forged },
    );
    expect(launched.status).toBe(303);
    expect(String(launched.headers.location)).not.toContain('evil');
    const cookie = String((launched.headers['set-cookie'] as string[])[0]).split(';')[0]!;
    const view = await rawRequest(`${t.url}/agent/api/ticket`, {
      headers: { ...forged, cookie, accept: 'application/json' },
    });
    expect(view.status).toBe(200);
    const { csrf } = JSON.parse(view.text) as { csrf: string };
    const sent = await rawRequest(`${t.url}/agent/api/verifications`, {
      method: 'POST',
      headers: {
        ...forged,
        cookie,
        accept: 'application/json',
        'content-type': 'application/json',
        'x-csrf-token': csrf,
      },
      body: JSON.stringify({ channel: 'email', contactKey: 'email' }),
    });
    expect(sent.status).toBe(201);
    expect(sent.text).not.toContain('evil');
    const message = await messageTo(t, ticket.caller.email);
    expect(message.link.startsWith(`${t.config.publicBaseUrl}/v/`)).toBe(true);
    expect(message.link).toBe(`${t.config.publicBaseUrl}/v/${tokenOf(message.link)}`);
    expect(`${message.text} ${message.html ?? ''} ${message.subject ?? ''}`).not.toContain('evil');
    // The landing page, fetched with a forged Host, posts back to a relative path.
    const landing = await rawRequest(message.link, { headers: forged });
    expect(landing.status).toBe(200);
    expect(landing.text).not.toContain('evil');
    expect(landing.text).toContain(`action="/v/${tokenOf(message.link)}/start"`);
  });
});
