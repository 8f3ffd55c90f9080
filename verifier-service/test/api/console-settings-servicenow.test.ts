// Settings → ServiceNow connection (F8 §6, issue 11): the page and its JSON API, admin only (S18), bound to the
// signed-in user's tenant; "Test connection" against the real stand-in (auth and ACLs as on an instance); console
// credentials tested before they are saved, sealed (S19), used at once by the real flows and kept by a restart; and
// secrets that never reach a page, an API answer, the audit trail or the logs (S20).
import { randomBytes } from 'node:crypto';
import { startDevInstance, type DevInstance } from '@imper/dev-instance';
import { build, secret, type TestApp } from '../helper';
import { Browser } from '../browser-client';
import { ConsoleBrowser, consoleSignIn, consoleUser } from '../console';
import { launch, launchToken } from '../flows';
import { insertVerificationRow } from '../console/rows';
import { syncTenants } from '../../src/services/tenants';
import { classifyFailure, parseCredentials } from '../../src/services/servicenow-connection';
import { ServiceNowError } from '../../src/clients/servicenow/client';
import { POLICY_TABLE } from '../../src/clients/servicenow/category-policies';

jest.setTimeout(60_000);

interface Instance {
  slug: string;
  standin: DevInstance;
  launchSecret: Buffer;
  password: string;
  oauth: { clientId: string; clientSecret: string };
  tenant: Record<string, unknown>;
}

async function instance(slug: string, name: string): Promise<Instance> {
  const launchSecret = secret();
  const password = secret(18);
  const oauth = { clientId: `client-${slug}-${randomBytes(3).toString('hex')}`, clientSecret: secret(18) };
  const standin = await startDevInstance({
    port: 0,
    adminPassword: secret(12),
    agentPassword: secret(12),
    integration: { password, oauthClientId: oauth.clientId, oauthClientSecret: oauth.clientSecret },
    launch: { secret: launchSecret, serviceUrl: 'http://127.0.0.1:1' },
  });
  return {
    slug,
    standin,
    launchSecret: Buffer.from(launchSecret, 'base64'),
    password,
    oauth,
    tenant: {
      slug,
      name,
      instanceUrl: standin.url,
      auth: { type: 'basic', username: 'imper.integration', password },
      launchSecret,
    },
  };
}

/** A second integration user on the instance, with the same roles as imper.integration, and its password. */
function secondIntegrationUser(i: Instance, userName: string): string {
  const store = i.standin.store;
  const first = store.userByName('imper.integration')!;
  const rec = store.insert(
    'sys_user',
    { user_name: userName, name: `Integration ${userName}`, active: 'true', locked_out: 'false' },
    { runRules: false },
  );
  for (const link of store.query('sys_user_has_role', `user=${first.sys_id}`))
    store.insert(
      'sys_user_has_role',
      { user: rec.sys_id, role: link.role, state: 'active', inherited: 'false' },
      { runRules: false },
    );
  const password = secret(18);
  store.setPassword(String(rec.sys_id), password);
  return password;
}

let t: TestApp;
let alpha: Instance;
let beta: Instance;
let alphaId: string;
let betaId: string;
let admin: ConsoleBrowser;
let betaAdmin: ConsoleBrowser;
/** Every secret this file hands out, searched for in pages, answers, audit rows and logs (S20). */
const secrets = new Set<string>();
/** Everything the service answered in this file (pages and JSON). */
const answers: string[] = [];

const API = () => `${t.url}/console/api/settings/servicenow`;
const PAGE = () => `${t.url}/console/settings/servicenow`;

async function req(
  b: ConsoleBrowser,
  method: string,
  url: string,
  init: { json?: unknown; form?: Record<string, string> } = {},
) {
  const res = await b.request(url, {
    method,
    ...init,
    headers: {
      ...(init.form ? {} : { 'x-csrf-token': b.csrf }),
      accept: url.includes('/api/') ? 'application/json' : 'text/html',
    },
  });
  answers.push(res.text);
  return res;
}

/** The user names the instance saw on the requests since `since`, for a path. */
const callers = (i: Instance, since: number, path: string) =>
  i.standin.requests
    .all()
    .filter((r) => r.at >= since && r.path.startsWith(path))
    .map((r) => r.user);

const consoleRow = (id: string) =>
  t.db.db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

const auditOf = async (type: string) =>
  t.db.db.selectFrom('audit_events').selectAll().where('type', '=', type).orderBy('id').execute();

/** A real flow's first ServiceNow call: an agent's launch reads the category policies with the tenant's client. */
async function launchAgent(i: Instance) {
  const since = Date.now();
  await launch(t, new Browser(), launchToken({ standin: i.standin, launchSecret: i.launchSecret }));
  return callers(i, since, `/api/now/table/${POLICY_TABLE}`);
}

beforeAll(async () => {
  [alpha, beta] = await Promise.all([instance('alpha', 'Alpha IT Helpdesk'), instance('beta', 'Beta Desk')]);
  t = await build({ env: { TENANTS: JSON.stringify([alpha.tenant, beta.tenant]) } });
  for (const i of [alpha, beta]) {
    secrets.add(i.password);
    secrets.add(i.oauth.clientSecret);
  }
  const bySlug = (s: string) => t.deps.tenants.all().find((x) => x.slug === s)!.id;
  alphaId = bySlug('alpha');
  betaId = bySlug('beta');
  const a = await consoleUser(t, 'admin', { tenantId: alphaId, username: 'alice.admin' });
  admin = await consoleSignIn(t, a, { tenant: 'alpha' });
  const b = await consoleUser(t, 'admin', { tenantId: betaId, username: 'bob.admin' });
  betaAdmin = await consoleSignIn(t, b, { tenant: 'beta' });
}, 60_000);
afterAll(async () => {
  await t?.close();
  await Promise.all([alpha, beta].filter(Boolean).map((i) => i.standin.close()));
});

describe('S18: admin only', () => {
  it('operators and auditors get 403 CONSOLE_FORBIDDEN on every route; without a session 401 / the sign-in', async () => {
    const routes: Array<[string, string]> = [
      ['GET', '/console/settings/servicenow'],
      ['POST', '/console/settings/servicenow/test'],
      ['POST', '/console/settings/servicenow/credentials'],
      ['POST', '/console/settings/servicenow/credentials/reset'],
      ['GET', '/console/api/settings/servicenow'],
      ['POST', '/console/api/settings/servicenow/test'],
      ['PUT', '/console/api/settings/servicenow/credentials'],
      ['DELETE', '/console/api/settings/servicenow/credentials'],
    ];
    const before = t.standin.requests.all().length + alpha.standin.requests.all().length;
    for (const role of ['operator', 'auditor'] as const) {
      const b = await consoleSignIn(t, await consoleUser(t, role, { tenantId: alphaId }), {
        tenant: 'alpha',
      });
      for (const [method, path] of routes) {
        const body =
          method === 'PUT' || path.endsWith('/credentials')
            ? { authType: 'basic', username: 'imper.integration', password: alpha.password }
            : undefined;
        const res = await req(b, method, `${t.url}${path}`, body ? { json: body } : {});
        expect([role, method, path, res.status]).toEqual([role, method, path, 403]);
        expect(res.text).toContain('CONSOLE_FORBIDDEN');
      }
    }
    for (const [method, path] of routes) {
      const res = await new ConsoleBrowser().request(`${t.url}${path}`, { method });
      expect([method, path, res.status]).toEqual([
        method,
        path,
        path.startsWith('/console/api/') ? 401 : 303,
      ]);
    }
    // Nothing reached an instance, nothing changed.
    expect(t.standin.requests.all().length + alpha.standin.requests.all().length).toBe(before);
    expect((await consoleRow(alphaId)).console_credentials_sealed).toBeNull();
  });
});

describe('the connection facts', () => {
  it('GET: the instance, the configured credentials (the secret only as "set"), health up, an empty backlog', async () => {
    const res = await req(admin, 'GET', API());
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({
      tenant: { slug: 'alpha', name: 'Alpha IT Helpdesk', instanceUrl: alpha.standin.url },
      credentials: {
        source: 'configuration',
        authType: 'basic',
        username: 'imper.integration',
        clientId: null,
        secretSet: true,
        changedAt: null,
        changedBy: null,
      },
      configured: { authType: 'basic', username: 'imper.integration', clientId: null },
      health: { state: 'up', downSince: null, lastProbeAt: null, lastError: null },
      backlog: { pending: 0, dead: 0 },
    });
  });

  it('the page shows the write-back health and backlog: down since, pending, dead-lettered linking to the list', async () => {
    const v = await insertVerificationRow(t, { tenantId: alphaId, createdAt: new Date() });
    const event = (seq: number, status: 'pending' | 'dead' | 'delivered') => ({
      tenant_id: alphaId,
      verification_id: v.id,
      seq,
      kind: 'sent',
      fields: JSON.stringify({}),
      status,
      ticket_table: 'incident',
      ticket_sys_id: 'a'.repeat(32),
    });
    await t.db.db
      .insertInto('writeback_events')
      .values([event(1, 'delivered'), event(2, 'dead'), event(3, 'pending'), event(4, 'pending')])
      .execute();
    const downSince = new Date(Date.now() - 3_600_000);
    await t.db.db
      .insertInto('servicenow_instance_health')
      .values({
        tenant_id: alphaId,
        down_since: downSince,
        last_error: 'network: ServiceNow GET: connect refused',
      })
      .execute();
    try {
      const api = (await req(admin, 'GET', API())).json();
      expect(api.backlog).toEqual({ pending: 2, dead: 1 });
      expect(api.health).toMatchObject({ state: 'down', downSince: downSince.toISOString() });
      const page = await req(admin, 'GET', PAGE());
      expect(page.status).toBe(200);
      expect(page.text).toContain('data-health="down"');
      expect(page.text).toContain(`datetime="${downSince.toISOString()}"`);
      expect(page.text).toMatch(/<span data-backlog="pending">2<\/span>/);
      expect(page.text).toMatch(/<a href="\/console\/settings\/dead-letters" data-backlog="dead">1/);
      // The other tenant's backlog is its own (S18).
      expect((await req(betaAdmin, 'GET', API())).json().backlog).toEqual({ pending: 0, dead: 0 });
    } finally {
      await t.db.db.deleteFrom('writeback_events').where('verification_id', '=', v.id).execute();
      await t.db.db.deleteFrom('servicenow_instance_health').where('tenant_id', '=', alphaId).execute();
    }
  });
});

describe('Test connection', () => {
  it('passes against the stand-in: every check ok, timed; audited settings.servicenow_tested', async () => {
    const since = Date.now();
    const res = await req(admin, 'POST', `${API()}/test`);
    expect(res.status).toBe(200);
    const body = res.json();
    expect(body.ok).toBe(true);
    expect(body.checks.map((c: { check: string; status: string }) => [c.check, c.status])).toEqual([
      ['auth', 'ok'],
      ['policies', 'ok'],
      ['incidents', 'ok'],
    ]);
    for (const c of body.checks) expect(c.durationMs).toBeGreaterThanOrEqual(0);
    expect(body.checks[1]).toMatchObject({ table: POLICY_TABLE, count: expect.any(Number) });
    expect(body.checks[1].count).toBeGreaterThan(0);
    // Real authenticated reads, as the integration user.
    const seen = alpha.standin.requests.all().filter((r) => r.at >= since);
    expect(seen.map((r) => [r.path, r.status, r.user])).toEqual([
      ['/api/now/table/sys_user', 200, 'imper.integration'],
      [`/api/now/table/${POLICY_TABLE}`, 200, 'imper.integration'],
      ['/api/now/table/incident', 200, 'imper.integration'],
    ]);
    expect(seen[0]!.query).toMatchObject({ sysparm_limit: '1', sysparm_fields: 'sys_id' });
    const audit = (await auditOf('settings.servicenow_tested')).at(-1)!;
    expect(audit).toMatchObject({ tenant_id: alphaId, actor: 'console:alice.admin' });
    expect(audit.data).toEqual({ ok: true, failedChecks: [] });
  });

  it('the page: the button posts, and the result lists each check passed', async () => {
    const page = await req(admin, 'GET', PAGE());
    expect(page.text).toContain('action="/console/settings/servicenow/test#sn-test-h"');
    const res = await req(admin, 'POST', `${PAGE()}/test`, { form: { csrf: admin.csrf } });
    expect(res.status).toBe(200);
    expect(res.text).toContain('data-result="ok"');
    expect(res.text.match(/class="sn-check" data-check="\w+" data-status="ok"/g)).toHaveLength(3);
    expect(res.text).toContain('All 3 checks passed.');
    // Without the anti-CSRF value nothing runs.
    const forged = await admin.request(`${PAGE()}/test`, { method: 'POST', form: { csrf: 'x' } });
    expect(forged.status).toBe(403);
  });

  it('an instance that does not answer: SERVICENOW_UNREACHABLE with a next step, the rest skipped, quickly', async () => {
    alpha.standin.faults.enqueue({ kind: 'drop' });
    const started = Date.now();
    const body = (await req(admin, 'POST', `${API()}/test`)).json();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(body.ok).toBe(false);
    expect(body.checks[0]).toMatchObject({ check: 'auth', status: 'failed', code: 'SERVICENOW_UNREACHABLE' });
    expect(body.checks[0].nextStep).toMatch(/instance URL/);
    expect(body.checks.slice(1).map((c: { status: string }) => c.status)).toEqual(['skipped', 'skipped']);
    expect((await auditOf('settings.servicenow_tested')).at(-1)!.data).toEqual({
      ok: false,
      failedChecks: ['auth', 'policies', 'incidents'],
    });
  });

  it('no active category policy visible: SERVICENOW_NO_POLICIES', async () => {
    const store = alpha.standin.store;
    const active = store.query(POLICY_TABLE, 'active=true');
    for (const p of active)
      store.update(POLICY_TABLE, String(p.sys_id), { active: 'false' }, { runRules: false });
    try {
      const body = (await req(admin, 'POST', `${API()}/test`)).json();
      expect(body.checks.map((c: { code?: string }) => c.code ?? 'ok')).toEqual([
        'ok',
        'SERVICENOW_NO_POLICIES',
        'ok',
      ]);
      expect(body.checks[1].nextStep).toMatch(/x_imper_verify/);
    } finally {
      for (const p of active)
        store.update(POLICY_TABLE, String(p.sys_id), { active: 'true' }, { runRules: false });
    }
  });

  it('maps failures to stable codes: 401/auth, 403, no answer, gateway errors, anything else', () => {
    const e = (kind: 'http' | 'auth' | 'network' | 'timeout', status?: number) =>
      new ServiceNowError({ kind, message: 'x', retriable: false, ...(status ? { status } : {}) });
    expect(classifyFailure(e('auth', 401)).code).toBe('SERVICENOW_AUTH_REJECTED');
    expect(classifyFailure(e('auth', 400)).code).toBe('SERVICENOW_AUTH_REJECTED'); // a refused OAuth token request
    expect(classifyFailure(e('http', 403))).toEqual({ code: 'SERVICENOW_FORBIDDEN', httpStatus: 403 });
    expect(classifyFailure(e('timeout')).code).toBe('SERVICENOW_UNREACHABLE');
    expect(classifyFailure(e('network')).code).toBe('SERVICENOW_UNREACHABLE');
    expect(classifyFailure(e('http', 503)).code).toBe('SERVICENOW_UNREACHABLE');
    expect(classifyFailure(e('http', 500))).toEqual({ code: 'SERVICENOW_ERROR', httpStatus: 500 });
    expect(classifyFailure(e('http', 400)).code).toBe('SERVICENOW_ERROR');
    expect(classifyFailure(new TypeError('x')).code).toBe('SERVICENOW_ERROR');
  });
});

describe('credentials as typed', () => {
  it('trims the user name and client id, keeps secrets as typed, refuses what an instance could not take', () => {
    expect(parseCredentials({ authType: 'basic', username: ' svc.user ', password: ' pass word ' })).toEqual({
      auth: { type: 'basic', username: 'svc.user', password: ' pass word ' },
    });
    expect(
      parseCredentials({ authType: 'oauth', clientId: ' abc ', clientSecret: 's3cret!', username: 'x' }),
    ).toEqual({
      auth: { type: 'oauth', clientId: 'abc', clientSecret: 's3cret!' },
    });
    expect(parseCredentials({ authType: 'basic', username: 'a:b', password: 'x' })).toEqual({
      problem: 'username',
    });
    expect(parseCredentials({ authType: 'basic', username: '  ', password: 'x' })).toEqual({
      problem: 'username',
    });
    expect(parseCredentials({ authType: 'basic', username: 'u', password: '' })).toEqual({
      problem: 'password',
    });
    expect(parseCredentials({ authType: 'basic', username: 'u', password: 'a\nb' })).toEqual({
      problem: 'password',
    });
    expect(parseCredentials({ authType: 'oauth', clientId: '', clientSecret: 'x' })).toEqual({
      problem: 'clientId',
    });
    expect(parseCredentials({ authType: 'oauth', clientId: 'c' })).toEqual({ problem: 'clientSecret' });
  });
});

describe('credentials set in the console', () => {
  let secondPassword: string;
  beforeAll(() => {
    secondPassword = secondIntegrationUser(alpha, 'imper.integration2');
    secrets.add(secondPassword);
  });

  it('a wrong password is refused (400 SERVICENOW_CREDENTIALS_REJECTED, SERVICENOW_AUTH_REJECTED) and nothing is saved', async () => {
    const wrong = `${secondPassword}-wrong`;
    secrets.add(wrong);
    const oldClient = t.deps.tenants.byId(alphaId)!.servicenow;
    const res = await req(admin, 'PUT', `${API()}/credentials`, {
      json: { authType: 'basic', username: 'imper.integration2', password: wrong },
    });
    expect(res.status).toBe(400);
    const body = res.json();
    expect(body.error.code).toBe('SERVICENOW_CREDENTIALS_REJECTED');
    expect(body.checks[0]).toMatchObject({
      check: 'auth',
      status: 'failed',
      code: 'SERVICENOW_AUTH_REJECTED',
      httpStatus: 401,
    });
    expect(body.checks[0].nextStep).toMatch(/refused the credentials/);
    // One refused sign-in only: the other reads are skipped (an instance may lock the user out).
    expect(body.checks.slice(1).map((c: { status: string }) => c.status)).toEqual(['skipped', 'skipped']);
    expect((await consoleRow(alphaId)).console_credentials_sealed).toBeNull();
    expect(t.deps.tenants.byId(alphaId)!.servicenow).toBe(oldClient);
    expect((await auditOf('settings.servicenow_credentials_changed')).length).toBe(0);
    expect((await auditOf('settings.servicenow_tested')).at(-1)!.data).toEqual({
      ok: false,
      failedChecks: ['auth', 'policies', 'incidents'],
      candidate: true,
      authType: 'basic',
      username: 'imper.integration2',
    });
  });

  it('the form: a refused candidate comes back (400) with the user name kept and the password field empty', async () => {
    const wrong = `${secondPassword}-typo`;
    secrets.add(wrong);
    const res = await req(admin, 'POST', `${PAGE()}/credentials`, {
      form: { csrf: admin.csrf, authType: 'basic', username: ' imper.integration2 ', password: wrong },
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('id="sn-basic-error" role="alert"');
    expect(res.text).toMatch(/id="sn-username" name="username"[^>]*value="imper\.integration2"/);
    expect(res.text).toMatch(
      /<input type="password" id="sn-password" name="password" autocomplete="new-password" maxlength="1000">/,
    );
    expect(res.text).toContain('data-code="SERVICENOW_AUTH_REJECTED"');
    // A missing field: the form again, the field marked, nothing sent to the instance.
    const since = Date.now();
    const empty = await req(admin, 'POST', `${PAGE()}/credentials`, {
      form: { csrf: admin.csrf, authType: 'oauth', clientId: 'some-client', clientSecret: '' },
    });
    expect(empty.status).toBe(400);
    expect(empty.text).toMatch(/id="sn-client-secret"[^>]*aria-invalid="true"/);
    expect(empty.text).toMatch(/id="sn-client-id"[^>]*value="some-client"/);
    expect(callers(alpha, since, '/')).toEqual([]);
    const api = await req(admin, 'PUT', `${API()}/credentials`, {
      json: { authType: 'basic', username: 'a:b', password: 'x' },
    });
    expect(api.status).toBe(400);
    expect(api.json().error.code).toBe('VALIDATION_FAILED');
    expect((await consoleRow(alphaId)).console_credentials_sealed).toBeNull();
  });

  it('good new credentials are saved sealed, audited without the secret, and the next real call uses them', async () => {
    const before = t.deps.tenants.byId(alphaId)!;
    expect(await launchAgent(alpha)).toEqual(['imper.integration']);
    const res = await req(admin, 'PUT', `${API()}/credentials`, {
      json: { authType: 'basic', username: 'imper.integration2', password: secondPassword },
    });
    expect(res.status).toBe(200);
    const body = res.json();
    expect(body.saved).toBe(true);
    expect(body.test.ok).toBe(true);
    expect(body.settings.credentials).toMatchObject({
      source: 'console',
      authType: 'basic',
      username: 'imper.integration2',
      secretSet: true,
      changedBy: 'console:alice.admin',
    });
    expect(Date.parse(body.settings.credentials.changedAt)).not.toBeNaN();
    // Sealed (S19): neither the password nor the user name in clear in the row.
    const row = await consoleRow(alphaId);
    expect(row.console_credentials_sealed).toMatch(/^v1\./);
    expect(row.console_credentials_sealed).not.toContain(secondPassword);
    expect(JSON.parse(t.deps.sealer.open(row.console_credentials_sealed!))).toEqual({
      type: 'basic',
      username: 'imper.integration2',
      password: secondPassword,
    });
    // The configured credentials stay as they were.
    expect(JSON.parse(t.deps.sealer.open(row.credentials_sealed)).username).toBe('imper.integration');
    const audit = (await auditOf('settings.servicenow_credentials_changed')).at(-1)!;
    expect(audit).toMatchObject({ tenant_id: alphaId, actor: 'console:alice.admin' });
    expect(audit.data).toEqual({
      authType: 'basic',
      username: 'imper.integration2',
      previousSource: 'configuration',
    });
    // This process replaced the tenant's client at once: the next real call signs in as the new user.
    const after = t.deps.tenants.byId(alphaId)!;
    expect(after).not.toBe(before);
    expect(after.servicenow).not.toBe(before.servicenow);
    expect(await launchAgent(alpha)).toEqual(['imper.integration2']);
    // The page says where they come from, and the secret only as set.
    const page = await req(admin, 'GET', PAGE());
    expect(page.text).toContain('data-source="console"');
    expect(page.text).toContain('<span data-secret="set">Set (never shown)</span>');
    expect(page.text).toContain('alice.admin');
    expect(page.text).toContain('action="/console/settings/servicenow/credentials/reset"');
    expect(page.text).toContain('action="/console/settings/servicenow/credentials#sn-basic"');
    // In French too, every placeholder filled.
    const fr = await admin.request(PAGE(), { headers: { 'accept-language': 'fr' } });
    answers.push(fr.text);
    expect(fr.text).toContain('Connexion ServiceNow');
    expect(fr.text).toContain('Cette console : modifié le');
    for (const text of [page.text, fr.text]) expect(text).not.toMatch(/\{(time|user|type|id|count|ms)\}/);
  });

  it('a restart (syncTenants again) keeps the console credentials, and writes the configured ones only', async () => {
    const restarted = await syncTenants(t.deps.db, t.deps.sealer, t.config.tenants);
    const since = Date.now();
    await restarted.byId(alphaId)!.servicenow.query('incident', { fields: ['sys_id'], limit: 1 });
    expect(callers(alpha, since, '/api/now/table/incident')).toEqual(['imper.integration2']);
    const row = await consoleRow(alphaId);
    expect(row.console_credentials_sealed).not.toBeNull();
    expect(row.credentials_changed_by).toBe('console:alice.admin');
    expect(JSON.parse(t.deps.sealer.open(row.credentials_sealed)).username).toBe('imper.integration');
  });

  it('another replica picks the change up by checking credentials_changed_at (at most every 30 s while used)', async () => {
    let now = 1_000_000;
    const replica = await syncTenants(t.deps.db, t.deps.sealer, t.config.tenants, {}, { now: () => now });
    const seenAs = async () => {
      const since = Date.now();
      await replica.byId(alphaId)!.servicenow.query('incident', { fields: ['sys_id'], limit: 1 });
      return callers(alpha, since, '/api/now/table/incident');
    };
    expect(await seenAs()).toEqual(['imper.integration2']);
    // The admin moves to OAuth (the auth type changes) on "another replica": this process's routes.
    const res = await req(admin, 'PUT', `${API()}/credentials`, {
      json: { authType: 'oauth', clientId: alpha.oauth.clientId, clientSecret: alpha.oauth.clientSecret },
    });
    expect(res.status).toBe(200);
    expect(res.json().settings.credentials).toMatchObject({
      authType: 'oauth',
      clientId: alpha.oauth.clientId,
      username: null,
    });
    // Not yet: the replica checks at most every 30 s.
    const client = replica.byId(alphaId)!.servicenow;
    now += 29_000;
    replica.byId(alphaId);
    await new Promise((r) => setTimeout(r, 200));
    expect(replica.byId(alphaId)!.servicenow).toBe(client);
    // Used after 30 s: it looks, and swaps the client.
    now += 1_000;
    replica.byId(alphaId);
    for (let i = 0; i < 50 && replica.byId(alphaId)!.servicenow === client; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(replica.byId(alphaId)!.servicenow).not.toBe(client);
    const since = Date.now();
    await replica.byId(alphaId)!.servicenow.query('incident', { fields: ['sys_id'], limit: 1 });
    expect(
      alpha.standin.requests
        .all()
        .filter((r) => r.at >= since)
        .map((r) => r.path),
    ).toEqual(['/oauth_token.do', '/api/now/table/incident']);
    expect(await replica.checkForChanges()).toBe(0); // nothing new since
    // The real flow in this process uses the OAuth client too.
    const sinceLaunch = Date.now();
    await launchAgent(alpha);
    expect(callers(alpha, sinceLaunch, '/oauth_token.do').length).toBe(1);
  });

  it('a wrong OAuth client secret is refused as SERVICENOW_AUTH_REJECTED', async () => {
    const wrong = secret(18);
    secrets.add(wrong);
    const res = await req(admin, 'PUT', `${API()}/credentials`, {
      json: { authType: 'oauth', clientId: alpha.oauth.clientId, clientSecret: wrong },
    });
    expect(res.status).toBe(400);
    expect(res.json().checks[0].code).toBe('SERVICENOW_AUTH_REJECTED');
    expect(
      JSON.parse(t.deps.sealer.open((await consoleRow(alphaId)).console_credentials_sealed!)).clientSecret,
    ).toBe(alpha.oauth.clientSecret);
  });

  it('S18: the other tenant sees and changes only its own connection', async () => {
    const theirs = (await req(betaAdmin, 'GET', API())).json();
    expect(theirs.tenant).toEqual({ slug: 'beta', name: 'Beta Desk', instanceUrl: beta.standin.url });
    expect(theirs.credentials).toMatchObject({
      source: 'configuration',
      changedBy: null,
      username: 'imper.integration',
    });
    const since = Date.now();
    const test = (await req(betaAdmin, 'POST', `${API()}/test`)).json();
    expect(test.ok).toBe(true);
    expect(callers(alpha, since, '/')).toEqual([]); // beta's test went to beta's instance only
    expect(callers(beta, since, '/api/').length).toBe(3);
    // beta's reset touches nothing of alpha's.
    const reset = await req(betaAdmin, 'DELETE', `${API()}/credentials`);
    expect(reset.json().cleared).toBe(false);
    expect((await consoleRow(alphaId)).console_credentials_sealed).not.toBeNull();
    expect((await consoleRow(betaId)).credentials_changed_at).toBeNull();
    expect((await auditOf('settings.servicenow_tested')).at(-1)).toMatchObject({
      tenant_id: betaId,
      actor: 'console:bob.admin',
    });
  });

  it('"Use the configured credentials" goes back to them at once; audited; a second reset changes nothing', async () => {
    const page = await req(admin, 'POST', `${PAGE()}/credentials/reset`, { form: { csrf: admin.csrf } });
    expect(page.status).toBe(303);
    expect(page.location).toBe('/console/settings/servicenow?done=reset#main');
    const row = await consoleRow(alphaId);
    expect(row.console_credentials_sealed).toBeNull();
    expect(row.credentials_changed_by).toBe('console:alice.admin');
    expect(await launchAgent(alpha)).toEqual(['imper.integration']);
    const facts = (await req(admin, 'GET', API())).json();
    expect(facts.credentials).toMatchObject({
      source: 'configuration',
      authType: 'basic',
      username: 'imper.integration',
    });
    const shown = await req(admin, 'GET', `${PAGE()}?done=reset`);
    expect(shown.text).toContain('data-done="reset"');
    expect(shown.text).not.toContain('action="/console/settings/servicenow/credentials/reset"');
    const audit = (await auditOf('settings.servicenow_credentials_reset')).at(-1)!;
    expect(audit).toMatchObject({ tenant_id: alphaId, actor: 'console:alice.admin' });
    const again = await req(admin, 'DELETE', `${API()}/credentials`);
    expect(again.status).toBe(200);
    expect(again.json().cleared).toBe(false);
    expect((await auditOf('settings.servicenow_credentials_reset')).length).toBe(1);
  });

  it('the form saves good credentials with a 303 to the page, which says so', async () => {
    const res = await req(admin, 'POST', `${PAGE()}/credentials`, {
      form: { csrf: admin.csrf, authType: 'basic', username: 'imper.integration2', password: secondPassword },
    });
    expect(res.status).toBe(303);
    expect(res.location).toBe('/console/settings/servicenow?done=saved#main');
    const page = await req(admin, 'GET', `${t.url}${res.location}`);
    expect(page.text).toContain('data-done="saved"');
    expect(await launchAgent(alpha)).toEqual(['imper.integration2']);
    expect((await req(admin, 'DELETE', `${API()}/credentials`)).json().cleared).toBe(true);
  });
});

describe('S20: secrets are write-only', () => {
  it('no secret in any page or answer of this file, in the audit trail or in the logs', async () => {
    const all = [...secrets, ...t.issuedSecrets];
    expect(all.length).toBeGreaterThan(6);
    const audit = JSON.stringify(
      await t.db.db.selectFrom('audit_events').select(['type', 'actor', 'data']).execute(),
    );
    const logs = t.logs.join('\n');
    const pages = answers.join('\n');
    for (const s of all) {
      expect([s, pages.includes(s)]).toEqual([s, false]);
      expect([s, audit.includes(s)]).toEqual([s, false]);
      expect([s, logs.includes(s)]).toEqual([s, false]);
    }
  });
});
