// SECURITY.md S16: rate limits per IP, per verification (resends), per recipient and per agent, each answering
// 429 RATE_LIMITED with a Retry-After. Tiny limits so that each is reached in a few requests.
import { randomBytes } from 'node:crypto';
import { build, type TestApp } from '../helper';
import { Browser } from '../browser-client';
import { agentOn, agentOp, sendRaw, ticketsWithContacts, ticketView, type TicketRef } from '../flows';
import { rawRequest } from './support';

// Root-level jest runs ignore the preset's testTimeout (a global option); builds alone can take seconds.
jest.setTimeout(30_000);

// The per-IP limit is reached from another loopback address (127.0.0.2), so the other tests' requests (from
// 127.0.0.1, well under it) are not affected, which also shows the limit is per IP and not global.
const PER_IP = 150;
const LIMITS = {
  RATE_LIMIT_SENDS_PER_VERIFICATION: '2',
  RATE_LIMIT_SENDS_PER_RECIPIENT_PER_HOUR: '2',
  RATE_LIMIT_SENDS_PER_AGENT_PER_HOUR: '4',
  RATE_LIMIT_PER_IP_PER_MINUTE: String(PER_IP),
  // The test helper trusts loopback as a proxy (as the demo does, so that tests can present a requester's address);
  // here no proxy is trusted, as in a production configuration that names none, so X-Forwarded-For is a claim.
  TRUST_PROXY: '0',
};

let t: TestApp;
let tickets: TicketRef[];
beforeAll(async () => {
  t = await build({ env: LIMITS });
  tickets = ticketsWithContacts(t, 5);
});
afterAll(() => t.close());

type Res = Awaited<ReturnType<Browser['request']>>;
function expectLimited(res: Res, message: RegExp) {
  expect(res.status).toBe(429);
  expect(res.json().error).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringMatching(message) });
  const retryAfter = res.headers.get('retry-after');
  expect(retryAfter).toMatch(/^[0-9]+$/);
  expect(Number(retryAfter)).toBeGreaterThan(0);
}

const cancel = async (agent: Browser, id: string) =>
  expect((await agentOp(t, agent, id, 'cancel')).status).toBe(200);
const mailbox = (tag: string) => `${tag}.${randomBytes(4).toString('hex')}@example.org`;

describe('S16: rate limits', () => {
  it('S16: resends per verification are limited → 429 RATE_LIMITED with Retry-After', async () => {
    const agent = await agentOn(t, { ticket: tickets[0]!, sub: 'agent.per-verification' });
    const sent = await sendRaw(t, agent, { channel: 'email', contactKey: 'email' });
    expect(sent.status).toBe(201);
    const id = sent.json().id as string;
    expect((await agentOp(t, agent, id, 'resend')).status).toBe(200); // second message: the limit
    const third = await agentOp(t, agent, id, 'resend');
    expectLimited(third, /most times allowed/);
    // The send page's form post answers with the page, the same status and the Retry-After.
    const { csrf } = await ticketView(t, agent);
    const form = await agent.request(`${t.url}/agent/verifications/${id}/resend`, {
      method: 'POST',
      form: { csrf },
    });
    expect(form.status).toBe(429);
    expect(form.text).toContain('most times allowed');
    expect(Number(form.headers.get('retry-after'))).toBeGreaterThan(0);
    // Nothing was queued for the refused resend.
    const deliveries = await t.db.db
      .selectFrom('deliveries')
      .innerJoin('verifications', 'verifications.id', 'deliveries.verification_id')
      .select('deliveries.id')
      .where('public_id', '=', id)
      .execute();
    expect(deliveries).toHaveLength(2);
  });

  it('S16: sends per recipient are limited (however the address is spelled) → 429 with Retry-After; other recipients are unaffected', async () => {
    const agent = await agentOn(t, { ticket: tickets[1]!, sub: 'agent.per-recipient' });
    const victim = mailbox('victim');
    for (let i = 0; i < 2; i++) {
      const res = await sendRaw(t, agent, { channel: 'email', destination: victim });
      expect(res.status).toBe(201);
      await cancel(agent, res.json().id);
    }
    const [local, domain] = victim.split('@') as [string, string];
    expectLimited(
      await sendRaw(t, agent, { channel: 'email', destination: victim }),
      /destination has received several links/,
    );
    expectLimited(
      await sendRaw(t, agent, { channel: 'email', destination: `${local}@${domain.toUpperCase()}` }),
      /destination/,
    );
    // Another agent cannot get around it either: the limit is the recipient's.
    const other = await agentOn(t, { ticket: tickets[2]!, sub: 'agent.someone-else' });
    expectLimited(await sendRaw(t, other, { channel: 'email', destination: victim }), /destination/);
    // A different recipient is fine.
    const ok = await sendRaw(t, agent, { channel: 'email', destination: mailbox('someone') });
    expect(ok.status).toBe(201);
    await cancel(agent, ok.json().id);
  });

  it('issue 8 finding 6: plus-addressing (victim+1@…) and other spellings of one number do not dodge the per-recipient limit (S16)', async () => {
    const ticket = ticketsWithContacts(t, 13)[12]!;
    const agent = await agentOn(t, { ticket, sub: 'agent.plus-addressing' });
    const [local, domain] = mailbox('plus').split('@') as [string, string];
    for (const destination of [`${local}+1@${domain}`, `${local}+2@${domain}`]) {
      const res = await sendRaw(t, agent, { channel: 'email', destination });
      expect(res.status).toBe(201);
      await cancel(agent, res.json().id);
    }
    for (const destination of [
      `${local}@${domain}`,
      `${local}+3@${domain}`,
      `${local.toUpperCase()}+x@${domain}`,
    ])
      expectLimited(await sendRaw(t, agent, { channel: 'email', destination }), /destination/);
    // A phone number counts in its E.164 form, however it is typed.
    const other = await agentOn(t, { ticket, sub: 'agent.plus-addressing-sms' });
    for (const destination of ['+1 415 555 0142', '(415) 555-0142']) {
      const res = await sendRaw(t, other, { channel: 'sms', destination });
      expect(res.status).toBe(201);
      await cancel(other, res.json().id);
    }
    expectLimited(await sendRaw(t, other, { channel: 'sms', destination: '+14155550142' }), /destination/);
  });

  it('S16: parallel sends to one recipient from many tickets cannot slip past the per-recipient limit', async () => {
    const victim = mailbox('parallel');
    const agents = await Promise.all(
      ticketsWithContacts(t, 12)
        .slice(5)
        .map((ticket, i) => agentOn(t, { ticket, sub: `agent.parallel-${i}` })),
    );
    const csrfs = await Promise.all(agents.map((a) => ticketView(t, a).then((v) => v.csrf)));
    const results = await Promise.all(
      agents.map((a, i) => sendRaw(t, a, { channel: 'email', destination: victim }, csrfs[i])),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(2);
    expect(results.filter((r) => r.status === 429)).toHaveLength(agents.length - 2);
  });

  it('S16: parallel resends of one verification cannot slip past the per-verification limit', async () => {
    const agent = await agentOn(t, { ticket: tickets[4]!, sub: 'agent.parallel-resend' });
    const sent = await sendRaw(t, agent, { channel: 'email', destination: mailbox('resent') });
    expect(sent.status).toBe(201);
    const { csrf } = await ticketView(t, agent);
    const results = await Promise.all(
      Array.from({ length: 6 }, () => agentOp(t, agent, sent.json().id, 'resend', csrf)),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of results.filter((r) => r.status !== 200)) expectLimited(r, /most times allowed/);
  });

  it('S16: sends per agent are limited → 429 with Retry-After, on the JSON API and the send form alike; other agents are unaffected', async () => {
    const ticket = tickets[3]!;
    const agent = await agentOn(t, { ticket, sub: 'agent.busy' });
    for (let i = 0; i < 4; i++) {
      const res = await sendRaw(t, agent, { channel: 'email', destination: mailbox(`r${i}`) });
      expect(res.status).toBe(201);
      await cancel(agent, res.json().id);
    }
    expectLimited(
      await sendRaw(t, agent, { channel: 'email', destination: mailbox('r5') }),
      /You have sent many verification links/,
    );
    // The HTML send form answers the same limit with the page, and the same status and Retry-After.
    const { csrf } = await ticketView(t, agent);
    const form = await agent.request(`${t.url}/agent/send`, {
      method: 'POST',
      form: { csrf, contact: 'typed', channel: 'email', destination: mailbox('r6') },
    });
    expect(form.status).toBe(429);
    expect(form.text).toContain('You have sent many verification links');
    expect(Number(form.headers.get('retry-after'))).toBeGreaterThan(0);
    // A colleague on the same ticket is not limited by this agent's sends.
    const colleague = await agentOn(t, { ticket, sub: 'agent.colleague' });
    const ok = await sendRaw(t, colleague, { channel: 'email', destination: mailbox('r7') });
    expect(ok.status).toBe(201);
  });

  it('S16: requests per IP are limited → 429 with Retry-After, whatever X-Forwarded-For says; other IPs and health checks are unaffected', async () => {
    const from = (path: string, headers: Record<string, string> = {}) =>
      rawRequest(`${t.url}${path}`, {
        localAddress: '127.0.0.2',
        headers: { accept: 'text/html', ...headers },
      });
    const guess = () => `/v/${randomBytes(32).toString('base64url')}`;
    for (let i = 0; i < PER_IP; i += 25) {
      const batch = await Promise.all(Array.from({ length: Math.min(25, PER_IP - i) }, () => from(guess())));
      expect(batch.map((r) => r.status)).toEqual(batch.map(() => 404));
    }
    const page = await from(guess());
    expect(page.status).toBe(429);
    expect(page.text).toContain('Too many attempts');
    expect(Number(page.headers['retry-after'])).toBeGreaterThan(0);
    const api = await from('/agent/api/ticket', { accept: 'application/json' });
    expect(api.status).toBe(429);
    expect(JSON.parse(api.text).error.code).toBe('RATE_LIMITED');
    expect(Number(api.headers['retry-after'])).toBeGreaterThan(0);
    // Claiming to be someone else in a header does not help (no proxy is trusted unless TRUST_PROXY names it).
    expect(
      (await from('/agent/api/ticket', { 'x-forwarded-for': '203.0.113.7', 'x-real-ip': '203.0.113.8' }))
        .status,
    ).toBe(429);
    expect((await from(`/agent/launch?token=${'x'.repeat(40)}`)).status).toBe(429);
    expect((await from('/health/live')).status).toBe(200);
    // Another client is not limited by this one.
    expect((await new Browser().get(`${t.url}${guess()}`)).status).toBe(404);
  });
});
