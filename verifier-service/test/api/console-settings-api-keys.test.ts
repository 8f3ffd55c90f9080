// Console Settings — API keys (F7 keys managed in F8 §6) over HTTP against the real database and ServiceNow
// stand-in: a key created on the page or through the JSON API starts a verification on the real API start route;
// revoked, the API refuses it (401 API_KEY_INVALID); the key is shown once and never listed, audited or logged (S1,
// S20); operators and auditors get 403; another tenant's key is NOT_FOUND and stays live (S18).
import { build, type TestApp } from '../helper';
import { ConsoleBrowser, consoleSignIn, consoleUser } from '../console';
import { ticketsWithContacts, type TicketRef } from '../flows';
import { otherTenant } from '../console/rows';
import { createApiKey } from '../../src/services/api-keys';
import { createConsoleSession } from '../../src/services/console-auth';
import { cookieName } from '../../src/lib/cookies';

let t: TestApp;
let admin: ConsoleBrowser;
let adminName: string;
let callers: TicketRef['caller'][];

beforeAll(async () => {
  t = await build();
  const u = await consoleUser(t, 'admin');
  adminName = u.username;
  admin = await consoleSignIn(t, u);
  callers = ticketsWithContacts(t, 4).map((tk) => tk.caller);
}, 60_000);
afterAll(() => t?.close());
jest.setTimeout(60_000);

const PAGE = () => `${t.url}/console/settings/api-keys`;
const API = () => `${t.url}/console/api/settings/api-keys`;
let nextCaller = 0;
const userName = (sysId: string) => String(t.standin.store.get('sys_user', sysId)!.user_name);

/** POST /api/v1/verifications with the key, for a caller who has not been started yet. */
function startWith(key: string) {
  const c = callers[nextCaller++]!;
  return fetch(`${t.url}/api/v1/verifications`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ user: userName(c.sys_id), channel: 'email', action: 'none' }),
  });
}
const codeOf = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;
/** The value of a readonly input on a page. */
const inputValue = (html: string, id: string) =>
  new RegExp(`id="${id}"[^>]*value="([^"]*)"`).exec(html)?.[1]?.replace(/&amp;/g, '&');

const auditRows = () =>
  t.db.db
    .selectFrom('audit_events')
    .select(['type', 'actor', 'data'])
    .where('type', 'like', 'api_key.%')
    .execute();

describe('console settings: API keys page', () => {
  it('creates a key from the form: shown once (no-store), it starts a verification; the list shows only its prefix', async () => {
    const page = await admin.get(PAGE());
    expect(page.status).toBe(200);
    expect(page.text).toContain('aria-current="page">API keys</a>');
    expect(page.text).toContain('name="scopes" value="verifications:write" checked');

    const res = await admin.request(PAGE(), {
      form: { csrf: admin.csrf, name: 'Phone IVR', scopes: 'verifications:write', webhookUrl: '' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.text).toContain('it is not shown again');
    const key = inputValue(res.text, 'created-key')!;
    expect(key).toMatch(/^ivk_[a-z0-9]{10}_[A-Za-z0-9_-]{43}$/);
    t.issuedSecrets.add(key);
    expect(res.text).not.toContain('created-webhook-secret'); // no webhook, no secret

    const started = await startWith(key);
    expect(started.status).toBe(201);

    const list = await admin.get(PAGE());
    expect(list.text).toContain(key.slice(0, 14));
    expect(list.text).not.toContain(key);
    expect(list.text).toContain('Phone IVR');
    expect(list.text).toContain(`by console:${adminName}`);
    const api = (await admin.get(API())).json();
    const item = api.items.find((k: { prefix: string }) => k.prefix === key.slice(0, 14));
    expect(item).toMatchObject({
      name: 'Phone IVR',
      scopes: ['verifications:write'],
      webhookUrl: null,
      createdBy: `console:${adminName}`,
      revokedAt: null,
    });
    expect(item.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(api)).not.toContain(key.slice(15));
  });

  it('refuses a bad form with the form again (400), values kept: no name, no scope, an http webhook', async () => {
    const res = await admin.request(PAGE(), {
      form: { csrf: admin.csrf, name: '   ', webhookUrl: 'http://ivr.example.com/hook' },
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('The key was not created');
    expect(res.text).toContain('Give the key a name');
    expect(res.text).toContain('Choose at least one thing the key may do');
    expect(res.text).toContain('Enter a valid https URL');
    expect(res.text).toContain('value="http://ivr.example.com/hook"');
    expect(res.text).toMatch(/id="api-key-webhook"[^>]*aria-invalid="true"/);
    // https is fine (as the service's own rule says)
    const ok = await admin.request(PAGE(), {
      form: {
        csrf: admin.csrf,
        name: 'Chat bot',
        scopes: 'verifications:read',
        webhookUrl: 'https://bot.example.com/hooks',
      },
    });
    expect(ok.status).toBe(200);
    const secret = inputValue(ok.text, 'created-webhook-secret')!;
    expect(secret).toMatch(/^whsec_/);
    t.issuedSecrets.add(secret);
    t.issuedSecrets.add(inputValue(ok.text, 'created-key')!);
    // Without the CSRF value nothing is created.
    const noCsrf = await admin.request(PAGE(), { form: { name: 'x', scopes: 'verifications:read' } });
    expect(noCsrf.status).toBe(403);
  });

  it('revokes from the page: 303 back with a notice, the API refuses the key (401), a second click is harmless', async () => {
    const created = await admin.post(API(), { name: 'To revoke', scopes: ['verifications:write'] });
    expect(created.status).toBe(201);
    const { key, apiKey } = created.json();
    t.issuedSecrets.add(key);
    expect((await startWith(key)).status).toBe(201);

    const revoke = () => admin.request(`${PAGE()}/${apiKey.id}/revoke`, { form: { csrf: admin.csrf } });
    const first = await revoke();
    expect(first.status).toBe(303);
    expect(first.location).toBe(`/console/settings/api-keys?revoked=${apiKey.id}`);
    const page = await admin.get(`${t.url}${first.location}`);
    expect(page.text).toContain(`Key ${apiKey.prefix} is revoked`);
    expect(page.text).toMatch(new RegExp(`data-key-id="${apiKey.id}" data-state="revoked"`));

    const refused = await startWith(key);
    expect(refused.status).toBe(401);
    expect(await codeOf(refused)).toBe('API_KEY_INVALID');

    expect((await revoke()).status).toBe(303);
    const events = (await auditRows()).filter(
      (e) => e.type === 'api_key.revoked' && (e.data as { keyId: string }).keyId === apiKey.id,
    );
    expect(events).toHaveLength(1);
    expect(events[0]!.actor).toBe(`console:${adminName}`);
  });
});

describe('console settings: API keys JSON API', () => {
  it('creates (201, the key and webhook secret once), lists, revokes (idempotent); the service validates the webhook', async () => {
    const res = await admin.post(API(), {
      name: 'IVR with hook',
      scopes: ['verifications:write', 'verifications:read'],
      webhookUrl: 'https://ivr.example.com/hooks',
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = res.json();
    t.issuedSecrets.add(body.key);
    t.issuedSecrets.add(body.webhookSecret);
    expect(body.webhookSecret).toMatch(/^whsec_/);
    expect(body.apiKey).toMatchObject({ name: 'IVR with hook', webhookUrl: 'https://ivr.example.com/hooks' });

    const bad = await admin.post(API(), {
      name: 'x',
      scopes: ['verifications:write'],
      webhookUrl: 'http://ivr.example.com/hooks',
    });
    expect(bad.status).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    expect((await admin.post(API(), { name: 'x', scopes: [] })).status).toBe(400);
    expect((await admin.post(API(), { name: 'x', scopes: ['admin:all'] })).status).toBe(400);

    const revoke = () => admin.post(`${API()}/${body.apiKey.id}/revoke`);
    const r1 = await revoke();
    expect(r1.status).toBe(200);
    expect(r1.json().apiKey.revokedAt).not.toBeNull();
    const r2 = await revoke();
    expect(r2.json().apiKey.revokedAt).toBe(r1.json().apiKey.revokedAt);
    expect((await admin.post(`${API()}/00000000-0000-4000-8000-000000000000/revoke`)).status).toBe(404);
    expect((await admin.post(`${API()}/not-an-id/revoke`)).status).toBe(400);
  });

  it('S1/S20: no key or webhook secret in the list, the audit data or the logs', async () => {
    const list = JSON.stringify((await admin.get(API())).json());
    const audit = JSON.stringify(await auditRows());
    const logs = t.logs.join('\n');
    const created = [...t.issuedSecrets].filter((s) => s.startsWith('ivk_') || s.startsWith('whsec_'));
    expect(created.length).toBeGreaterThanOrEqual(5);
    for (const s of created) {
      expect(list).not.toContain(s);
      expect(audit).not.toContain(s);
      expect(logs).not.toContain(s);
    }
    expect((await auditRows()).filter((e) => e.type === 'api_key.created').length).toBeGreaterThanOrEqual(4);
  });
});

describe('console settings: API keys roles and tenants', () => {
  it('operator and auditor get 403 on the page, the form and the API', async () => {
    for (const role of ['operator', 'auditor'] as const) {
      const b = await consoleSignIn(t, await consoleUser(t, role));
      expect((await b.get(PAGE())).status).toBe(403);
      expect((await b.get(API())).status).toBe(403);
      expect((await b.post(API(), { name: 'x', scopes: ['verifications:write'] })).status).toBe(403);
      const form = await b.request(PAGE(), {
        form: { csrf: b.csrf, name: 'x', scopes: 'verifications:write' },
      });
      expect(form.status).toBe(403);
    }
  });

  it("S18: another tenant's key is not listed and cannot be revoked (404), and its admin sees none of ours", async () => {
    const tenantB = await otherTenant(t);
    const theirs = await createApiKey(t.deps, {
      tenantId: tenantB,
      name: 'Their IVR',
      scopes: ['verifications:write'],
    });
    t.issuedSecrets.add(theirs.key);
    const ours = (await admin.get(API())).json();
    expect(ours.items.map((k: { id: string }) => k.id)).not.toContain(theirs.apiKey.id);
    const api = await admin.post(`${API()}/${theirs.apiKey.id}/revoke`);
    expect(api.status).toBe(404);
    expect(api.json().error.code).toBe('NOT_FOUND');
    const page = await admin.request(`${PAGE()}/${theirs.apiKey.id}/revoke`, { form: { csrf: admin.csrf } });
    expect(page.status).toBe(404);
    const row = await t.db.db
      .selectFrom('api_keys')
      .select('revoked_at')
      .where('id', '=', theirs.apiKey.id)
      .executeTakeFirstOrThrow();
    expect(row.revoked_at).toBeNull();

    const theirAdmin = await consoleUser(t, 'admin', { tenantId: tenantB });
    const session = await createConsoleSession(t.deps, { userId: theirAdmin.id, via: 'password' });
    const b = new ConsoleBrowser();
    b.identity = { cookie: `${cookieName(t.config, 'console')}=${session.cookieValue}` };
    const theirList = (await b.get(API())).json();
    expect(theirList.items.map((k: { name: string }) => k.name)).toEqual(['Their IVR']);
  });
});
