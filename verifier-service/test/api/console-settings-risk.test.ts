// Settings → Risk thresholds (issue 11 §6, F8): admins set the thresholds for all requests and per request category,
// every route is admin only, bad pairs are refused with RISK_THRESHOLDS_INVALID (nothing saved), every change is an
// audit event, one tenant never sees or changes another's (S18) — and the next decision uses them: the same kind of
// genuine run through the real flow is Verified before and High after the thresholds are lowered.
import { build, type TestApp } from '../helper';
import { Browser, hiddenField } from '../browser-client';
import { ConsoleBrowser, consoleSignIn, consoleUser } from '../console';
import { otherTenant } from '../console/rows';
import { freshLink, ticketsWithContacts, type TicketRef } from '../flows';
import { desktopChrome, homeCountryOf, verifyAsGenuine, HOME } from '../requester';
import { cookieName } from '../../src/lib/cookies';
import { sha256 } from '../../src/lib/crypto';
import { consoleCsrf, createConsoleSession } from '../../src/services/console-auth';

let t: TestApp;
let admin: ConsoleBrowser;
let adminName: string;
let operator: ConsoleBrowser;
let auditor: ConsoleBrowser;
let tenantA: string;
let tenantB: string;
let otherAdmin: ConsoleBrowser;
const seen = new Set<string>();

const API = '/console/api/settings/risk';
const PAGE = '/console/settings/risk';

beforeAll(async () => {
  // A configured category (with its own pair) besides the categories of the stand-in's policies
  t = await build({ tenant: { risk: { categories: { printers: { thresholds: { medium: 2, high: 6 } } } } } });
  await t.startWorker({ pollInterval: 50 });
  tenantA = t.deps.tenants.all()[0]!.id;
  const a = await consoleUser(t, 'admin', { name: 'Rita Risk' });
  adminName = a.username;
  admin = await consoleSignIn(t, a);
  operator = await consoleSignIn(t, await consoleUser(t, 'operator'));
  auditor = await consoleSignIn(t, await consoleUser(t, 'auditor'));
  // A second tenant (its row only: no configured instance, so no sign-in form): its admin gets a session as
  // sign-in makes one.
  tenantB = await otherTenant(t);
  const theirs = await consoleUser(t, 'admin', { tenantId: tenantB });
  const session = await createConsoleSession(t.deps, { userId: theirs.id, via: 'password' });
  otherAdmin = new ConsoleBrowser();
  otherAdmin.identity = { cookie: `${cookieName(t.config, 'console')}=${session.cookieValue}` };
  otherAdmin.csrf = consoleCsrf(t.deps, { idHash: sha256(session.cookieValue) });
}, 90_000);
afterAll(() => t?.close());
jest.setTimeout(60_000);

interface Row {
  category: string;
  medium: number;
  high: number;
  source: 'default' | 'configuration' | 'console';
  inherited: boolean;
  override: { medium: number; high: number; updatedBy: string; updatedAt: string } | null;
  withoutOverride: { medium: number; high: number; source: string; inherited: boolean };
}
interface Settings {
  defaults: { medium: number; high: number };
  rows: Row[];
  servicenow: 'ok' | 'unavailable' | 'none';
}

const settings = async (b: ConsoleBrowser = admin): Promise<Settings> => {
  const res = await b.get(`${t.url}${API}`);
  expect(res.status).toBe(200);
  return res.json() as Settings;
};
const rowOf = (s: Settings, category: string) => s.rows.find((r) => r.category === category);
const put = (b: ConsoleBrowser, body: unknown) =>
  b.request(`${t.url}${API}`, { method: 'PUT', json: body, headers: { 'x-csrf-token': b.csrf } });
const del = (b: ConsoleBrowser, category: string) =>
  b.request(`${t.url}${API}?category=${encodeURIComponent(category)}`, {
    method: 'DELETE',
    headers: { 'x-csrf-token': b.csrf },
  });
const events = (type: string, tenantId = tenantA) =>
  t.db.db
    .selectFrom('audit_events')
    .select(['type', 'actor', 'data', 'tenant_id'])
    .where('type', '=', type)
    .where('tenant_id', '=', tenantId)
    .orderBy('id')
    .execute();

describe('GET /console/api/settings/risk', () => {
  it('lists all requests first, then the configured categories and those of the ServiceNow policies', async () => {
    const s = await settings();
    expect(s.defaults).toEqual({ medium: 3, high: 7 });
    expect(s.servicenow).toBe('ok');
    expect(s.rows[0]).toEqual({
      category: '',
      medium: 3,
      high: 7,
      source: 'default',
      inherited: false,
      override: null,
      withoutOverride: { medium: 3, high: 7, source: 'default', inherited: false },
    });
    const names = s.rows.map((r) => r.category);
    // The stand-in's active category policies and the configuration's category, by name
    expect(names).toEqual(['', 'access', 'account_unlock', 'password_reset', 'printers']);
    expect(rowOf(s, 'printers')).toMatchObject({ medium: 2, high: 6, source: 'configuration' });
    expect(rowOf(s, 'access')).toMatchObject({ medium: 3, high: 7, source: 'default' });
  });

  it('still answers, with the other categories, when ServiceNow does not', async () => {
    // Every attempt of both reads (the client tries three times) answers 503
    const match = { pathPrefix: '/api/now/table/x_imper_verify_category_policy' };
    t.standin.faults.enqueue(
      ...Array.from({ length: 6 }, () => ({ kind: 'status' as const, status: 503 as const, match })),
    );
    try {
      const s = await settings();
      expect(s.servicenow).toBe('unavailable');
      expect(s.rows.map((r) => r.category)).toEqual(['', 'printers']);
      const page = await admin.get(`${t.url}${PAGE}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('data-servicenow="unavailable"');
    } finally {
      t.standin.faults.clear();
    }
  });
});

describe('changing the thresholds (admin)', () => {
  afterAll(() => t.db.db.deleteFrom('risk_threshold_overrides').execute());

  it('PUT sets a category’s pair, audited with what was in effect before; DELETE goes back to the default', async () => {
    const res = await put(admin, { category: 'access', medium: 2, high: 5 });
    expect(res.status).toBe(200);
    const { row } = res.json() as { row: Row };
    expect(row).toMatchObject({
      category: 'access',
      medium: 2,
      high: 5,
      source: 'console',
      inherited: false,
      override: { medium: 2, high: 5, updatedBy: adminName },
      withoutOverride: { medium: 3, high: 7, source: 'default' },
    });
    expect(Number.isNaN(Date.parse(row.override!.updatedAt))).toBe(false);
    expect(rowOf(await settings(), 'access')).toMatchObject({ medium: 2, high: 5, source: 'console' });

    // Changed again: the event's `before` is the console's first pair
    expect((await put(admin, { category: 'access', medium: 2.5, high: 5 })).status).toBe(200);
    const changed = await events('settings.risk_thresholds_changed');
    expect(changed.map((e) => [e.actor, e.data])).toEqual([
      [
        `console:${adminName}`,
        {
          category: 'access',
          before: { medium: 3, high: 7, source: 'default' },
          after: { medium: 2, high: 5 },
        },
      ],
      [
        `console:${adminName}`,
        {
          category: 'access',
          before: { medium: 2, high: 5, source: 'console' },
          after: { medium: 2.5, high: 5 },
        },
      ],
    ]);

    const reset = await del(admin, 'access');
    expect(reset.status).toBe(200);
    expect(reset.json()).toMatchObject({
      removed: true,
      row: { category: 'access', medium: 3, high: 7, source: 'default', override: null },
    });
    expect((await events('settings.risk_thresholds_reset')).map((e) => e.data)).toEqual([
      {
        category: 'access',
        before: { medium: 2.5, high: 5, source: 'console' },
        after: { medium: 3, high: 7, source: 'default' },
      },
    ]);
    // Nothing set any more: nothing removed, no second event
    expect((await del(admin, 'access')).json()).toMatchObject({ removed: false });
    expect(await events('settings.risk_thresholds_reset')).toHaveLength(1);
  });

  it('all requests (category empty): every category without its own pair follows; a configured one keeps its own', async () => {
    expect((await put(admin, { category: '', medium: 4, high: 8 })).status).toBe(200);
    const s = await settings();
    expect(rowOf(s, '')).toMatchObject({ medium: 4, high: 8, source: 'console', inherited: false });
    expect(rowOf(s, 'access')).toMatchObject({
      medium: 4,
      high: 8,
      source: 'console',
      inherited: true,
      override: null,
    });
    expect(rowOf(s, 'printers')).toMatchObject({ medium: 2, high: 6, source: 'configuration' });
    // A category only the console knows becomes a row
    expect((await put(admin, { category: 'VIP desk', medium: 1, high: 3 })).status).toBe(200);
    expect(rowOf(await settings(), 'VIP desk')).toMatchObject({ medium: 1, high: 3, source: 'console' });
    // Overriding the configured category; removing it brings the configuration's pair back
    expect((await put(admin, { category: 'printers', medium: 3, high: 9 })).status).toBe(200);
    expect((await del(admin, 'printers')).json()).toMatchObject({
      row: { medium: 2, high: 6, source: 'configuration' },
    });
    expect((await del(admin, '')).json()).toMatchObject({
      removed: true,
      row: { medium: 3, high: 7, source: 'default' },
    });
  });

  it('refuses pairs the engine cannot use with 400 RISK_THRESHOLDS_INVALID and saves nothing', async () => {
    const before = await settings();
    const eventsBefore = (await events('settings.risk_thresholds_changed')).length;
    for (const [medium, high] of [
      [5, 5],
      [6, 4],
      [0, 4],
      [-1, 4],
      [2, 10.5],
      [2.25, 5],
      [2, 5.55],
    ]) {
      const res = await put(admin, { category: 'access', medium, high });
      expect([medium, high, res.status, res.json().error.code]).toEqual([
        medium,
        high,
        400,
        'RISK_THRESHOLDS_INVALID',
      ]);
    }
    // Not a number, a missing field, or a category that is no category name: the schema's VALIDATION_FAILED
    for (const body of [
      { category: 'access', medium: 'two', high: 5 },
      { category: 'access', medium: 2 },
      { category: 'bad/name', medium: 2, high: 5 },
      { category: 'x'.repeat(81), medium: 2, high: 5 },
    ]) {
      const res = await put(admin, body);
      expect([body, res.status, res.json().error.code]).toEqual([body, 400, 'VALIDATION_FAILED']);
    }
    expect((await del(admin, 'bad/name')).status).toBe(400);
    expect(await settings()).toEqual(before);
    expect(await events('settings.risk_thresholds_changed')).toHaveLength(eventsBefore);
  });

  it('needs the anti-CSRF value on every change', async () => {
    const res = await admin.request(`${t.url}${API}`, {
      method: 'PUT',
      json: { category: '', medium: 2, high: 5 },
    });
    expect([res.status, res.json().error.code]).toEqual([403, 'CSRF_FAILED']);
    const gone = await admin.request(`${t.url}${API}?category=`, { method: 'DELETE' });
    expect(gone.status).toBe(403);
  });
});

describe('roles: admin only, every route', () => {
  it('operator and auditor get 403 CONSOLE_FORBIDDEN; no session: 401 (API) or the sign-in (page)', async () => {
    const eventsBefore = (await events('settings.risk_thresholds_changed')).length;
    const form = { category: 'access', medium: '2', high: '5' };
    for (const b of [operator, auditor]) {
      const calls = [
        b.get(`${t.url}${API}`),
        put(b, { category: 'access', medium: 2, high: 5 }),
        del(b, 'access'),
        b.get(`${t.url}${PAGE}`),
        b.request(`${t.url}${PAGE}`, { form: { ...form, csrf: b.csrf } }),
        b.request(`${t.url}${PAGE}/reset`, { form: { category: 'access', csrf: b.csrf } }),
      ];
      for (const [i, res] of (await Promise.all(calls)).entries()) {
        expect(res.status).toBe(403);
        if (i < 3) expect(res.json().error.code).toBe('CONSOLE_FORBIDDEN');
      }
    }
    const anon = new Browser();
    expect((await anon.get(`${t.url}${API}`)).status).toBe(401);
    const page = await anon.get(`${t.url}${PAGE}`);
    expect([page.status, page.location]).toEqual([303, `/console/login?next=${encodeURIComponent(PAGE)}`]);
    expect(await events('settings.risk_thresholds_changed')).toHaveLength(eventsBefore);
  });
});

describe('the page’s forms (PRG)', () => {
  afterAll(() => t.db.db.deleteFrom('risk_threshold_overrides').execute());

  it('saves from the form: 303 back to the page, which confirms and shows the row; "Use the default" resets', async () => {
    const csrf = hiddenField((await admin.get(`${t.url}${PAGE}`)).text, 'csrf');
    const res = await admin.request(`${t.url}${PAGE}`, {
      form: { csrf, category: ' password_reset ', medium: '1.5', high: '4' },
    });
    expect([res.status, res.location]).toEqual([303, `${PAGE}?saved=password_reset`]);
    const page = await admin.get(`${t.url}${res.location}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-done="saved"');
    expect(page.text).toMatch(/Saved\. password_reset: Medium from 1\.5, High from 4\./);
    const row = /<tr data-category="password_reset"[^]*?<\/tr>/.exec(page.text)![0];
    expect(row).toMatch(/<td data-field="medium">.*<span class="risk-value">1\.5<\/span><\/td>/);
    expect(row).toMatch(/<td data-field="high">.*<span class="risk-value">4<\/span><\/td>/);
    expect(row).toContain(`<strong>${adminName}</strong>`);
    expect(row).toContain('action="/console/settings/risk/reset"');
    expect(row).toContain('<svg class="risk-bands"');

    const reset = await admin.request(`${t.url}${PAGE}/reset`, {
      form: { csrf, category: 'password_reset' },
    });
    expect([reset.status, reset.location]).toEqual([303, `${PAGE}?reset=password_reset`]);
    const after = await admin.get(`${t.url}${reset.location}`);
    expect(after.text).toContain('data-done="reset"');
    expect(/<tr data-category="password_reset"[^]*?<\/tr>/.exec(after.text)![0]).toContain(
      'data-source="default"',
    );

    // A category only the console knew is no row once reset; the confirmation says what it gets now
    await admin.request(`${t.url}${PAGE}`, { form: { csrf, category: 'VIP desk', medium: '1', high: '2' } });
    const gone = await admin.request(`${t.url}${PAGE}/reset`, { form: { csrf, category: 'VIP desk' } });
    expect(gone.location).toBe(`${PAGE}?reset=VIP%20desk`);
    const page2 = await admin.get(`${t.url}${gone.location}`);
    expect(page2.text).not.toContain('data-category="VIP desk"');
    expect(page2.text).toContain('VIP desk: Medium from 3, High from 7 (Default).');
  });

  it('a bad pair: 400, the form again with the error next to the fields and the values kept', async () => {
    const eventsBefore = (await events('settings.risk_thresholds_changed')).length;
    const csrf = hiddenField((await admin.get(`${t.url}${PAGE}`)).text, 'csrf');
    const res = await admin.request(`${t.url}${PAGE}`, {
      form: { csrf, category: 'access', medium: '6', high: '4' },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.text).toContain('id="risk-high-error"');
    expect(res.text).toContain('High must be above Medium.');
    expect(res.text).toMatch(/id="risk-high"[^>]*value="4"|value="4"[^>]*id="risk-high"/);
    expect(res.text).toMatch(
      /<input type="number" id="risk-high"[^>]*aria-invalid="true" aria-describedby="risk-high-error risk-scores-hint"/,
    );
    expect(res.text).toMatch(
      /<input type="number" id="risk-medium" name="medium" value="6"[^>]*aria-describedby="risk-high-error risk-scores-hint"/,
    );
    expect(res.text).toMatch(/<input type="text" id="risk-category" name="category" value="access"/);
    const bad = await admin.request(`${t.url}${PAGE}`, {
      form: { csrf, category: 'no/such', medium: 'x', high: '' },
    });
    expect(bad.status).toBe(400);
    for (const id of ['risk-category-error', 'risk-medium-error', 'risk-high-error'])
      expect(bad.text).toContain(`id="${id}"`);
    expect((await settings()).rows.every((r) => r.source !== 'console')).toBe(true);
    expect(await events('settings.risk_thresholds_changed')).toHaveLength(eventsBefore);
  });

  it('"Change" opens the form with the row’s values', async () => {
    const page = await admin.get(`${t.url}${PAGE}?edit=printers`);
    expect(page.text).toMatch(/id="risk-category" name="category" value="printers"/);
    expect(page.text).toMatch(/id="risk-medium" name="medium" value="2"/);
    expect(page.text).toMatch(/id="risk-high" name="high" value="6"/);
  });
});

describe('S18: one tenant never sees or changes another’s thresholds', () => {
  afterAll(() => t.db.db.deleteFrom('risk_threshold_overrides').execute());

  it("tenant B's admin sees only its own rows and changes only its own", async () => {
    expect((await put(admin, { category: 'password_reset', medium: 1, high: 2 })).status).toBe(200);
    const theirs = await settings(otherAdmin);
    expect(theirs.servicenow).toBe('none');
    expect(theirs.rows.map((r) => r.category)).toEqual(['']);
    expect(JSON.stringify(theirs)).not.toContain('password_reset');
    expect((await otherAdmin.get(`${t.url}${PAGE}`)).text).not.toContain('data-category="password_reset"');
    // B's changes are B's
    expect((await put(otherAdmin, { category: 'password_reset', medium: 5, high: 9 })).status).toBe(200);
    expect((await del(otherAdmin, 'password_reset')).json()).toMatchObject({ removed: true });
    expect((await del(otherAdmin, 'password_reset')).json()).toMatchObject({ removed: false });
    expect(rowOf(await settings(), 'password_reset')).toMatchObject({
      medium: 1,
      high: 2,
      source: 'console',
    });
    expect((await events('settings.risk_thresholds_changed', tenantB)).map((e) => e.data)).toEqual([
      {
        category: 'password_reset',
        before: { medium: 3, high: 7, source: 'default' },
        after: { medium: 5, high: 9 },
      },
    ]);
  });
});

describe('the next decision uses the thresholds (real flow)', () => {
  afterAll(() => t.db.db.deleteFrom('risk_threshold_overrides').execute());

  /** A genuine requester answering everything right, from a home network in another country than their office. */
  async function genuineAbroad(ticket: TicketRef) {
    const home = homeCountryOf(t, ticket.caller.sys_id);
    const abroad = (Object.keys(HOME) as (keyof typeof HOME)[]).find((c) => c !== home)!;
    const { agent, link, publicId } = await freshLink(t, ticket, { seen });
    await verifyAsGenuine(t, agent, link, ticket.caller.sys_id, { device: desktopChrome(abroad) });
    return t.db.db
      .selectFrom('verifications')
      .select(['state', 'risk_level', 'risk_score', 'reasons', 'ticket_category'])
      .where('public_id', '=', publicId)
      .executeTakeFirstOrThrow();
  }

  it('the same inputs are Verified with the defaults and High once the thresholds are lowered', async () => {
    const tickets = ticketsWithContacts(t, 6);
    const before = await genuineAbroad(tickets[2]!);
    // The one point of an address abroad (ip-country-mismatch): below Medium (3) → Verified
    expect(before).toMatchObject({ state: 'passed', risk_level: 'verified', risk_score: 1 });
    expect(before.reasons).toEqual(['ip-country-mismatch']);

    // The admin lowers the thresholds for all requests: one point is now High
    expect((await put(admin, { category: '', medium: 0.5, high: 1 })).status).toBe(200);
    const after = await genuineAbroad(tickets[3]!);
    expect(after).toMatchObject({ state: 'failed', risk_level: 'high', risk_score: 1 });
    expect(after.reasons).toEqual(['ip-country-mismatch']);
  });
});
