// F8 console API (CONTRACTS.md "Console", issue 11 §2): the Verifications list (filters, search, keyset paging, the
// signed cursor, limit bounds), the CSV (header, rows, formula escaping, filters), one verification's details for a
// passed and a failed run (analysis sections, transcript, timeline), and SECURITY.md S18: one tenant never reads
// another's rows; no console session → 401.
import { randomBytes } from 'node:crypto';
import type { ConsoleVerificationDetails, ConsoleVerificationList } from '@imper/shared';
import { build, type TestApp } from '../helper';
import { Browser, eventually } from '../browser-client';
import { ConsoleBrowser, consoleSignIn, consoleUser } from '../console';
import { passedAndFailed } from '../requester';
import { cookieName } from '../../src/lib/cookies';
import { sealedRequesterEmail } from '../../src/lib/crypto';
import { insertVerification } from '../../src/repositories/verifications';
import { createConsoleSession } from '../../src/services/console-auth';

let t: TestApp;
let tenantA: string;
let tenantB: string;
let admin: ConsoleBrowser;
let auditor: ConsoleBrowser;
let otherTenantUser: ConsoleBrowser;
let passedId: string;
let failedId: string;
const seen = new Set<string>();
let seq = 0;

const SAME_TIME = new Date('2026-03-01T10:00:00.000Z');

/** A verification row written straight into the database (list tests need many, and exact times). */
async function row(
  tenantId: string,
  o: Partial<{
    state: 'passed' | 'failed' | 'sent' | 'timed_out';
    riskLevel: 'verified' | 'medium' | 'high' | null;
    category: string;
    name: string;
    email: string;
    subject: string;
    number: string;
    agent: string;
    initiatedBy: 'agent' | 'self_service' | 'api';
    createdAt: Date;
  }> = {},
) {
  const i = ++seq;
  const v = await insertVerification(t.deps.db, {
    publicId: `VRF-${randomBytes(6)
      .toString('hex')
      .toUpperCase()
      .replace(/[01IO]/g, 'Z')
      .replace(/[^2-9A-HJ-NP-Z]/g, 'Z')
      .slice(0, 6)}`,
    tenantId,
    state: o.state ?? 'passed',
    ticketTable: 'incident',
    ticketSysId: randomBytes(16).toString('hex'),
    ticketNumber: o.number ?? `INC9${String(i).padStart(6, '0')}`,
    ticketSubject: o.subject ?? 'Password reset',
    ticketCategory: o.category ?? 'inquiry',
    requesterSysId: randomBytes(16).toString('hex'),
    requesterName: o.name ?? `Listed Person ${i}`,
    ...sealedRequesterEmail(t.deps, o.email ?? `listed.${i}@example.com`),
    requesterUserName: `listed.${i}`,
    agentUserName: o.initiatedBy && o.initiatedBy !== 'agent' ? '' : (o.agent ?? 'agent.alpha'),
    agentName: o.initiatedBy && o.initiatedBy !== 'agent' ? '' : 'Alpha Agent',
    initiatedBy: o.initiatedBy ?? 'agent',
    channel: 'email',
    destinationSealed: t.deps.sealer.seal('x@example.com'),
    destinationMasked: 'x•••@example.com',
    destinationHash: randomBytes(32),
    destinationKey: 'email',
    destinationOnFile: true,
    riskLevel: o.riskLevel === undefined ? 'verified' : o.riskLevel,
    createdAt: o.createdAt ?? new Date(Date.UTC(2026, 0, 1) + i * 60_000),
    deadlineAt: new Date(Date.UTC(2027, 0, 1)),
  });
  return v.publicId;
}

const list = async (b: Browser, query: Record<string, string | number> = {}) => {
  const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
  return b.get(`${t.url}/console/api/verifications${qs ? `?${qs}` : ''}`);
};
const listJson = async (b: Browser, query: Record<string, string | number> = {}) => {
  const res = await list(b, query);
  expect(res.status).toBe(200);
  return JSON.parse(res.text) as ConsoleVerificationList;
};
const details = async (b: Browser, id: string) => {
  const res = await b.get(`${t.url}/console/api/verifications/${id}`);
  expect(res.status).toBe(200);
  return JSON.parse(res.text) as ConsoleVerificationDetails;
};

beforeAll(async () => {
  t = await build();
  await t.startWorker({ pollInterval: 50 });
  tenantA = t.deps.tenants.all()[0]!.id;
  // A second tenant, as its row (its verifications are written directly below)
  const other = await t.deps.db
    .insertInto('tenants')
    .values({
      slug: 'other-tenant',
      name: 'Other helpdesk',
      instance_url: 'http://127.0.0.1:9',
      auth_type: 'basic',
      credentials_sealed: t.deps.sealer.seal('{}'),
      launch_secret_sealed: t.deps.sealer.seal('x'),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  tenantB = other.id;
  admin = await consoleSignIn(t, await consoleUser(t, 'admin'));
  auditor = await consoleSignIn(t, await consoleUser(t, 'auditor'));
  // The other tenant is no configured instance (so no sign-in form): its user gets a session as sign-in makes one
  const theirUser = await consoleUser(t, 'admin', { tenantId: tenantB });
  const session = await createConsoleSession(t.deps, { userId: theirUser.id, via: 'password' });
  otherTenantUser = new ConsoleBrowser();
  otherTenantUser.identity = { cookie: `${cookieName(t.config, 'console')}=${session.cookieValue}` };

  // Two real runs through the flows: one genuine (passed), one with every answer wrong (failed)
  ({ passedId, failedId } = await passedAndFailed(t, seen));
  await eventually(async () => (await details(admin, failedId)).status === 'failed');
}, 90_000);
afterAll(() => t?.close());

describe('GET /console/api/verifications', () => {
  it('answers 401 CONSOLE_SESSION_REQUIRED without a console session, on every console API route', async () => {
    const anon = new Browser();
    for (const path of [
      '/console/api/verifications',
      '/console/api/verifications.csv',
      `/console/api/verifications/${passedId}`,
    ]) {
      const res = await anon.get(`${t.url}${path}`);
      expect(res.status).toBe(401);
      expect(JSON.parse(res.text).error.code).toBe('CONSOLE_SESSION_REQUIRED');
    }
  });

  it('lists the newest first with the columns of the table, for every console role', async () => {
    const body = await listJson(auditor);
    const item = body.items.find((i) => i.publicId === passedId)!;
    expect(item).toMatchObject({
      status: 'passed',
      riskLevel: 'verified',
      initiatedBy: 'agent',
    });
    for (const k of [
      'publicId',
      'ticketNumber',
      'ticketSubject',
      'requesterName',
      'requesterEmail',
      'riskLevel',
      'status',
      'category',
      'initiatedBy',
      'createdAt',
      'completedAt',
    ])
      expect(item).toHaveProperty(k);
    expect(item.requesterEmail).toMatch(/@/);
    const times = body.items.map((i) => i.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect(body.count).toBeGreaterThanOrEqual(2);
    expect(body.countCapped).toBe(false);
  });

  it('filters by status, risk level, category, agent, initiator and dates', async () => {
    const cat = `cat-${randomBytes(3).toString('hex')}`;
    const hit = await row(tenantA, { state: 'failed', riskLevel: 'high', category: cat });
    await row(tenantA, { state: 'passed', riskLevel: 'verified', category: cat });
    await row(tenantA, { state: 'failed', riskLevel: 'medium', category: cat });
    const self = await row(tenantA, { category: cat, initiatedBy: 'self_service' });
    const ids = async (q: Record<string, string>) =>
      (await listJson(admin, { category: cat, ...q })).items.map((i) => i.publicId);
    expect(await ids({ status: 'failed', risk: 'high' })).toEqual([hit]);
    expect((await ids({ status: 'failed' })).length).toBe(2);
    expect((await ids({})).length).toBe(4);
    expect(await ids({ initiatedBy: 'self_service' })).toEqual([self]);
    expect((await ids({ agent: 'agent.alpha' })).length).toBe(3);
    expect(await ids({ from: '2030-01-01' })).toEqual([]);
    expect((await ids({ to: '2026-12-31' })).length).toBe(4);
    const selfItem = (await listJson(admin, { q: (await details(admin, self)).ticketNumber })).items[0]!;
    expect(selfItem).toMatchObject({ initiatedBy: 'self_service', agentName: '' });
  });

  it('searches by ticket number, verification ID, the start of the requester name, or an exact email (S19: stored sealed)', async () => {
    const number = `INC8${randomBytes(3).readUIntBE(0, 3).toString().padStart(6, '0')}`;
    const byNumber = await row(tenantA, {
      number,
      name: 'Zebedee Quartermain',
      email: 'zq.unique@example.com',
    });
    expect((await listJson(admin, { q: number })).items.map((i) => i.publicId)).toEqual([byNumber]);
    expect((await listJson(admin, { q: number.toLowerCase() })).items.map((i) => i.publicId)).toEqual([
      byNumber,
    ]);
    expect((await listJson(admin, { q: byNumber })).items.map((i) => i.publicId)).toEqual([byNumber]);
    expect((await listJson(admin, { q: 'zebedee q' })).items.map((i) => i.publicId)).toEqual([byNumber]);
    expect((await listJson(admin, { q: 'ZQ.Unique@Example.com' })).items.map((i) => i.publicId)).toEqual([
      byNumber,
    ]);
    expect((await listJson(admin, { q: 'zq.uniq@example.com' })).items).toEqual([]); // the whole address only
    const stored = await t.db.db
      .selectFrom('verifications')
      .select('requester_email_sealed')
      .where('public_id', '=', byNumber)
      .executeTakeFirstOrThrow();
    expect(stored.requester_email_sealed).not.toContain('zq.unique');
    // Wildcards are taken literally
    expect((await listJson(admin, { q: '%' })).items).toEqual([]);
    expect((await listJson(admin, { q: 'termain' })).items).toEqual([]); // a prefix search, not infix
    expect((await listJson(admin, { q: 'quartermain' })).items.map((i) => i.publicId)).toEqual([byNumber]); // surname
  });

  it('pages by keyset across rows with the same created_at: no duplicates, no gaps', async () => {
    const cat = `page-${randomBytes(3).toString('hex')}`;
    const made = new Set<string>();
    for (let i = 0; i < 23; i++) made.add(await row(tenantA, { category: cat, createdAt: SAME_TIME }));
    for (let i = 0; i < 4; i++) made.add(await row(tenantA, { category: cat }));
    for (const sort of ['newest', 'oldest']) {
      const got: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: ConsoleVerificationList = await listJson(admin, {
          category: cat,
          limit: 5,
          sort,
          ...(cursor ? { cursor } : {}),
        });
        expect(page.items.length).toBeLessThanOrEqual(5);
        got.push(...page.items.map((i) => i.publicId));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 20);
      expect(got.length).toBe(made.size);
      expect(new Set(got)).toEqual(made);
      expect(pages).toBe(6);
    }
  });

  it('refuses a tampered, foreign or malformed cursor with 400 CURSOR_INVALID, and limits outside 1–100 with 400', async () => {
    const page = await listJson(admin, { limit: 1 });
    const cursor = page.nextCursor!;
    const [body, mac] = cursor.split('.') as [string, string];
    const json = JSON.parse(Buffer.from(body, 'base64url').toString()) as unknown[];
    json[1] = '2099-01-01T00:00:00.000000';
    const forged = `${Buffer.from(JSON.stringify(json)).toString('base64url')}.${mac}`;
    for (const bad of [forged, `${body}.AAAA${mac.slice(4)}`, 'abc', `${body}.${mac}.x`]) {
      const res = await list(admin, { cursor: bad });
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text).error.code).toMatch(/CURSOR_INVALID|VALIDATION_FAILED/);
    }
    expect(JSON.parse((await list(admin, { cursor: forged })).text).error.code).toBe('CURSOR_INVALID');
    // A cursor of the newest-first list is not one of the oldest-first list
    expect((await list(admin, { cursor, sort: 'oldest' })).status).toBe(400);
    // Nor another tenant's
    expect((await list(otherTenantUser, { cursor })).status).toBe(400);
    for (const limit of [0, 101, -1, 'x']) expect((await list(admin, { limit })).status).toBe(400);
    expect((await listJson(admin, { limit: 100 })).items.length).toBeLessThanOrEqual(100);
    expect((await list(admin, { status: 'nope' })).status).toBe(400);
    expect((await list(admin, { from: '2026-02-31' })).status).toBe(400);
  });

  it("S18: never lists, searches, exports or details another tenant's rows", async () => {
    const theirs = await row(tenantB, { number: 'INC7000001', name: 'Other Tenant Person' });
    const mine = await listJson(admin, { limit: 100 });
    expect(mine.items.map((i) => i.publicId)).not.toContain(theirs);
    expect((await listJson(admin, { q: 'INC7000001' })).items).toEqual([]);
    expect((await listJson(admin, { q: theirs })).items).toEqual([]);
    expect((await listJson(admin, { q: 'Other Tenant' })).items).toEqual([]);
    expect((await admin.get(`${t.url}/console/api/verifications/${theirs}`)).status).toBe(404);
    expect((await admin.get(`${t.url}/console/api/verifications.csv?q=INC7000001`)).text).not.toContain(
      theirs,
    );
    // …and the other tenant sees only its own
    const theirList = await listJson(otherTenantUser, { limit: 100 });
    expect(theirList.items.map((i) => i.publicId)).toContain(theirs);
    expect(theirList.items.map((i) => i.publicId)).not.toContain(passedId);
    expect((await otherTenantUser.get(`${t.url}/console/api/verifications/${passedId}`)).status).toBe(404);
  });
});

describe('GET /console/api/verifications.csv', () => {
  it('streams the filtered list as text/csv with a header row, formula cells escaped', async () => {
    const cat = `csv-${randomBytes(3).toString('hex')}`;
    const evil = await row(tenantA, {
      category: cat,
      name: '=HYPERLINK("http://evil.example","x")',
      subject: '+1 call me',
      email: '@evil.example',
    });
    await row(tenantA, { category: cat, name: '-minus', state: 'failed', riskLevel: 'high' });
    await row(tenantA, { category: `${cat}-not` });
    const res = await auditor.get(`${t.url}/console/api/verifications.csv?category=${cat}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="verifications-/);
    const lines = res.text.trim().split('\n');
    expect(lines[0]).toBe(
      'publicId,ticketNumber,ticketSubject,requesterName,requesterEmail,riskLevel,status,category,initiatedBy,agentName,createdAt,completedAt',
    );
    expect(lines.length).toBe(3);
    const evilLine = lines.find((l) => l.startsWith(evil))!;
    expect(evilLine).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(evilLine).toContain("'+1 call me");
    expect(evilLine).toContain("'@evil.example");
    expect(res.text).toContain("'-minus");
    expect(res.text).not.toMatch(/,=|,\+|,@/);
    const failedOnly = await auditor.get(
      `${t.url}/console/api/verifications.csv?category=${cat}&status=failed`,
    );
    expect(failedOnly.text.trim().split('\n').length).toBe(2);
  });
});

describe('GET /console/api/verifications/:publicId', () => {
  it('details a passed verification: description, action, recommendation, analysis sections, transcript, timeline', async () => {
    const d = await details(auditor, passedId);
    expect(d).toMatchObject({
      publicId: passedId,
      status: 'passed',
      riskLevel: 'verified',
      initiatedBy: 'agent',
    });
    expect(d.recommendation).toBe('User verified successfully - Proceed with action');
    expect(typeof d.description).toBe('string');
    expect(d.ticketNumber).toMatch(/^INC/);
    expect(d.requesterEmail).toMatch(/@/);
    expect(d.action).toBeDefined();
    expect(d.actionStatus).toBeDefined();
    expect(d.analysis.available).toBe(true);
    for (const s of ['network', 'endpoint', 'persona', 'challenge'] as const) {
      expect(d.analysis[s]).toHaveProperty('score');
      expect(d.analysis[s]).toHaveProperty('signals');
    }
    expect(d.analysis.device).toHaveProperty('userAgent');
    expect(d.transcript.length).toBeGreaterThan(0);
    expect(d.transcript.every((e) => e.outcome === 'correct')).toBe(true);
    expect(d.transcript[0]!.question.length).toBeGreaterThan(5);
    expect(d.timeline.map((e) => e.type)).toEqual(expect.arrayContaining(['verification.created']));
    expect(d.deliveries.length).toBeGreaterThan(0);
    // Additional information about the user, from the instance's sys_user: contacts masked for an auditor
    expect(d.user?.source).toBe('servicenow');
    expect(d.user!.contacts.length).toBeGreaterThan(0);
    expect(d.user!.contacts.every((c) => c.masked)).toBe(true);
    const asAdmin = await details(admin, passedId);
    expect(asAdmin.user!.contacts.some((c) => !c.masked && c.value.includes('@'))).toBe(true);
  });

  it('details a failed verification: high risk, the reject recommendation, wrong answers in the transcript', async () => {
    const d = await details(admin, failedId);
    expect(d).toMatchObject({ status: 'failed', riskLevel: 'high' });
    expect(d.recommendation).toBe('High risk detected - Reject this request');
    expect(d.transcript.some((e) => e.outcome === 'wrong')).toBe(true);
    expect(d.analysis.challenge!.signals.length).toBeGreaterThan(0);
    expect(d.reasons.length).toBeGreaterThan(0);
  });

  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    expect((await admin.get(`${t.url}/console/api/verifications/VRF-222222`)).status).toBe(404);
    expect((await admin.get(`${t.url}/console/api/verifications/nope`)).status).toBe(400);
  });
});

describe('console pages (issue 11 §3)', () => {
  it('GET /console renders the table with the filters applied, a Next page link with the cursor and the CSV link', async () => {
    const cat = `page-html-${randomBytes(3).toString('hex')}`;
    for (let i = 0; i < 3; i++) await row(tenantA, { category: cat, state: 'failed', riskLevel: 'high' });
    const res = await auditor.get(`${t.url}/console?category=${cat}&limit=2`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<table class="verifications">');
    expect((res.text.match(/<tr data-id=/g) ?? []).length).toBe(2);
    expect(res.text).toMatch(/<span class="badge risk-high">High<\/span>/);
    expect(res.text).toContain(`href="/console/api/verifications.csv?category=${cat}&amp;limit=2"`);
    const next = /rel="next" data-role="next" href="([^"]+)"/.exec(res.text)![1]!.replace(/&amp;/g, '&');
    const second = await auditor.get(`${t.url}${next}`);
    expect((second.text.match(/<tr data-id=/g) ?? []).length).toBe(1);
    expect(res.text).toContain('<script src="/assets/console.js" defer></script>');
    // The filter form submits its blank fields too (name=): they filter nothing, on the page only
    const blank = await auditor.get(
      `${t.url}/console?q=&status=&risk=high&category=${cat}&initiatedBy=&from=&to=&sort=newest`,
    );
    expect(blank.status).toBe(200);
    expect((blank.text.match(/<tr data-id=/g) ?? []).length).toBe(3);
    expect((await list(auditor, { initiatedBy: '' })).status).toBe(400);
  });

  it('GET /console/verifications/:id shows security staff the console details; nobody signed in is sent to sign in', async () => {
    const page = await auditor.get(`${t.url}/console/verifications/${failedId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('High risk detected - Reject this request');
    for (const s of ['network', 'endpoint', 'persona', 'challenge', 'device'])
      expect(page.text).toContain(`data-section="${s}"`);
    expect(page.text).toContain('class="transcript"');
    const ok = await auditor.get(`${t.url}/console/verifications/${passedId}`);
    expect(ok.text).toContain('User verified successfully - Proceed with action');
    const anon = await new Browser().get(`${t.url}/console/verifications/${passedId}`);
    expect(anon.status).toBe(303);
    expect(anon.headers.get('location')).toBe(
      `/console/login?next=${encodeURIComponent(`/console/verifications/${passedId}`)}`,
    );
    expect((await otherTenantUser.get(`${t.url}/console/verifications/${passedId}`)).status).toBe(404);
  });
});
