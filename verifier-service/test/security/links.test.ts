// SECURITY.md S1 (link tokens), S3 (lifetime, with the app's clock under the test's control), S4 (single use,
// atomically) and S7 (GET never consumes; POST needs the anti-CSRF value bound to this browser and this link), over
// HTTP against the running app.
import { createHash } from 'node:crypto';
import { build, secret, type TestApp } from '../helper';
import { loadConfig, ConfigError } from '../../src/config';
import { Browser, eventually, hiddenField } from '../browser-client';
import {
  agentOn,
  freshLink,
  messageTo,
  open,
  send,
  start,
  ticketsWithContacts,
  ticketView,
  tokenOf,
  type TicketRef,
} from '../flows';
import {
  answerAs,
  answerChallenge,
  callCodeFor,
  desktopChrome,
  deviceBrowser,
  homeCountryOf,
  knowledgeOf,
  readQuestion,
  startAs,
} from '../requester';
import { columnsContaining, GENEROUS_LIMITS, movableClock } from './support';

// Root-level jest runs ignore the preset's testTimeout (a global option); builds alone can take seconds.
jest.setTimeout(30_000);

// The app's clock (link expiry, consumeLink, launch-token checks): the wall clock unless S3 moves it.
const clock = movableClock();
let t: TestApp;
let tickets: TicketRef[];
const seen = new Set<string>();
beforeAll(async () => {
  t = await build({ clock, env: GENEROUS_LIMITS });
  await t.startWorker({ pollInterval: 50 });
  tickets = ticketsWithContacts(t, 10);
});
afterEach(() => clock.thaw());
afterAll(() => t.close());

const linkRow = (token: string) =>
  t.db.db
    .selectFrom('verification_links')
    .selectAll()
    .where('token_hash', '=', createHash('sha256').update(token).digest())
    .executeTakeFirst();

describe('S1: link tokens are 256-bit random values, and only their hash is stored', () => {
  it('S1: the token is 43 base64url chars (256 bits), the database holds its SHA-256 and never the token or link (except the dev outbox)', async () => {
    const { link, token } = await freshLink(t, tickets[0]!, { seen });
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(link).toBe(`${t.config.publicBaseUrl}/v/${token}`);

    // The link row is found by the token's SHA-256, and that is the only form of the token it holds.
    const row = await linkRow(token);
    expect(row).toBeDefined();
    expect(row!.token_hash).toEqual(createHash('sha256').update(token).digest());

    // Scan every text/json/bytea column of every table for the token (as text, as bytes, and its decoded bytes)
    // and for the link: only the development transport's outbox, by design, may hold them.
    const raw = Buffer.from(token, 'base64url');
    const tokenHits = await columnsContaining(t, token, [raw]);
    const linkHits = await columnsContaining(t, link);
    const outbox = (hits: string[]) => hits.filter((h) => h.startsWith('public.dev_messages.'));
    expect(tokenHits.filter((h) => !h.startsWith('public.dev_messages.'))).toEqual([]);
    expect(linkHits.filter((h) => !h.startsWith('public.dev_messages.'))).toEqual([]);
    // The exception is real (the scan does find what is there), and it is only the demo transport's table.
    expect(outbox(tokenHits)).toEqual(
      expect.arrayContaining(['public.dev_messages.text_body', 'public.dev_messages.link']),
    );
    expect(outbox(linkHits)).toEqual(
      expect.arrayContaining(['public.dev_messages.text_body', 'public.dev_messages.link']),
    );
  });

  it('S1: tokens are not UUIDs and do not repeat', async () => {
    const a = await freshLink(t, tickets[1]!, { seen });
    const b = await freshLink(t, tickets[2]!, { seen });
    for (const tok of [a.token, b.token]) expect(tok).not.toMatch(/^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}/i);
    expect(a.token).not.toBe(b.token);
    // A token of the right shape that was never issued, and one a character off, open nothing.
    const phone = new Browser();
    const flipped = a.token.slice(0, -1) + (a.token.endsWith('A') ? 'B' : 'A');
    expect((await phone.get(`${t.url}/v/${flipped}`)).status).toBe(404);
    expect((await phone.get(`${t.url}/v/${'A'.repeat(43)}`)).status).toBe(404);
  });
});

describe('S4: single use, atomically', () => {
  it('S4: 50 parallel redemptions of one link (same browser, valid CSRF) → exactly one 303 and 49 × 410', async () => {
    const ticket = tickets[3]!;
    const { agent, link, publicId, token } = await freshLink(t, ticket, { seen });
    const device = desktopChrome(homeCountryOf(t, ticket.caller.sys_id));
    const phone = deviceBrowser(device);
    const csrf = await open(phone, link);

    const results = await Promise.all(Array.from({ length: 50 }, () => startAs(phone, link, csrf, device)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 303)).toHaveLength(1);
    expect(statuses.filter((s) => s === 410)).toHaveLength(49);
    expect(results.find((r) => r.status === 303)!.location).toBe('/v/challenge');

    // One start in the audit trail, one consumed link, one challenge.
    const row = () =>
      t.db.db
        .selectFrom('verifications')
        .selectAll()
        .where('public_id', '=', publicId)
        .executeTakeFirstOrThrow();
    const v = await row();
    expect({ state: v.state, step: v.step }).toEqual({ state: 'in_progress', step: 'challenge' });
    const auditOf = (type: string) =>
      t.db.db
        .selectFrom('audit_events')
        .select('id')
        .where('verification_id', '=', v.id)
        .where('type', '=', type)
        .execute();
    expect(await auditOf('verification.started')).toHaveLength(1);
    expect(await auditOf('verification.decided')).toHaveLength(0);
    expect(
      await t.db.db
        .selectFrom('verification_challenges')
        .select(['verification_id', 'position'])
        .where('verification_id', '=', v.id)
        .execute(),
    ).toEqual([{ verification_id: v.id, position: 0 }]);
    expect((await linkRow(token))!.used_at).not.toBeNull();

    // The one requester who got in answers the challenge; the verification is decided once.
    const run = await answerChallenge(
      t,
      phone,
      answerAs(knowledgeOf(t, ticket.caller.sys_id), await callCodeFor(t, agent)),
    );
    expect(run.final.status).toBe(200);
    expect((await row()).state).toBe('passed');
    expect(await auditOf('verification.started')).toHaveLength(1);
    expect(await auditOf('verification.decided')).toHaveLength(1);

    // The ticket gets exactly one start note and one outcome note (once the write-back outbox has drained).
    await eventually(async () => {
      const open = await t.db.db
        .selectFrom('writeback_events')
        .select('id')
        .where('verification_id', '=', v.id)
        .where('status', '<>', 'delivered')
        .execute();
      return open.length === 0;
    });
    const notes = t.standin.store
      .query('sys_journal_field', `element_id=${ticket.sys_id}^element=work_notes`)
      .map((r) => String(r.value))
      .filter((n) => n.includes(publicId));
    expect(notes.filter((n) => n.includes('Passed, risk level'))).toHaveLength(1);
    expect(notes.filter((n) => n.includes('started verification'))).toHaveLength(1);
    expect(t.standin.store.get('incident', ticket.sys_id)?.x_imper_verify_status).toBe('passed');
  });
});

describe('S7: GET never consumes a link; state changes only on POST with a verified anti-CSRF value', () => {
  it('S7: GET and HEAD of a link, many times over, leave it usable', async () => {
    const { link, token, publicId } = await freshLink(t, tickets[4]!, { seen });
    const scanner = new Browser(); // a mail scanner or link preview: no cookies of the requester's
    for (let i = 0; i < 5; i++) {
      expect((await scanner.get(link)).status).toBe(200);
      expect((await scanner.request(link, { method: 'HEAD' })).status).toBe(200);
      expect((await fetch(link, { method: 'HEAD', redirect: 'manual' })).status).toBe(200);
    }
    const row = await linkRow(token);
    expect(row!.used_at).toBeNull();
    expect(row!.fetched_at).not.toBeNull(); // the fetch is recorded, but is not use (nor an open: issue 8)
    expect(row!.opened_at).toBeNull();
    const v = await t.db.db
      .selectFrom('verifications')
      .select('state')
      .where('public_id', '=', publicId)
      .executeTakeFirstOrThrow();
    expect(v.state).toBe('sent');

    // The requester, on another device, still verifies.
    const phone = new Browser();
    const res = await start(phone, link, await open(phone, link));
    expect(res.status).toBe(303);
  });

  it('S7: POST start without the value, with a wrong one, or one minted for another browser or another link → 403 CSRF_FAILED, link still works', async () => {
    const { link } = await freshLink(t, tickets[5]!, { seen });
    const other = await freshLink(t, tickets[6]!, { seen });
    const phone = new Browser();
    const csrf = await open(phone, link);
    const csrfForOtherLink = await open(phone, other.link); // same browser nonce, other link
    const attacker = new Browser();
    const attackerCsrf = await open(attacker, link); // same link, another browser's nonce

    const expectCsrfFailed = async (res: Awaited<ReturnType<typeof start>>) => {
      expect(res.status).toBe(403);
      expect(res.text).toContain('Please try again'); // the CSRF_FAILED page
      expect(res.headers.getSetCookie().some((c) => c.includes('imper_requester'))).toBe(false);
    };
    await expectCsrfFailed(await start(phone, link, undefined)); // no value at all
    await expectCsrfFailed(await start(phone, link, '')); // empty
    await expectCsrfFailed(await start(phone, link, 'x'.repeat(43))); // wrong
    await expectCsrfFailed(await start(phone, link, csrf.slice(0, -1) + (csrf.endsWith('A') ? 'B' : 'A'))); // one character off
    await expectCsrfFailed(await start(phone, link, csrfForOtherLink)); // minted for another link
    await expectCsrfFailed(await start(phone, link, attackerCsrf)); // minted for another browser's nonce
    await expectCsrfFailed(await start(attacker, link, csrf)); // the victim's value from the attacker's browser
    // A cross-site form post carries no cookies (SameSite=Lax), and so no nonce.
    const crossSite = await fetch(`${link}/start`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      body: new URLSearchParams({ csrf }).toString(),
      redirect: 'manual',
    });
    expect(crossSite.status).toBe(403);

    // None of that used the link: the right value from the right browser still works, once.
    expect((await phone.get(link)).status).toBe(200);
    const ok = await start(phone, link, hiddenField((await phone.get(link)).text, 'csrf'));
    expect(ok.status).toBe(303);
    expect((await start(phone, link, csrf)).status).toBe(410);
  });

  it('S7: the agent JSON API refuses state changes without the right x-csrf-token (403), and changes nothing', async () => {
    const ticket = tickets[7]!;
    const agent = await agentOn(t, { ticket });
    const other = await agentOn(t, { ticket }); // another session of the same agent on the same ticket
    const { csrf } = await ticketView(t, agent);
    const otherCsrf = (await ticketView(t, other)).csrf;
    expect(otherCsrf).not.toBe(csrf);

    const post = (path: string, headers: Record<string, string>, json?: unknown) =>
      agent.request(`${t.url}${path}`, {
        method: 'POST',
        headers: { accept: 'application/json', ...headers },
        ...(json ? { json } : {}),
      });
    const body = { channel: 'email', contactKey: 'email' };
    for (const headers of [
      {},
      { 'x-csrf-token': '' },
      { 'x-csrf-token': 'wrong' },
      { 'x-csrf-token': otherCsrf },
    ] as Array<Record<string, string>>) {
      const res = await post('/agent/api/verifications', headers, body);
      expect(res.status).toBe(403);
      expect(res.json().error.code).toBe('CSRF_FAILED');
    }
    expect(
      await t.db.db
        .selectFrom('verifications')
        .select('id')
        .where('ticket_sys_id', '=', ticket.sys_id)
        .execute(),
    ).toHaveLength(0);

    const publicId = await send(t, agent, { channel: 'email', contactKey: 'email' });
    for (const op of ['resend', 'cancel']) {
      for (const headers of [{}, { 'x-csrf-token': 'wrong' }, { 'x-csrf-token': otherCsrf }] as Array<
        Record<string, string>
      >) {
        const res = await post(`/agent/api/verifications/${publicId}/${op}`, headers);
        expect(res.status).toBe(403);
        expect(res.json().error.code).toBe('CSRF_FAILED');
      }
    }
    // The HTML form posts need the value too.
    for (const form of [{ csrf: 'wrong' }, {}] as Array<Record<string, string>>) {
      const res = await agent.request(`${t.url}/agent/verifications/${publicId}/cancel`, {
        method: 'POST',
        form,
      });
      expect(res.status).toBe(403);
      expect(res.text).toContain('Please try again');
    }
    const formSend = await agent.request(`${t.url}/agent/send`, {
      method: 'POST',
      form: { contact: 'email:email' },
    });
    expect(formSend.status).toBe(403);
    const v = await t.db.db
      .selectFrom('verifications')
      .select(['state'])
      .where('public_id', '=', publicId)
      .executeTakeFirstOrThrow();
    expect(['sending', 'sent']).toContain(v.state);
    expect(
      await t.db.db
        .selectFrom('deliveries')
        .innerJoin('verifications', 'verifications.id', 'deliveries.verification_id')
        .select('deliveries.id')
        .where('public_id', '=', publicId)
        .execute(),
    ).toHaveLength(1);
    // And with the right value, the same call works.
    const ok = await post(`/agent/api/verifications/${publicId}/cancel`, { 'x-csrf-token': csrf });
    expect(ok.status).toBe(200);
    expect(ok.json().state).toBe('canceled');
  });
});

const TTL_MS = 10 * 60_000;

describe('S3: link lifetime', () => {
  it('S3: a link works at TTL − 1 s (GET 200, POST start 303) and is refused at expiry (GET 410 page, POST 410)', async () => {
    expect(t.config.linkTtlMinutes).toBe(10); // the default
    // Both links are sent at one instant of the app's clock.
    const sentAt = Date.now();
    clock.freeze(sentAt);
    const agentA = await agentOn(t, { ticket: tickets[8]! });
    const agentB = await agentOn(t, { ticket: tickets[9]! });
    await send(t, agentA, { channel: 'email', contactKey: 'email' });
    await send(t, agentB, { channel: 'sms', contactKey: 'mobile_phone' });
    const linkA = (await messageTo(t, tickets[8]!.caller.email)).link;
    const linkB = (await messageTo(t, tickets[9]!.caller.mobile_phone)).link;
    // The agent is told when the link expires: ten minutes after sending, on the app's clock; the links agree.
    expect(new Date((await ticketView(t, agentA)).verification!.linkExpiresAt).getTime()).toBe(
      sentAt + TTL_MS,
    );
    for (const l of [linkA, linkB])
      expect((await linkRow(tokenOf(l)))!.expires_at.getTime()).toBe(sentAt + TTL_MS);

    // The requester of B opened the page in time (so has a valid anti-CSRF value) but presses Start too late.
    const phoneB = new Browser();
    const csrfB = await open(phoneB, linkB);

    // One second before expiry: still fine.
    clock.freeze(sentAt + TTL_MS - 1000);
    const phoneA = new Browser();
    const landingA = await phoneA.get(linkA);
    expect(landingA.status).toBe(200);
    const csrfA = await open(phoneA, linkA);
    const startedA = await start(phoneA, linkA, csrfA);
    expect(startedA.status).toBe(303);
    expect(startedA.location).toBe('/v/challenge');
    const questionA = await phoneA.get(`${t.url}${startedA.location}`);
    expect(questionA.status).toBe(200);
    expect(readQuestion(questionA.text).kind).toBe('call_code'); // the challenge is open: Start was accepted

    // At expiry: the page says so, and Start is refused.
    clock.freeze(sentAt + TTL_MS);
    const expiredPage = await phoneB.get(linkB);
    expect(expiredPage.status).toBe(410);
    expect(expiredPage.headers.get('content-type')).toMatch(/^text\/html/);
    expect(expiredPage.text).toContain('This link has expired');
    expect(expiredPage.text).toContain('Ask your helpdesk agent to send you a new one');
    const lateStart = await start(phoneB, linkB, csrfB);
    expect(lateStart.status).toBe(410);
    expect(lateStart.text).toContain('This link has expired');
    expect(lateStart.headers.getSetCookie().some((c) => c.includes('imper_requester'))).toBe(false);
    const v = await t.db.db
      .selectFrom('verifications')
      .select('state')
      .where('ticket_sys_id', '=', tickets[9]!.sys_id)
      .executeTakeFirstOrThrow();
    expect(v.state).not.toBe('in_progress');
    expect(v.state).not.toBe('passed');
    const link = await t.db.db
      .selectFrom('verification_links')
      .innerJoin('verifications', 'verifications.id', 'verification_links.verification_id')
      .select('verification_links.used_at')
      .where('verifications.ticket_sys_id', '=', tickets[9]!.sys_id)
      .executeTakeFirstOrThrow();
    expect(link.used_at).toBeNull();

    // And later still.
    clock.freeze(sentAt + TTL_MS + 60 * 60_000);
    expect((await phoneB.get(linkB)).status).toBe(410);
  });

  it('S3: LINK_TTL_MINUTES is bounded (2..60); values outside are refused at boot with a message naming it', () => {
    const base = {
      APP_ENV: 'test',
      DATA_ENCRYPTION_KEY: secret(),
      TENANTS: JSON.stringify([
        {
          slug: 'dev',
          name: 'Acme',
          instanceUrl: 'http://localhost:8081',
          auth: { type: 'basic', username: 'u', password: 'p' },
          launchSecret: secret(),
        },
      ]),
    };
    expect(loadConfig(base).linkTtlMinutes).toBe(10);
    expect(loadConfig({ ...base, LINK_TTL_MINUTES: '2' }).linkTtlMinutes).toBe(2);
    expect(loadConfig({ ...base, LINK_TTL_MINUTES: '60' }).linkTtlMinutes).toBe(60);
    for (const bad of ['0', '1', '61', '1440', '-5', '10.5', 'ten', '1e3']) {
      let err: unknown;
      try {
        loadConfig({ ...base, LINK_TTL_MINUTES: bad });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toContain('LINK_TTL_MINUTES');
    }
  });
});
