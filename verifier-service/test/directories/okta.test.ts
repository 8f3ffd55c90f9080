// The Okta connector with the real @okta/okta-sdk-nodejs against the local Okta stand-in, in-process.
import { startOktaStandin, type OktaSeedUser, type OktaStandin } from '@imper/provider-standins';
import { createOktaConnector, secondsUntilReset, type OktaConnectorConfig } from '../../src/directories/okta';
import type { DirectoryAccount } from '../../src/directories/types';

const TOKEN = '00okta-connector-test-token-1';
const READ_ONLY = '00okta-connector-read-only-1';
const OLD = 'Old-Passw0rd';
const NEW = 'Correct horse battery staple 9';

let okta: OktaStandin;

const users = (): OktaSeedUser[] => [
  {
    id: '00ualex0000000000001',
    login: 'alex@example.com',
    firstName: 'Alex',
    lastName: 'Wilber',
    password: OLD,
    passwordHistory: ['Older-Passw0rd'],
    status: 'LOCKED_OUT',
    factors: [{ factorType: 'sms' }, { factorType: 'push' }],
    sessions: 2,
  },
  { id: '00ususp0000000000001', login: 'sam@example.com', status: 'SUSPENDED' },
  { id: '00uadmn0000000000001', login: 'admin@example.com', admin: true },
];

async function start() {
  okta = await startOktaStandin({
    tokens: [
      { token: TOKEN, role: 'HELP_DESK_ADMIN' },
      { token: READ_ONLY, role: 'READ_ONLY_ADMIN' },
    ],
    users: users(),
  });
}

beforeEach(start);
afterEach(() => okta.close());

const connector = (over: Partial<OktaConnectorConfig> = {}) =>
  createOktaConnector({ kind: 'okta', orgUrl: okta.url, apiToken: TOKEN, timeoutMs: 2000, ...over });

const account = (email: string | null = 'alex@example.com'): DirectoryAccount => ({
  sysId: '62826bf03710200044e0bfc8bcbe5df1',
  userName: 'alex.wilber',
  email,
});

const calls = () => okta.requests().map((r) => `${r.method} ${r.url} ${r.status}`);

describe('Okta connector: the four actions over HTTP', () => {
  it('setPassword updates credentials.password (strict), then clears sessions', async () => {
    okta.setStatus('alex@example.com', 'ACTIVE');
    const result = await connector().setPassword(account(), NEW);
    expect(result).toEqual({
      ok: true,
      detail: 'Password changed in Okta. Existing sessions were signed out.',
    });
    expect(okta.checkPassword('alex@example.com', NEW)).toBe(true);
    expect(okta.checkPassword('alex@example.com', OLD)).toBe(false);
    expect(okta.user('alex@example.com')!.sessions).toBe(0);
    expect(calls()).toEqual([
      'GET /api/v1/users/alex%40example.com 200',
      'POST /api/v1/users/00ualex0000000000001?strict=true 200',
      'DELETE /api/v1/users/00ualex0000000000001/sessions 204',
    ]);
    const [get, post] = okta.requests();
    expect(get!.headers.authorization).toBe(`SSWS ${TOKEN}`);
    expect(get!.headers['user-agent']).toMatch(/okta-sdk-nodejs/);
    expect(post!.body).toEqual({ credentials: { password: { value: '[redacted]' } } });
  });

  it('unlock calls lifecycle/unlock and the account is ACTIVE again', async () => {
    const c = connector();
    expect(await c.status(account())).toMatchObject({
      ok: true,
      status: { exists: true, locked: true, disabled: false },
    });
    expect(await c.unlock(account())).toEqual({ ok: true, detail: 'Account unlocked in Okta.' });
    expect(okta.user('alex@example.com')!.status).toBe('ACTIVE');
    // No cache: the next status() asks Okta again and sees the change.
    expect(await c.status(account())).toMatchObject({ ok: true, status: { locked: false } });
    expect(calls().filter((c) => c.startsWith('GET'))).toHaveLength(3);
    expect(calls()).toContain('POST /api/v1/users/00ualex0000000000001/lifecycle/unlock 200');
  });

  it('resetMfa calls reset_factors, then clears sessions', async () => {
    const result = await connector().resetMfa(account());
    expect(result).toMatchObject({ ok: true, detail: expect.stringMatching(/enrols again at next sign-in/) });
    expect(okta.user('alex@example.com')!.factors).toEqual([]);
    expect(okta.user('alex@example.com')!.sessions).toBe(0);
    expect(calls().slice(1)).toEqual([
      'POST /api/v1/users/00ualex0000000000001/lifecycle/reset_factors 200',
      'DELETE /api/v1/users/00ualex0000000000001/sessions 204',
    ]);
  });

  it('lock suspends and clears sessions; a suspended account is reported disabled and not written to', async () => {
    okta.setStatus('alex@example.com', 'ACTIVE');
    expect(await connector().lock!(account())).toMatchObject({
      ok: true,
      detail: expect.stringMatching(/suspended/),
    });
    expect(okta.user('alex@example.com')!.status).toBe('SUSPENDED');
    okta.reset();
    expect(await connector().setPassword(account('sam@example.com'), NEW)).toMatchObject({
      ok: false,
      reason: 'account_disabled',
    });
    expect(calls()).toEqual(['GET /api/v1/users/sam%40example.com 200']);
  });
});

describe('Okta connector: error mapping', () => {
  it('policy refusal → password_policy with the requirements in plain words, never the password', async () => {
    const result = await connector().setPassword(account(), 'alllowercase');
    expect(result).toMatchObject({ ok: false, reason: 'password_policy', code: 'E0000001' });
    if (result.ok) throw new Error('expected a refusal');
    expect(result.message).toBe(
      "Okta refused the new password: it does not meet the organisation's password rules. It needs at least 8 characters, a lowercase letter, an uppercase letter, a number, no parts of your username. It cannot be one of the last 4 passwords used. Choose a different password.",
    );
    expect(result.message).not.toContain('alllowercase');
    // History (strict=true) is enforced too.
    expect(await connector().setPassword(account(), 'Older-Passw0rd')).toMatchObject({
      reason: 'password_policy',
    });
    expect(okta.checkPassword('alex@example.com', OLD)).toBe(true); // unchanged
  });

  it('404 E0000007 → not_found; status() says exists: false', async () => {
    expect(await connector().unlock(account('nobody@example.com'))).toMatchObject({
      ok: false,
      reason: 'not_found',
      code: 'E0000007',
    });
    expect(await connector().status(account('nobody@example.com'))).toEqual({
      ok: true,
      status: { exists: false, locked: null, disabled: null, passwordChangedAt: null },
    });
  });

  it('401 E0000011 and 403 E0000006 → not_permitted', async () => {
    const bad = await connector({ apiToken: '00not-a-valid-token' }).setPassword(account(), NEW);
    expect(bad).toMatchObject({ ok: false, reason: 'not_permitted', code: 'E0000011' });
    expect(JSON.stringify(bad)).not.toContain('00not-a-valid-token');
    expect(await connector({ apiToken: READ_ONLY }).unlock(account())).toMatchObject({
      ok: false,
      reason: 'not_permitted',
      code: 'E0000006',
    });
    // A help desk admin may not reset an admin.
    expect(await connector().resetMfa(account('admin@example.com'))).toMatchObject({
      reason: 'not_permitted',
    });
  });

  it('429 E0000047 → unavailable with retryAfterSeconds from X-Rate-Limit-Reset; the SDK does not retry', async () => {
    okta.faults.failNext('okta', 1, 429, { retryAfterSeconds: 20 });
    const result = await connector().unlock(account());
    expect(result).toMatchObject({ ok: false, reason: 'unavailable', code: 'E0000047' });
    if (result.ok) throw new Error('expected unavailable');
    expect(result.retryAfterSeconds).toBeGreaterThanOrEqual(19);
    expect(result.retryAfterSeconds).toBeLessThanOrEqual(21);
    expect(calls()).toEqual(['GET /api/v1/users/alex%40example.com 429']);
    expect(okta.user('alex@example.com')!.status).toBe('LOCKED_OUT');
  });

  it('429 on the write after a good read → unavailable, nothing changed', async () => {
    okta.faults.failNext('okta', 1, 429, { retryAfterSeconds: 5, after: 1 });
    expect(await connector().resetMfa(account())).toMatchObject({ reason: 'unavailable', code: 'E0000047' });
    expect(okta.user('alex@example.com')!.factors).toHaveLength(2);
  });

  it('5xx, dropped connection, timeout and a server that is down → unavailable', async () => {
    okta.faults.failNext('okta', 1, 500);
    expect(await connector().status(account())).toMatchObject({
      ok: false,
      reason: 'unavailable',
      code: 'E0000009',
    });
    okta.faults.dropNext('okta', 1);
    expect(await connector().status(account())).toMatchObject({ ok: false, reason: 'unavailable' });
    okta.faults.setLatency('okta', 1500);
    expect(await connector({ timeoutMs: 300 }).unlock(account())).toMatchObject({
      ok: false,
      reason: 'unavailable',
      code: 'timeout',
    });
    okta.faults.setLatency('okta', 0);
    const url = okta.url;
    await okta.close();
    expect(
      await createOktaConnector({ kind: 'okta', orgUrl: url, apiToken: TOKEN }).unlock(account()),
    ).toMatchObject({
      ok: false,
      reason: 'unavailable',
      code: 'ECONNREFUSED',
    });
    await start(); // afterEach closes it
  });

  it('secondsUntilReset measures against the response Date', () => {
    const headers = new Headers({
      'x-rate-limit-reset': '1700000060',
      date: new Date(1700000000_000).toUTCString(),
    });
    expect(secondsUntilReset(headers)).toBe(60);
    expect(secondsUntilReset(new Headers())).toBeUndefined();
  });

  it('refuses an http orgUrl that is not loopback, and unknown fields', () => {
    expect(() => connector({ orgUrl: 'http://acme.okta.com' })).toThrow(/orgUrl must be https/);
    expect(() => createOktaConnector({ kind: 'okta', orgUrl: 'https://acme.okta.com' })).toThrow(/apiToken/);
  });
});
