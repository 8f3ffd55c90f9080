// Console Settings — console users (F8 §6, S14, S18, S20) over HTTP against the real database: an admin adds a local
// user (its generated password and TOTP setup key shown once, never listed, audited or logged), changes roles
// (effective on the user's next request), disables (the user's open session stops at once) and enables, unlocks,
// turns TOTP off and sets it up again; the guard rails (not oneself, never the last enabled admin: 409
// CONSOLE_LAST_ADMIN); SSO users' roles are read-only; operators and auditors get 403; another tenant's user is
// NOT_FOUND and unchanged.
import { build, type TestApp } from '../helper';
import { ConsoleBrowser, consoleSignIn, consoleUser, type TestConsoleUser } from '../console';
import { otherTenant } from '../console/rows';
import {
  createConsoleSession,
  setConsoleUserDisabledByAdmin,
  totpCodeAt,
  upsertSsoUser,
} from '../../src/services/console-auth';
import { cookieName } from '../../src/lib/cookies';

let t: TestApp;
let adminUser: TestConsoleUser;
let admin: ConsoleBrowser;

beforeAll(async () => {
  t = await build();
  adminUser = await consoleUser(t, 'admin', { name: 'Ada Admin' });
  admin = await consoleSignIn(t, adminUser);
}, 60_000);
afterAll(() => t?.close());
jest.setTimeout(60_000);

const PAGE = () => `${t.url}/console/settings/users`;
const API = () => `${t.url}/console/api/settings/users`;
const inputValue = (html: string, id: string) =>
  new RegExp(`id="${id}"[^>]*value="([^"]*)"`).exec(html)?.[1]?.replace(/&amp;/g, '&');
const login = (u: { username: string; password: string }, totp?: string) =>
  new ConsoleBrowser().request(`${t.url}/console/login`, {
    form: { username: u.username, password: u.password, next: '/console', ...(totp ? { totp } : {}) },
  });
const audit = (type: string) =>
  t.db.db
    .selectFrom('audit_events')
    .select(['type', 'actor', 'data'])
    .where('type', '=', type)
    .orderBy('id')
    .execute();
const ofUser = (rows: Awaited<ReturnType<typeof audit>>, id: string) =>
  rows.filter((r) => (r.data as { userId?: string }).userId === id);
const item = async (id: string) =>
  ((await admin.get(API())).json().items as Array<Record<string, unknown>>).find((u) => u.id === id)!;
/** A browser with a session of the given user, opened as sign-in opens one (any tenant). */
async function sessionOf(userId: string) {
  const s = await createConsoleSession(t.deps, { userId, via: 'password' });
  const b = new ConsoleBrowser();
  b.identity = { ...b.identity, cookie: `${cookieName(t.config, 'console')}=${s.cookieValue}` };
  return b;
}

describe('console settings: users page', () => {
  it('lists the users with roles, sign-in kind, TOTP and state; the admin has no "Disable" on their own row', async () => {
    const page = await admin.get(PAGE());
    expect(page.status).toBe(200);
    expect(page.text).toContain('aria-current="page">Console users</a>');
    const own = new RegExp(`<tr data-user-id="${adminUser.id}"[\\s\\S]*?</tr>`).exec(page.text)![0];
    expect(own).toContain('(you)');
    expect(own).toContain('Password');
    expect(own).not.toContain('data-action="disable"');
    expect(own).toContain('data-action="roles"');
  });

  it('adds a local user from the form: the password is shown once (no-store) and signs in; not in the list or audit', async () => {
    const res = await admin.request(PAGE(), {
      form: { csrf: admin.csrf, username: 'olga.ops', name: 'Olga Ops', roles: 'operator' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.text).toContain('it is not shown again');
    const password = inputValue(res.text, 'created-password')!;
    expect(password.length).toBeGreaterThanOrEqual(20);
    t.issuedSecrets.add(password);
    expect(res.text).not.toContain('created-totp-secret');

    const signedIn = await login({ username: 'olga.ops', password });
    expect(signedIn.status).toBe(303);

    const list = await admin.get(PAGE());
    expect(list.text).toContain('olga.ops');
    expect(list.text).not.toContain(password);
    const api = (await admin.get(API())).json();
    const olga = api.items.find((u: { username: string }) => u.username === 'olga.ops');
    expect(olga).toMatchObject({ name: 'Olga Ops', roles: ['operator'], kind: 'local', totp: false });
    expect(olga.lastLoginAt).not.toBeNull();
    const created = ofUser(await audit('console.user_created'), olga.id);
    expect(created).toHaveLength(1);
    expect(created[0]!.actor).toBe(`console:${adminUser.username}`);
    expect(JSON.stringify([api, created])).not.toContain(password);
  });

  it('refuses a bad form with the form again (400), values kept: bad user name, taken user name, no role', async () => {
    const bad = await admin.request(PAGE(), {
      form: { csrf: admin.csrf, username: '-bad name', name: 'Kept Name' },
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('The user was not added');
    expect(bad.text).toContain('Enter a user name of 1 to 120');
    expect(bad.text).toContain('Choose at least one role');
    expect(bad.text).toContain('value="Kept Name"');
    const taken = await admin.request(PAGE(), {
      form: { csrf: admin.csrf, username: adminUser.username.toUpperCase(), roles: 'auditor' },
    });
    expect(taken.status).toBe(400);
    expect(taken.text).toContain('exists already');
    const json = await admin.post(API(), { username: 'x y', roles: ['auditor'] });
    expect(json.status).toBe(400);
    expect(json.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('the same new user name added twice at once: one is added, the other told the name is taken (never a 500)', async () => {
    const answers = await Promise.all(
      [1, 2].map(() => admin.post(API(), { username: 'twin.race', roles: ['auditor'] })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 400]);
    expect(answers.find((a) => a.status === 400)!.json().error.code).toBe('VALIDATION_FAILED');
  });
});

describe('console settings: users actions', () => {
  it('adds a user with TOTP through the API: setup key once; sign-in needs the code; TOTP off, then set up anew', async () => {
    const res = await admin.post(API(), { username: 'tia.totp', roles: ['auditor'], totp: true });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const { user, password, totp } = res.json();
    t.issuedSecrets.add(password);
    t.issuedSecrets.add(totp.secret);
    expect(totp.uri).toMatch(/^otpauth:\/\/totp\//);
    expect(totp.uri).toContain(`secret=${totp.secret}`);
    expect(user.totp).toBe(true);
    expect((await login({ username: 'tia.totp', password })).status).toBe(401);
    expect(
      (await login({ username: 'tia.totp', password }, totpCodeAt(totp.secret, t.clock.now()))).status,
    ).toBe(303);

    // Off: the code is no longer asked; the page's button does it, and a second click changes nothing.
    const off = await admin.request(`${PAGE()}/${user.id}/disable-totp`, { form: { csrf: admin.csrf } });
    expect(off.status).toBe(303);
    expect(off.location).toBe(`/console/settings/users?done=totpOff&user=${user.id}`);
    expect((await admin.get(`${t.url}${off.location}`)).text).toContain('TOTP is off for tia.totp');
    expect((await admin.post(`${API()}/${user.id}/disable-totp`)).json().user.totp).toBe(false);
    expect(ofUser(await audit('console.user_totp_disabled'), user.id)).toHaveLength(1);
    expect((await login({ username: 'tia.totp', password })).status).toBe(303);

    // Set up again from the page: a new setup key, shown once.
    const again = await admin.request(`${PAGE()}/${user.id}/enable-totp`, { form: { csrf: admin.csrf } });
    expect(again.status).toBe(200);
    const secret = inputValue(again.text, 'created-totp-secret')!;
    t.issuedSecrets.add(secret);
    expect(secret).toMatch(/^[A-Z2-7]+=*$/);
    expect(secret).not.toBe(totp.secret);
    expect((await item(user.id)).totp).toBe(true);
    const enabled = ofUser(await audit('console.totp_enabled'), user.id);
    expect(enabled.map((e) => e.actor)).toEqual([
      `console:${adminUser.username}`,
      `console:${adminUser.username}`,
    ]);
  });

  it("changes roles (audit before/after); the user's open session has the new roles on its next request", async () => {
    const u = await consoleUser(t, 'operator');
    const b = await consoleSignIn(t, u);
    expect((await b.get(`${t.url}/console/api/audit`)).status).toBe(403);
    const res = await admin.request(`${PAGE()}/${u.id}/roles`, {
      form: { csrf: admin.csrf, roles: 'auditor' },
    });
    expect(res.status).toBe(303);
    expect((await admin.get(`${t.url}${res.location}`)).text).toContain(
      `The roles of ${u.username} are saved`,
    );
    expect((await b.get(`${t.url}/console/api/audit`)).status).toBe(200);
    const json = await admin.post(`${API()}/${u.id}/roles`, { roles: ['auditor', 'operator'] });
    expect(json.status).toBe(200);
    expect(json.json().user.roles).toEqual(['operator', 'auditor']);
    // The same roles again: nothing changes, nothing is audited.
    await admin.post(`${API()}/${u.id}/roles`, { roles: ['operator', 'auditor'] });
    const changes = ofUser(await audit('console.user_roles_changed'), u.id).map((e) => e.data);
    expect(changes).toEqual([
      { userId: u.id, username: u.username, before: ['operator'], after: ['auditor'] },
      { userId: u.id, username: u.username, before: ['auditor'], after: ['operator', 'auditor'] },
    ]);
    // No role at all: 400 (API), the page says why (400).
    expect((await admin.post(`${API()}/${u.id}/roles`, { roles: [] })).status).toBe(400);
    const none = await admin.request(`${PAGE()}/${u.id}/roles`, { form: { csrf: admin.csrf } });
    expect(none.status).toBe(400);
    expect(none.text).toContain(`${u.username} needs at least one role`);
  });

  it("S14: disabling ends the user's open session at once; enabling lets them sign in again", async () => {
    const u = await consoleUser(t, 'operator');
    const b = await consoleSignIn(t, u);
    expect((await b.get(`${t.url}/console/api/verifications`)).status).toBe(200);
    const res = await admin.request(`${PAGE()}/${u.id}/disable`, { form: { csrf: admin.csrf } });
    expect(res.status).toBe(303);
    expect((await admin.get(`${t.url}${res.location}`)).text).toContain('their sessions have ended');
    expect((await b.get(`${t.url}/console/api/verifications`)).status).toBe(401);
    const sessions = await t.db.db
      .selectFrom('console_sessions')
      .select('user_id')
      .where('user_id', '=', u.id)
      .execute();
    expect(sessions).toHaveLength(0);
    expect((await login(u)).status).toBe(401);
    expect((await item(u.id)).disabledAt).not.toBeNull();
    // Twice: harmless, one event.
    expect((await admin.post(`${API()}/${u.id}/disable`)).status).toBe(200);
    expect(ofUser(await audit('console.user_disabled'), u.id)).toHaveLength(1);

    const enable = await admin.post(`${API()}/${u.id}/enable`);
    expect(enable.json().user.disabledAt).toBeNull();
    expect((await login(u)).status).toBe(303);
    const enabled = ofUser(await audit('console.user_enabled'), u.id);
    expect(enabled.map((e) => e.actor)).toEqual([`console:${adminUser.username}`]);
  });

  it('unlocks an account that failed sign-ins locked (shown with its end), and it signs in at once', async () => {
    const u = await consoleUser(t, 'auditor');
    for (let i = 0; i < 5; i++) await login({ username: u.username, password: `wrong password ${i}` });
    expect((await login(u)).status).toBe(401);
    const locked = await item(u.id);
    expect(locked.lockedUntil).not.toBeNull();
    const page = await admin.get(PAGE());
    expect(new RegExp(`data-user-id="${u.id}"[^>]*data-state="locked"`).test(page.text)).toBe(true);
    expect(page.text).toContain('Locked until');
    const res = await admin.request(`${PAGE()}/${u.id}/unlock`, { form: { csrf: admin.csrf } });
    expect(res.status).toBe(303);
    expect((await login(u)).status).toBe(303);
    expect((await item(u.id)).lockedUntil).toBeNull();
    const events = ofUser(await audit('console.user_unlocked'), u.id);
    expect(events).toHaveLength(1);
    expect(events[0]!.actor).toBe(`console:${adminUser.username}`);
  });
});

describe('console settings: users guard rails', () => {
  it('an admin keeps their own admin role and cannot disable themselves (409, the page says why)', async () => {
    await consoleUser(t, 'admin'); // another admin: the last-admin rule is not what refuses here
    const roles = await admin.post(`${API()}/${adminUser.id}/roles`, { roles: ['operator'] });
    expect(roles.status).toBe(409);
    expect(roles.json().error.code).toBe('INVALID_STATE');
    const disable = await admin.post(`${API()}/${adminUser.id}/disable`);
    expect(disable.status).toBe(409);
    const page = await admin.request(`${PAGE()}/${adminUser.id}/disable`, { form: { csrf: admin.csrf } });
    expect(page.status).toBe(409);
    expect(page.text).toContain('you cannot remove your own admin role or disable yourself');
    expect((await item(adminUser.id)).roles).toEqual(['admin']);
  });

  it('CONSOLE_LAST_ADMIN: an only admin stays admin; two admins disabling each other at once leave one', async () => {
    const tenantB = await otherTenant(t);
    const only = await consoleUser(t, 'admin', { tenantId: tenantB });
    const b = await sessionOf(only.id);
    const page = await b.get(PAGE());
    b.csrf = /name="csrf" value="([^"]+)"/.exec(page.text)![1]!;
    const res = await b.post(`${API()}/${only.id}/roles`, { roles: ['auditor'] });
    expect(res.status).toBe(409);
    expect(res.json().error.code).toBe('CONSOLE_LAST_ADMIN');
    const form = await b.request(`${PAGE()}/${only.id}/roles`, { form: { csrf: b.csrf, roles: 'auditor' } });
    expect(form.status).toBe(409);
    expect(form.text).toContain(`${only.username} is the last enabled admin`);

    // A second admin; each disables the other at the same moment (the service, as two requests past the role check
    // would): exactly one succeeds, and the tenant keeps an enabled admin.
    const second = await consoleUser(t, 'admin', { tenantId: tenantB });
    const results = await Promise.allSettled([
      setConsoleUserDisabledByAdmin(
        t.deps,
        { ...only, tenantId: tenantB },
        { userId: second.id, disabled: true },
      ),
      setConsoleUserDisabledByAdmin(
        t.deps,
        { ...second, tenantId: tenantB },
        { userId: only.id, disabled: true },
      ),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(['CONSOLE_LAST_ADMIN', 'CONSOLE_FORBIDDEN']).toContain(failed.reason.code);
    const admins = await t.db.db
      .selectFrom('console_users')
      .select('id')
      .where('tenant_id', '=', tenantB)
      .where('disabled_at', 'is', null)
      .execute();
    expect(admins).toHaveLength(1);
  });

  it("an SSO user's roles are read-only (409), shown with a note; it can still be disabled", async () => {
    const sso = await upsertSsoUser(t.deps, {
      tenantId: adminUser.tenantId,
      subject: 'sub-123',
      username: 'sam.sso',
      name: 'Sam SSO',
      roles: ['operator'],
    });
    const page = await admin.get(PAGE());
    const row = new RegExp(`<tr data-user-id="${sso.id}"[\\s\\S]*?</tr>`).exec(page.text)![0];
    expect(row).toContain('Single sign-on');
    expect(row).toContain('From the identity provider&#39;s groups');
    expect(row).not.toContain('data-action="roles"');
    expect(row).toContain('never'); // not signed in yet
    // A single sign-on records the last sign-in as a password sign-in does.
    await createConsoleSession(t.deps, { userId: sso.id, via: 'sso' });
    const after = await admin.get(PAGE());
    const signedIn = new RegExp(`<tr data-user-id="${sso.id}"[\\s\\S]*?</tr>`).exec(after.text)![0];
    expect(signedIn).toContain('<time class="local-time"');
    const res = await admin.post(`${API()}/${sso.id}/roles`, { roles: ['admin'] });
    expect(res.status).toBe(409);
    expect(res.json().error.code).toBe('INVALID_STATE');
    const form = await admin.request(`${PAGE()}/${sso.id}/roles`, {
      form: { csrf: admin.csrf, roles: 'admin' },
    });
    expect(form.status).toBe(409);
    expect(form.text).toContain('come from the identity provider&#39;s groups');
    expect((await admin.post(`${API()}/${sso.id}/disable`)).json().user.disabledAt).not.toBeNull();
    expect((await item(sso.id)).kind).toBe('sso');
  });
});

describe('console settings: users roles, tenants and secrets', () => {
  it('operator and auditor get 403 on the page, its forms and the API', async () => {
    const target = await consoleUser(t, 'auditor');
    for (const role of ['operator', 'auditor'] as const) {
      const b = await consoleSignIn(t, await consoleUser(t, role));
      expect((await b.get(PAGE())).status).toBe(403);
      expect((await b.get(API())).status).toBe(403);
      expect((await b.post(API(), { username: `x.${role}`, roles: ['admin'] })).status).toBe(403);
      expect((await b.post(`${API()}/${target.id}/roles`, { roles: ['admin'] })).status).toBe(403);
      const form = await b.request(`${PAGE()}/${target.id}/disable`, { form: { csrf: b.csrf } });
      expect(form.status).toBe(403);
    }
    expect((await item(target.id)).disabledAt).toBeNull();
  });

  it("S18: another tenant's users are not listed, and every action on one is 404 and changes nothing", async () => {
    const tenantB = await otherTenant(t);
    const theirs = await consoleUser(t, 'operator', { tenantId: tenantB });
    const items = (await admin.get(API())).json().items as Array<{ id: string }>;
    expect(items.map((u) => u.id)).not.toContain(theirs.id);
    for (const path of ['disable', 'enable', 'unlock', 'disable-totp', 'enable-totp']) {
      const api = await admin.post(`${API()}/${theirs.id}/${path}`);
      expect([path, api.status, api.json().error.code]).toEqual([path, 404, 'NOT_FOUND']);
      const form = await admin.request(`${PAGE()}/${theirs.id}/${path}`, { form: { csrf: admin.csrf } });
      expect([path, form.status]).toEqual([path, 404]);
    }
    expect((await admin.post(`${API()}/${theirs.id}/roles`, { roles: ['admin'] })).status).toBe(404);
    const row = await t.db.db
      .selectFrom('console_users')
      .select(['roles', 'disabled_at', 'totp_secret_sealed'])
      .where('id', '=', theirs.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ roles: ['operator'], disabled_at: null, totp_secret_sealed: null });
  });

  it('S20: no password or TOTP secret of the run in a list, an audit row or the logs', async () => {
    const list = JSON.stringify((await admin.get(API())).json()) + (await admin.get(PAGE())).text;
    const rows = JSON.stringify(
      await t.db.db.selectFrom('audit_events').select(['type', 'actor', 'data']).execute(),
    );
    const logs = t.logs.join('\n');
    expect(t.issuedSecrets.size).toBeGreaterThan(5);
    for (const s of t.issuedSecrets) {
      expect(list).not.toContain(s);
      expect(rows).not.toContain(s);
      expect(logs).not.toContain(s);
    }
  });
});
