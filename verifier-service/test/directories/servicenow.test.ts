// The ServiceNow sys_user directory against the real stand-in (scripts/dev-instance), as the integration user:
// a reset password signs in at /login.do and over basic auth and the old one stops working; unlock and lock;
// refusals, outages and throttling come back as clear outcomes with nothing half done; no password in sys_audit,
// request logs or messages (SECURITY.md S12, S13).

import type { DevInstance } from '@imper/dev-instance';
import {
  createServiceNowClient,
  type RequestEvent,
  type ServiceNowClient,
} from '../../src/clients/servicenow/client';
import { createServiceNowDirectory, MFA_UNSUPPORTED } from '../../src/directories/servicenow';
import type { DirectoryAccount, DirectoryConnector } from '../../src/directories/types';
import { SECRETS, useStandin } from '../clients/servicenow/standin';

const standin = useStandin();

type Row = Record<string, string>;

let events: RequestEvent[] = [];
beforeEach(() => {
  events = [];
  standin().requests.clear();
});

function client(url = standin().url, maxAttempts = 3): ServiceNowClient {
  return createServiceNowClient({
    instanceUrl: url,
    auth: { type: 'basic', username: 'imper.integration', password: SECRETS.integration.password },
    timeoutMs: 1000,
    retry: { maxAttempts, baseDelayMs: 1, maxDelayMs: 50 },
    onRequest: (e) => events.push(e),
  });
}

const directory = (c: ServiceNowClient = client()): DirectoryConnector => createServiceNowDirectory(c);

/** Distinct seeded employees (no role), picked by position so tests do not share accounts. */
function person(n: number, where = 'active=true^locked_out=false'): Row {
  const sn: DevInstance = standin();
  return sn.store
    .query('sys_user', `${where}^user_name!=abel.tuter^emailENDSWITH@example.com^ORDERBYuser_name`)
    .filter((u) => sn.store.rolesOf(u.sys_id as string).length === 0)[n] as Row;
}

const account = (u: Row): DirectoryAccount => ({
  sysId: u.sys_id as string,
  userName: u.user_name as string,
  email: u.email ?? null,
});

async function loginPage(userName: string, password: string): Promise<boolean> {
  const res = await fetch(`${standin().url}/login.do`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ user_name: userName, user_password: password }).toString(),
    redirect: 'manual',
  });
  await res.text();
  return res.status === 302 && (res.headers.get('set-cookie') ?? '').includes('JSESSIONID=');
}

async function basicAuth(userName: string, password: string): Promise<boolean> {
  const res = await fetch(`${standin().url}/api/now/table/sys_user?sysparm_limit=1&sysparm_fields=sys_id`, {
    headers: { authorization: `Basic ${Buffer.from(`${userName}:${password}`).toString('base64')}` },
  });
  await res.text();
  return res.status === 200;
}

const signsIn = async (u: Row, pw: string): Promise<[boolean, boolean]> => [
  await loginPage(u.user_name as string, pw),
  await basicAuth(u.user_name as string, pw),
];

/** Everything a password could leak into: the stand-in's audit rows and request log, the client's events. */
function leaks(pw: string): string[] {
  const sn = standin();
  const places = {
    sys_audit: JSON.stringify(sn.store.query('sys_audit', '')),
    requests: JSON.stringify(sn.requests.all()),
    clientEvents: JSON.stringify(events, (_k, v: unknown) => (v instanceof Error ? v.message : v)),
  };
  return Object.entries(places)
    .filter(([, text]) => text.includes(pw))
    .map(([name]) => name);
}

function withoutUserAdmin(): () => void {
  const sn = standin();
  const integration = sn.store.userByName('imper.integration') as Row;
  const link = sn.store.findOne(
    'sys_user_has_role',
    `user=${integration.sys_id}^role.name=user_admin`,
  ) as Row;
  sn.store.update('sys_user_has_role', link.sys_id as string, { state: 'inactive' }, { runRules: false });
  return () =>
    sn.store.update('sys_user_has_role', link.sys_id as string, { state: 'active' }, { runRules: false });
}

describe('setPassword', () => {
  it('the new password signs in at /login.do and over basic auth; the old one no longer does (S12)', async () => {
    const u = person(0);
    const dir = directory();
    const oldPw = 'orchard velvet quarry nineteen';
    const newPw = 'lantern tidal marble offshoot';
    await expect(dir.setPassword(account(u), oldPw)).resolves.toMatchObject({ ok: true });
    expect(await signsIn(u, oldPw)).toEqual([true, true]);

    await expect(dir.setPassword(account(u), newPw)).resolves.toEqual({ ok: true, detail: 'Password set.' });
    expect(await signsIn(u, newPw)).toEqual([true, true]);
    expect(await signsIn(u, oldPw)).toEqual([false, false]);

    const sn = standin();
    expect(sn.store.get('sys_user', u.sys_id as string)).toMatchObject({
      user_password: '',
      password_needs_reset: 'false',
    });
    const patch = sn.requests
      .all()
      .filter((r) => r.method === 'PATCH' && r.path.endsWith(u.sys_id as string));
    expect(patch.at(-1)?.query).toMatchObject({ sysparm_input_display_value: 'true' });
    // audited by name only, with empty values, as other sys_user changes are audited
    const audit = sn.store.query('sys_audit', `documentkey=${u.sys_id}^fieldname=user_password`);
    expect(audit.length).toBe(2);
    expect(audit.every((a) => a.oldvalue === '' && a.newvalue === '')).toBe(true);
    expect(leaks(oldPw)).toEqual([]);
    expect(leaks(newPw)).toEqual([]);
  });

  it('the value reads back empty through the Table API', async () => {
    const u = person(0);
    const rec = await client().get('sys_user', u.sys_id as string, {
      fields: ['user_password', 'user_name'],
    });
    expect(rec).toEqual({ user_password: '', user_name: u.user_name });
  });

  it('a write without sysparm_input_display_value=true leaves the person unable to sign in with it', async () => {
    const u = person(1);
    const pw = 'written without the display value';
    await client().update('sys_user', u.sys_id as string, { user_password: pw });
    expect(await signsIn(u, pw)).toEqual([false, false]);
    // the connector sends the parameter, so the same password then works
    await expect(directory().setPassword(account(u), pw)).resolves.toMatchObject({ ok: true });
    expect(await signsIn(u, pw)).toEqual([true, true]);
  });

  it('finds the account by user name when no sys_id is known', async () => {
    const u = person(2);
    const pw = 'found by user name only today';
    await expect(
      directory().setPassword({ sysId: null, userName: u.user_name as string, email: null }, pw),
    ).resolves.toMatchObject({ ok: true });
    expect(await signsIn(u, pw)).toEqual([true, true]);
  });

  it('an unknown account, or a sys_id of somebody else, is not_found and nothing is written', async () => {
    const dir = directory();
    const u = person(3);
    const other = person(4);
    const pw = 'must not land on the wrong person';
    await expect(
      dir.setPassword({ sysId: '0'.repeat(32), userName: 'nobody.here', email: null }, pw),
    ).resolves.toMatchObject({ ok: false, reason: 'not_found' });
    await expect(
      dir.setPassword({ sysId: null, userName: 'nobody^ORactive=true', email: null }, pw),
    ).resolves.toMatchObject({ ok: false, reason: 'not_found' });
    await expect(
      dir.setPassword({ sysId: other.sys_id as string, userName: u.user_name as string, email: null }, pw),
    ).resolves.toMatchObject({ ok: false, reason: 'not_found' });
    expect(await signsIn(other, pw)).toEqual([false, false]);
    expect(
      standin()
        .requests.all()
        .filter((r) => r.method === 'PATCH'),
    ).toEqual([]);
  });

  it('a deactivated account is account_disabled and is left alone', async () => {
    const u = person(0, 'active=false');
    const r = await directory().setPassword(account(u), 'no use for an inactive person');
    expect(r).toMatchObject({ ok: false, reason: 'account_disabled' });
    expect(
      standin()
        .requests.all()
        .filter((x) => x.method === 'PATCH'),
    ).toEqual([]);
  });

  it('an integration user without user_admin gets not_permitted; the password is unchanged and not in the message', async () => {
    const u = person(5);
    const dir = directory();
    const before = 'the password before the refusal';
    await expect(dir.setPassword(account(u), before)).resolves.toMatchObject({ ok: true });
    const restore = withoutUserAdmin();
    try {
      const pw = 'refused for want of a role';
      const r = await dir.setPassword(account(u), pw);
      expect(r).toMatchObject({ ok: false, reason: 'not_permitted', code: 'HTTP 403' });
      expect(JSON.stringify(r)).not.toContain(pw);
      expect(r.ok === false && r.message).toMatch(/user_admin/);
      expect(await signsIn(u, pw)).toEqual([false, false]);
      expect(await signsIn(u, before)).toEqual([true, true]);
      await expect(dir.unlock(account(person(0, 'active=true^locked_out=true')))).resolves.toMatchObject({
        ok: false,
        reason: 'not_permitted',
      });
      expect(leaks(pw)).toEqual([]);
    } finally {
      restore();
    }
  });

  it('the stand-in failing (503 on every attempt) is unavailable; the old password still works (nothing half done)', async () => {
    const u = person(6);
    const dir = directory();
    const before = 'working password before outage';
    await expect(dir.setPassword(account(u), before)).resolves.toMatchObject({ ok: true });
    standin().faults.enqueue(
      ...[1, 2, 3].map(() => ({ kind: 'status' as const, status: 503 as const, match: { method: 'PATCH' } })),
    );
    const pw = 'never applied during the outage';
    const r = await dir.setPassword(account(u), pw);
    expect(r).toMatchObject({ ok: false, reason: 'unavailable', code: 'HTTP 503' });
    expect(JSON.stringify(r)).not.toContain(pw);
    expect(await signsIn(u, pw)).toEqual([false, false]);
    expect(await signsIn(u, before)).toEqual([true, true]);
    expect(leaks(pw)).toEqual([]);
  });

  it('throttling (429 Retry-After) is unavailable with retryAfterSeconds', async () => {
    const u = person(7);
    standin().faults.enqueue({ kind: 'rate_limit', retryAfterSeconds: 30, match: { method: 'PATCH' } });
    const pw = 'throttled and not applied';
    const r = await directory().setPassword(account(u), pw);
    expect(r).toMatchObject({ ok: false, reason: 'unavailable', code: 'HTTP 429', retryAfterSeconds: 30 });
    expect(await signsIn(u, pw)).toEqual([false, false]);
  });

  it('the stand-in down altogether (connection refused, or dropped connections) is unavailable', async () => {
    const u = person(7);
    const pw = 'nobody is listening here';
    const down = await directory(client('http://127.0.0.1:1', 1)).setPassword(account(u), pw);
    expect(down).toMatchObject({ ok: false, reason: 'unavailable' });
    expect(JSON.stringify(down)).not.toContain(pw);

    standin().faults.enqueue({ kind: 'drop', match: { method: 'GET' } });
    const dropped = await directory(client(standin().url, 1)).setPassword(account(u), pw);
    expect(dropped).toMatchObject({ ok: false, reason: 'unavailable' });
    expect(await signsIn(u, pw)).toEqual([false, false]);
    expect(leaks(pw)).toEqual([]);
  });
});

describe('unlock, lock, status', () => {
  it('unlock clears locked_out and the person signs in again; lock sets it; status reports both', async () => {
    const u = person(0, 'active=true^locked_out=true');
    const dir = directory();
    const pw = 'locked out after the holiday';
    await expect(dir.setPassword(account(u), pw)).resolves.toEqual({
      ok: true,
      detail: 'Password set; the account is still locked out.',
    });
    expect(await signsIn(u, pw)).toEqual([false, false]);
    await expect(dir.status(account(u))).resolves.toMatchObject({
      ok: true,
      status: { exists: true, locked: true, disabled: false },
    });

    await expect(dir.unlock(account(u))).resolves.toEqual({ ok: true, detail: 'Unlocked.' });
    expect(standin().store.get('sys_user', u.sys_id as string)?.locked_out).toBe('false');
    expect(await signsIn(u, pw)).toEqual([true, true]);
    await expect(dir.unlock(account(u))).resolves.toEqual({
      ok: true,
      detail: 'The account was not locked.',
    });

    await expect(dir.lock!(account(u))).resolves.toEqual({ ok: true, detail: 'Locked.' });
    expect(standin().store.get('sys_user', u.sys_id as string)?.locked_out).toBe('true');
    expect(await signsIn(u, pw)).toEqual([false, false]);
    const audit = standin().store.query('sys_audit', `documentkey=${u.sys_id}^fieldname=locked_out`);
    expect(audit.map((a) => a.newvalue).sort()).toEqual(['false', 'true']);
  });

  it('status: exists, not locked, the last password change from sys_audit; unknown accounts do not exist', async () => {
    const u = person(8);
    const dir = directory();
    const fresh = await dir.status(account(u));
    expect(fresh).toEqual({
      ok: true,
      status: { exists: true, locked: false, disabled: false, passwordChangedAt: null },
    });
    const t0 = Date.now();
    await dir.setPassword(account(u), 'status after a password change');
    const after = await dir.status(account(u));
    expect(after.ok && after.status.passwordChangedAt).toBeInstanceOf(Date);
    const at = after.ok ? (after.status.passwordChangedAt as Date).getTime() : 0;
    expect(Math.abs(at - t0)).toBeLessThan(5000);
    await expect(dir.status({ sysId: null, userName: 'no.such.person', email: null })).resolves.toEqual({
      ok: true,
      status: { exists: false, locked: null, disabled: null, passwordChangedAt: null },
    });
    const disabled = await dir.status(account(person(0, 'active=false')));
    expect(disabled).toMatchObject({ ok: true, status: { exists: true, disabled: true } });
  });

  it('unlock of a deactivated account is account_disabled; the stand-in failing is unavailable', async () => {
    const dir = directory(client(standin().url, 1));
    await expect(dir.unlock(account(person(0, 'active=false')))).resolves.toMatchObject({
      ok: false,
      reason: 'account_disabled',
    });
    const locked = person(1, 'active=true^locked_out=true');
    standin().faults.enqueue({ kind: 'status', status: 502, match: { method: 'PATCH' } });
    await expect(dir.unlock(account(locked))).resolves.toMatchObject({ ok: false, reason: 'unavailable' });
    expect(standin().store.get('sys_user', locked.sys_id as string)?.locked_out).toBe('true');
    standin().faults.enqueue({ kind: 'status', status: 500, match: { method: 'GET' } });
    await expect(dir.status(account(locked))).resolves.toMatchObject({ ok: false, reason: 'unavailable' });
  });

  it('resetMfa is unsupported for sys_user, with a message saying where to do it', async () => {
    await expect(directory().resetMfa(account(person(0)))).resolves.toEqual({
      ok: false,
      reason: 'unsupported',
      message: MFA_UNSUPPORTED,
    });
    expect(directory().kind).toBe('servicenow');
  });
});
