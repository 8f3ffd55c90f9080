// The Entra ID connector with the real @microsoft/microsoft-graph-client against the local Graph stand-in
// (token endpoint + Graph v1.0), in-process.
import { startGraphStandin, type GraphStandin } from '@imper/provider-standins';
import { createEntraConnector, type EntraConnectorConfig } from '../../src/directories/entra';
import type { DirectoryAccount } from '../../src/directories/types';

const TENANT = '0c0ffee0-0000-4000-8000-00000000beef';
const APP = { clientId: '5e1f0000-0000-4000-8000-000000000001', clientSecret: 'entra-test-secret~1' };
const READER = { clientId: '5e1f0000-0000-4000-8000-000000000002', clientSecret: 'entra-reader-secret' };
const OLD = 'Old-Passw0rd!';
const NEW = 'correct horse battery Staple 9';

let graph: GraphStandin;

const seed = () => [
  {
    id: '7a0e0000-0000-4000-8000-000000000001',
    userPrincipalName: 'alex@contoso.com',
    password: OLD,
    methods: [
      { kind: 'phone' as const, properties: { phoneNumber: '+1 2065550100', phoneType: 'mobile' } },
      { kind: 'microsoftAuthenticator' as const, properties: { displayName: 'iPhone 15' } },
      { kind: 'fido2' as const, properties: { model: 'YubiKey 5' } },
    ],
  },
  { id: '7a0e0000-0000-4000-8000-000000000002', userPrincipalName: 'off@contoso.com', accountEnabled: false },
  { id: '7a0e0000-0000-4000-8000-000000000003', userPrincipalName: 'admin@contoso.com', privileged: true },
];

async function start() {
  graph = await startGraphStandin({
    tenantId: TENANT,
    clients: [
      { ...APP, permissions: ['User.ReadWrite.All', 'UserAuthenticationMethod.ReadWrite.All'] },
      { ...READER, permissions: ['User.Read.All'] },
    ],
    users: seed(),
  });
}

beforeEach(start);
afterEach(() => graph.close());

const connector = (over: Partial<EntraConnectorConfig> = {}) =>
  createEntraConnector({
    kind: 'entra',
    tenantId: TENANT,
    ...APP,
    authorityUrl: graph.url,
    graphUrl: graph.url,
    timeoutMs: 2000,
    ...over,
  });

const account = (email: string | null = 'alex@contoso.com'): DirectoryAccount => ({
  sysId: 'a8f98bb0eb32010045e1a5115206fe3a',
  userName: 'alex.wilber',
  email,
});

const graphCalls = () =>
  graph
    .requests()
    .filter((r) => r.url.startsWith('/v1.0/'))
    .map((r) => `${r.method} ${r.url.split('?')[0]} ${r.status}`);

describe('Entra connector: setPassword', () => {
  it('PATCHes passwordProfile over HTTP with a client-credentials token, then revokes sessions', async () => {
    const result = await connector().setPassword(account(), NEW);
    expect(result).toEqual({
      ok: true,
      detail: expect.stringContaining('Password changed in Microsoft Entra ID'),
    });
    expect(graph.checkPassword('alex@contoso.com', NEW)).toBe(true);
    expect(graph.checkPassword('alex@contoso.com', OLD)).toBe(false);
    expect(graph.user('alex@contoso.com')!.forceChangePasswordNextSignIn).toBe(false);

    const requests = graph.requests();
    expect(requests[0]).toMatchObject({ method: 'POST', url: `/${TENANT}/oauth2/v2.0/token`, status: 200 });
    expect(graphCalls()).toEqual([
      'GET /v1.0/users/alex%40contoso.com 200',
      'PATCH /v1.0/users/7a0e0000-0000-4000-8000-000000000001 204',
      'POST /v1.0/users/7a0e0000-0000-4000-8000-000000000001/revokeSignInSessions 200',
    ]);
    const get = requests.find((r) => r.method === 'GET')!;
    expect(get.url).toContain('$select=id,userPrincipalName,accountEnabled,lastPasswordChangeDateTime');
    expect(get.headers.authorization).toMatch(/^Bearer eyJ/);
    const patch = requests.find((r) => r.method === 'PATCH')!;
    expect(patch.body).toEqual({
      passwordProfile: { password: '[redacted]', forceChangePasswordNextSignIn: false },
    });
  });

  it('reuses the token across calls and fetches a new one after a 401', async () => {
    const c = connector();
    await c.status(account());
    await c.status(account());
    expect(graph.requests().filter((r) => r.url.includes('/oauth2/'))).toHaveLength(1);
    graph.expireTokens();
    const again = await c.status(account());
    expect(again.ok).toBe(true);
    expect(graph.requests().filter((r) => r.url.includes('/oauth2/'))).toHaveLength(2);
  });

  it('maps the complexity refusal to password_policy in plain words, without the password', async () => {
    const result = await connector().setPassword(account(), 'weakpassword');
    expect(result).toMatchObject({ ok: false, reason: 'password_policy', code: 'Request_BadRequest' });
    if (result.ok) throw new Error('expected a refusal');
    expect(result.message).toMatch(
      /refused the new password: it does not meet the organisation's password rules/,
    );
    expect(result.message).not.toContain('weakpassword');
    expect(graph.checkPassword('alex@contoso.com', OLD)).toBe(true);
  });

  it('does not write to a disabled account (account_disabled)', async () => {
    const result = await connector().setPassword(account('off@contoso.com'), NEW);
    expect(result).toMatchObject({ ok: false, reason: 'account_disabled' });
    expect(graph.requests().some((r) => r.method === 'PATCH')).toBe(false);
  });
});

describe('Entra connector: error mapping', () => {
  it('404 → not_found; status() reports exists: false', async () => {
    const c = connector();
    expect(await c.setPassword(account('nobody@contoso.com'), NEW)).toMatchObject({
      ok: false,
      reason: 'not_found',
      code: 'Request_ResourceNotFound',
    });
    expect(await c.status(account('nobody@contoso.com'))).toEqual({
      ok: true,
      status: { exists: false, locked: null, disabled: null, passwordChangedAt: null },
    });
    expect(await c.resetMfa(account(null))).toMatchObject({
      ok: false,
      reason: 'not_found',
      code: 'no_account_key',
    });
  });

  it('403 (missing permission, privileged target) → not_permitted', async () => {
    expect(await connector({ ...READER }).setPassword(account(), NEW)).toMatchObject({
      ok: false,
      reason: 'not_permitted',
      code: 'Authorization_RequestDenied',
    });
    expect(await connector().setPassword(account('admin@contoso.com'), NEW)).toMatchObject({
      ok: false,
      reason: 'not_permitted',
    });
  });

  it('a refused client secret (401 AADSTS7000215) → not_permitted, and the secret is not in the message', async () => {
    const result = await connector({ clientSecret: 'wrong-secret' }).setPassword(account(), NEW);
    expect(result).toMatchObject({ ok: false, reason: 'not_permitted', code: 'AADSTS7000215' });
    expect(JSON.stringify(result)).not.toContain('wrong-secret');
    expect(graphCalls()).toEqual([]);
  });

  it('401 from Graph twice in a row → not_permitted (one fresh-token retry only)', async () => {
    graph.faults.failNext('graph', 2, 401);
    const result = await connector().status(account());
    expect(result).toMatchObject({ ok: false, reason: 'not_permitted' });
    expect(graph.requests().filter((r) => r.url.includes('/oauth2/'))).toHaveLength(2);
  });

  it('429 with Retry-After → unavailable with retryAfterSeconds, and the SDK does not retry on its own', async () => {
    graph.faults.failNext('graph', 1, 429, { retryAfterSeconds: 7 });
    const result = await connector().setPassword(account(), NEW);
    expect(result).toMatchObject({
      ok: false,
      reason: 'unavailable',
      code: 'TooManyRequests',
      retryAfterSeconds: 7,
    });
    if (result.ok) throw new Error('expected unavailable');
    expect(result.message).toMatch(/Try again in 7 seconds/);
    expect(graphCalls()).toEqual(['GET /v1.0/users/alex%40contoso.com 429']);
    expect(graph.checkPassword('alex@contoso.com', OLD)).toBe(true);
  });

  it('a fractional Retry-After is rounded up; a 503 on the write is unavailable', async () => {
    graph.faults.failNext('graph', 1, 429, { retryAfterSeconds: 2.128 });
    expect(await connector().status(account())).toMatchObject({
      reason: 'unavailable',
      retryAfterSeconds: 3,
    });
    // GET succeeds, PATCH fails
    const c = connector();
    await c.status(account());
    graph.faults.failNext('graph', 1, 503);
    expect(await c.setPassword(account(), NEW)).toMatchObject({ ok: false, reason: 'unavailable' });
  });

  it('the token endpoint throttled → unavailable with its Retry-After', async () => {
    graph.faults.failNext('graph-login', 1, 429, { retryAfterSeconds: 30 });
    expect(await connector().unlock(account())).toMatchObject({
      ok: false,
      reason: 'unavailable',
      retryAfterSeconds: 30,
    });
  });

  it('a dropped connection or a server that is down → unavailable', async () => {
    graph.faults.dropNext('graph', 1);
    expect(await connector().setPassword(account(), NEW)).toMatchObject({
      ok: false,
      reason: 'unavailable',
      code: 'network',
    });
    const url = graph.url;
    await graph.close();
    const down = await createEntraConnector({
      kind: 'entra',
      tenantId: TENANT,
      ...APP,
      authorityUrl: url,
      graphUrl: url,
      timeoutMs: 1000,
    }).setPassword(account(), NEW);
    expect(down).toMatchObject({ ok: false, reason: 'unavailable', code: expect.stringMatching(/^token_/) });
    await start(); // afterEach closes it
  });

  it('a slow Graph → unavailable (timeout) within the deadline', async () => {
    const c = connector({ timeoutMs: 300 });
    await c.status(account()); // token cached
    graph.faults.setLatency('graph', 1500);
    const started = Date.now();
    expect(await c.status(account())).toMatchObject({ ok: false, reason: 'unavailable', code: 'timeout' });
    expect(Date.now() - started).toBeLessThan(1400);
  });
});

describe('Entra connector: unlock, resetMfa, lock, status', () => {
  it('unlock says plainly that smart lockout clears itself, and changes nothing', async () => {
    const result = await connector().unlock(account());
    expect(result).toMatchObject({ ok: false, reason: 'unsupported', code: 'entra_smart_lockout' });
    if (result.ok) throw new Error('expected unsupported');
    expect(result.message).toMatch(/smart lockout/);
    expect(result.message).toMatch(/unlocks it by itself when the lockout period ends/);
    expect(result.message).toMatch(/administrator cannot clear it/);
    expect(graph.requests().filter((r) => r.method !== 'GET' && r.url.startsWith('/v1.0/'))).toEqual([]);
    expect(await connector().unlock(account('off@contoso.com'))).toMatchObject({
      reason: 'account_disabled',
    });
  });

  it('resetMfa deletes every method but the password, then revokes sessions', async () => {
    const result = await connector().resetMfa(account());
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) throw new Error('expected ok');
    expect(result.detail).toMatch(
      /Removed 3 sign-in methods \(phone, Microsoft Authenticator, security key\)/,
    );
    expect(graph.user('alex@contoso.com')!.methods.map((m) => m.kind)).toEqual(['password']);
    const calls = graphCalls();
    expect(calls.filter((c) => c.startsWith('DELETE'))).toEqual([
      'DELETE /v1.0/users/7a0e0000-0000-4000-8000-000000000001/authentication/phoneMethods/3179e48a-750b-4051-897c-87b9720928f7 204',
      expect.stringMatching(/^DELETE .*\/authentication\/microsoftAuthenticatorMethods\/[0-9a-f-]+ 204$/),
      expect.stringMatching(/^DELETE .*\/authentication\/fido2Methods\/[0-9a-f-]+ 204$/),
    ]);
    expect(calls.at(-1)).toMatch(/revokeSignInSessions 200$/);
  });

  it('resetMfa stopped half-way by throttling says so, and running it again removes the rest', async () => {
    const c = connector();
    await c.status(account()); // token cached
    // GET user, GET methods and the first DELETE go through; the second DELETE is throttled.
    graph.faults.failNext('graph', 1, 429, { retryAfterSeconds: 5, after: 3 });
    const first = await c.resetMfa(account());
    expect(first).toMatchObject({ ok: false, reason: 'unavailable', retryAfterSeconds: 5 });
    if (first.ok) throw new Error('expected unavailable');
    expect(first.message).toMatch(
      /1 of 3 sign-in methods were already removed; trying again removes the rest/,
    );
    expect(graph.user('alex@contoso.com')!.methods.map((m) => m.kind)).toEqual([
      'password',
      'microsoftAuthenticator',
      'fido2',
    ]);
    expect(await c.resetMfa(account())).toMatchObject({ ok: true });
    expect(graph.user('alex@contoso.com')!.methods.map((m) => m.kind)).toEqual(['password']);
  });

  it('lock disables sign-in and revokes sessions; status reflects it', async () => {
    const c = connector();
    expect(await c.lock!(account())).toMatchObject({
      ok: true,
      detail: expect.stringMatching(/Sign-in blocked/),
    });
    expect(graph.user('alex@contoso.com')!.accountEnabled).toBe(false);
    const status = await c.status(account());
    expect(status).toMatchObject({ ok: true, status: { exists: true, locked: null, disabled: true } });
    if (!status.ok) throw new Error('expected ok');
    expect(status.status.passwordChangedAt).toBeInstanceOf(Date);
  });

  it('refuses configs that would send the secret in clear or carry unknown fields', () => {
    expect(() => connector({ graphUrl: 'http://graph.example.com' })).toThrow(/graphUrl must be https/);
    expect(() => createEntraConnector({ kind: 'entra', tenantId: TENANT, clientId: 'x' })).toThrow(
      /clientSecret/,
    );
    expect(() => createEntraConnector({ kind: 'entra', tenantId: TENANT, ...APP, extra: 1 })).toThrow(
      /invalid/,
    );
  });
});
