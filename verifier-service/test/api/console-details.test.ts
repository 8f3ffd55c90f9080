// GET /console/verifications/:id, the link the ticket's imper.ai fields point to after an outcome: the agent working
// on the ticket (launch cookie for that tenant and ticket) sees the outcome and a timeline of plain steps, never
// scores, reasons, signals, IP addresses, user agents or the full destination (S19); everyone else gets one and the
// same 401 page, whether or not the verification exists.
import { startDevInstance, type DevInstance } from '@imper/dev-instance';
import { build, DEMO_TICKET, secret, type TestApp } from '../helper';
import { Browser, eventually } from '../browser-client';
import {
  agentOn,
  freshLink,
  launch,
  launchToken,
  send,
  ticketsWithContacts,
  ticketView,
  type TicketRef,
} from '../flows';
import { verifyAsGenuine } from '../requester';
import { esc } from '@imper/portal';
import { cookieName } from '../../src/lib/cookies';

let t: TestApp;
let ticket: TicketRef;
let other: TicketRef;
let agent: Browser;
let publicId: string;

const details = (who: Browser, id: string, headers?: Record<string, string>) =>
  who.get(`${t.url}/console/verifications/${id}`, headers);

beforeAll(async () => {
  t = await build();
  await t.startWorker({ pollInterval: 50 });
  [ticket, other] = ticketsWithContacts(t, 2) as [TicketRef, TicketRef];
  expect(ticket.sys_id).toBe(DEMO_TICKET.sys_id);
  const fresh = await freshLink(t, ticket, { channel: 'sms' });
  agent = fresh.agent;
  publicId = fresh.publicId;
  // The genuine requester: Start, the call code and every knowledge question right.
  const run = await verifyAsGenuine(t, agent, fresh.link, ticket.caller.sys_id);
  expect(run.final.status).toBe(200);
  // Outcome on the ticket, and the three ticket updates (sent, in progress, outcome) recorded.
  await eventually(
    async () => t.standin.store.get('incident', ticket.sys_id)?.x_imper_verify_status === 'passed',
  );
  await eventually(
    async () =>
      ((await details(agent, publicId)).text.match(/data-event="ticketUpdated"/g) ?? []).length >= 3,
  );
}, 60_000);
afterAll(() => t?.close());

describe('GET /console/verifications/:id (agent details page)', () => {
  it('shows the agent on the ticket the outcome, the facts and a timeline of plain steps, from the link on the ticket', async () => {
    const link = String(t.standin.store.get('incident', ticket.sys_id)?.x_imper_verify_verification);
    expect(link).toBe(`${t.url}/console/verifications/${publicId}`);
    const res = await agent.get(link);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(res.headers.get('content-security-policy')).not.toMatch(/unsafe-inline/);
    const html = res.text;
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)/); // no inline script
    expect(html).not.toMatch(/<style|\sstyle=/); // no inline style

    expect(html).toContain(`Verification ${publicId}`);
    expect(html).toContain(ticket.number);
    expect(html).toContain(esc(DEMO_TICKET.short_description));
    expect(html).toContain(esc(ticket.caller.name));
    expect(html).toMatch(/data-row="status">.*Passed/);
    expect(html).toMatch(/data-row="risk">.*Verified/);
    expect(html).toContain('User verified successfully - Proceed with action');
    expect(html).toContain('Beth Anglin');
    const view = await ticketView(t, agent);
    expect(view.verification?.id).toBe(publicId);
    expect(html).toMatch(
      new RegExp(
        `data-row="destination">.*SMS.*${esc(view.verification!.destinationMasked).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
      ),
    );
    expect(html).toMatch(/data-row="created">.*<time class="local-time" datetime="\d{4}-\d\d-\d\dT/);
    expect(html).toMatch(/data-row="completed">.*<time/);

    // Timeline: the verification's own audit events, in order, as human-readable steps with machine-readable times.
    const steps = [
      ...html.matchAll(
        /<li data-event="([a-zA-Z]+)"><span class="step-label">([^<]+)<\/span> · <time class="local-time" datetime="([^"]+)"/g,
      ),
    ];
    const kinds = steps.map((m) => m[1]);
    for (const k of ['created', 'sent', 'opened', 'started', 'decided', 'ticketUpdated'])
      expect(kinds).toContain(k);
    expect(kinds.indexOf('created')).toBe(0);
    expect(kinds.indexOf('sent')).toBeLessThan(kinds.indexOf('opened'));
    expect(kinds.indexOf('opened')).toBeLessThan(kinds.indexOf('started'));
    expect(kinds.indexOf('started')).toBeLessThan(kinds.indexOf('decided'));
    expect(kinds).not.toContain('launched'); // agent.launched is not this verification's event
    expect(steps.find((m) => m[1] === 'decided')?.[2]).toBe('Outcome: Passed');
    expect(steps.find((m) => m[1] === 'opened')?.[2]).toBe('Requester opened the link');
    const times = steps.map((m) => Date.parse(m[3]!));
    expect(times.every((x) => !Number.isNaN(x))).toBe(true);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('never shows scores, reasons, signals, IP addresses, user agents or the full destination', async () => {
    const html = (await details(agent, publicId)).text;
    const row = await t.db.db
      .selectFrom('verifications')
      .selectAll()
      .where('public_id', '=', publicId)
      .executeTakeFirstOrThrow();
    const events = await t.db.db
      .selectFrom('audit_events')
      .select(['type', 'data'])
      .where('verification_id', '=', row.id)
      .execute();
    const data = (type: string) =>
      (events.find((e) => e.type === type)?.data ?? {}) as Record<string, unknown>;
    const decided = data('verification.decided');
    const startedData = data('verification.started');
    expect(decided.score).toBeDefined();
    expect(startedData.ip).toBeTruthy();

    expect(html).not.toMatch(/score|reasons|signal|destination_not_on_file|user.?agent/i);
    expect(html).not.toContain(String(startedData.ip));
    expect(html).not.toContain('127.0.0.1');
    if (startedData.userAgent) expect(html).not.toContain(esc(startedData.userAgent));
    for (const reason of [...((decided.reasons as string[]) ?? []), ...(row.reasons as unknown as string[])])
      expect(html).not.toContain(reason);
    expect(html).not.toContain(ticket.caller.mobile_phone);
    expect(html).not.toContain(ticket.caller.mobile_phone.replace(/^\+/, ''));
    expect(html).not.toContain(ticket.caller.email);
    expect(html).not.toContain(ticket.caller.sys_id);
    expect(html).not.toContain(row.destination_sealed);
  });

  it('speaks French when the browser asks for it', async () => {
    const res = await details(agent, publicId, { 'accept-language': 'fr-FR,fr;q=0.9,en;q=0.5' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('<html lang="fr">');
    expect(res.text).toContain('Vérification ' + publicId);
    expect(res.text).toContain('Résultat : Réussie');
    expect(res.text).toContain('Chronologie');
  });

  it('answers 401 with identical bodies for a garbage cookie, an unknown id, and another ticket’s session (no session at all: sign in)', async () => {
    const anonymous = new Browser();
    const otherTicketAgent = await agentOn(t, { ticket: other });
    // Nobody signed in at all: the console's sign-in, which comes back to this page (issue 11 §3)
    for (const id of [publicId, 'VRF-222222']) {
      const r = await details(anonymous, id);
      expect(r.status).toBe(303);
      expect(r.headers.get('location')).toBe(
        `/console/login?next=${encodeURIComponent(`/console/verifications/${id}`)}`,
      );
    }
    const answers = [
      await anonymous.get(`${t.url}/console/verifications/${publicId}`, {
        cookie: `${cookieName(t.config, 'agent')}=${'x'.repeat(43)}`,
      }),
      await details(agent, 'VRF-222222'), // unknown id, valid session
      await details(otherTicketAgent, publicId), // real id, session for another ticket of the same tenant
      await details(otherTicketAgent, 'VRF-222223'),
    ];
    for (const r of answers) {
      expect(r.status).toBe(401);
      expect(r.headers.get('content-type')).toMatch(/^text\/html/);
      expect(r.headers.get('cache-control')).toBe('no-store');
      expect(r.text).toBe(answers[0]!.text);
    }
    const page = answers[0]!.text;
    expect(page).toContain(
      'Open the ticket in ServiceNow and click the imper.ai link to view this verification; security staff will see full details in the imper.ai console.',
    );
    expect(page).not.toContain(publicId);
    expect(page).not.toContain(ticket.number);
    // The session for the other ticket still works there: it is the ticket, not the session, that is refused.
    expect((await ticketView(t, otherTicketAgent)).csrf).toBeTruthy();
  });

  it('refuses ids that are not verification ids with a 400 page, and other methods without a 5xx', async () => {
    for (const id of ['vrf-abcdef', 'VRF-ABCDE1', 'VRF-ABCDEFG', '..', '%00']) {
      const res = await details(agent, id);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.text).toMatch(/<html/);
      expect(res.text).not.toContain(ticket.number);
    }
    const post = await agent.request(`${t.url}/console/verifications/${publicId}`, {
      method: 'POST',
      form: {},
    });
    expect(post.status).toBe(404);
  });
});

describe('GET /console/verifications/:id across tenants', () => {
  // Two ServiceNow instances, seeded alike: the demo ticket has the same sys_id in both, so only the tenant differs.
  let two: TestApp;
  const standins: DevInstance[] = [];
  const tenants: Array<{ standin: DevInstance; launchSecret: Buffer }> = [];
  const agentOf = async (i: number) => {
    const who = new Browser();
    await launch(two, who, launchToken(tenants[i]!));
    return who;
  };

  beforeAll(async () => {
    const configs = [];
    for (const slug of ['alpha', 'beta']) {
      const launchSecret = secret();
      const password = secret(18);
      const standin = await startDevInstance({
        port: 0,
        adminPassword: secret(12),
        agentPassword: secret(12),
        integration: { password, oauthClientId: `client-${slug}`, oauthClientSecret: secret(18) },
        launch: { secret: launchSecret, serviceUrl: 'http://127.0.0.1:1' },
      });
      standins.push(standin);
      tenants.push({ standin, launchSecret: Buffer.from(launchSecret, 'base64') });
      configs.push({
        slug,
        name: `${slug} helpdesk`,
        instanceUrl: standin.url,
        auth: { type: 'basic', username: 'imper.integration', password },
        launchSecret,
      });
    }
    two = await build({ env: { TENANTS: JSON.stringify(configs) } });
  }, 60_000);
  afterAll(async () => {
    await two?.close();
    await Promise.all(standins.map((s) => s.close()));
  });

  it("answers another tenant's verification with the same 401 page, even on a ticket with the same sys_id", async () => {
    const agentA = await agentOf(0);
    const agentB = await agentOf(1);
    const idA = await send(two, agentA, { channel: 'email', contactKey: 'email' });
    const idB = await send(two, agentB, { channel: 'sms', contactKey: 'mobile_phone' });
    const own = await agentA.get(`${two.url}/console/verifications/${idA}`);
    expect(own.status).toBe(200);
    expect(own.text).toContain(idA);
    const theirs = await agentA.get(`${two.url}/console/verifications/${idB}`);
    const garbage = await new Browser().get(`${two.url}/console/verifications/${idB}`, {
      cookie: `${cookieName(two.config, 'agent')}=${'x'.repeat(43)}`,
    });
    expect(theirs.status).toBe(401);
    expect(garbage.status).toBe(401);
    expect(theirs.text).toBe(garbage.text);
    expect(theirs.text).not.toContain(idB);
    expect((await agentB.get(`${two.url}/console/verifications/${idB}`)).status).toBe(200);
  });
});
