// sys_user passwords and lock-out through the Table API, as an instance handles them (CONTRACTS.md "Actions,
// self-service, API start"): `user_password` written with sysparm_input_display_value=true becomes a one-way hash
// that /login.do and basic auth accept; without it the value is kept as the stored (encrypted) form, so the clear
// text does not sign in; it always reads back empty; writing needs user_admin (granted to the integration user).

import type { DevInstance } from '../../src/index';
import { AS, basic, call, startTestInstance } from '../helper';

let inst: DevInstance;
beforeAll(async () => {
  inst = await startTestInstance();
});
afterAll(async () => {
  await inst.close();
});

type Row = Record<string, string>;

/** An active, unlocked employee without a role, and without a password yet. */
function employee(skip = 0): Row {
  return inst.store
    .query('sys_user', 'active=true^locked_out=false^emailENDSWITH@example.com^ORDERBYuser_name')
    .filter((u) => inst.store.rolesOf(u.sys_id as string).length === 0)[skip] as Row;
}

async function loginPage(userName: string, password: string): Promise<boolean> {
  const res = await fetch(`${inst.url}/login.do`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ user_name: userName, user_password: password }).toString(),
    redirect: 'manual',
  });
  await res.text();
  return res.status === 302 && (res.headers.get('set-cookie') ?? '').includes('JSESSIONID=');
}

async function basicAuth(userName: string, password: string): Promise<boolean> {
  const r = await call(inst, 'GET', '/api/now/table/sys_user?sysparm_limit=1&sysparm_fields=sys_id', {
    auth: basic(userName, password),
  });
  return r.status === 200;
}

const setPw = (
  u: Row,
  password: string,
  query = '?sysparm_input_display_value=true',
  auth = AS.integration,
) =>
  call(inst, 'PATCH', `/api/now/table/sys_user/${u.sys_id}${query}`, {
    auth,
    body: { user_password: password, password_needs_reset: 'false' },
  });

describe('user_password through the Table API', () => {
  it('with sysparm_input_display_value=true: /login.do and basic auth accept the new password, not the old', async () => {
    const u = employee(0);
    const first = 'first correct horse battery';
    const second = 'second staple orbit lantern';
    expect((await setPw(u, first)).status).toBe(200);
    expect(await loginPage(u.user_name as string, first)).toBe(true);
    expect(await basicAuth(u.user_name as string, first)).toBe(true);

    const r = await setPw(u, second);
    expect(r.status).toBe(200);
    expect(r.json.result.user_password).toBe('');
    expect(r.text).not.toContain(second);
    expect(await loginPage(u.user_name as string, second)).toBe(true);
    expect(await basicAuth(u.user_name as string, second)).toBe(true);
    expect(await loginPage(u.user_name as string, first)).toBe(false);
    expect(await basicAuth(u.user_name as string, first)).toBe(false);
  });

  it('without sysparm_input_display_value the value is kept as the stored form: nobody signs in with it', async () => {
    const u = employee(1);
    const pw = 'plain text written the wrong way';
    const r = await setPw(u, pw, '');
    expect(r.status).toBe(200);
    expect(await loginPage(u.user_name as string, pw)).toBe(false);
    expect(await basicAuth(u.user_name as string, pw)).toBe(false);
    expect((await setPw(u, pw, '?sysparm_input_display_value=false')).status).toBe(200);
    expect(await basicAuth(u.user_name as string, pw)).toBe(false);
  });

  it('always reads back empty, in every display mode', async () => {
    const u = employee(0);
    for (const dv of ['false', 'true', 'all']) {
      const r = await call(inst, 'GET', `/api/now/table/sys_user/${u.sys_id}?sysparm_display_value=${dv}`);
      const v = r.json.result.user_password;
      expect(dv === 'all' ? v : { value: v }).toEqual(
        dv === 'all' ? { display_value: '', value: '' } : { value: '' },
      );
    }
    expect(inst.store.get('sys_user', u.sys_id as string)?.user_password).toBe('');
  });

  it('sys_audit records the change by field name with empty old and new values; the request log has no body', async () => {
    const u = employee(2);
    const pw = 'audited but never written down';
    inst.requests.clear();
    expect((await setPw(u, pw)).status).toBe(200);
    const rows = inst.store.query('sys_audit', `documentkey=${u.sys_id}^fieldname=user_password`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      tablename: 'sys_user',
      oldvalue: '',
      newvalue: '',
      user: 'imper.integration',
    });
    expect(JSON.stringify(inst.store.query('sys_audit', `documentkey=${u.sys_id}`))).not.toContain(pw);
    expect(JSON.stringify(inst.requests.all())).not.toContain(pw);
  });
});

describe('locked_out', () => {
  it('a locked-out user cannot sign in; clearing locked_out lets them in again', async () => {
    const u = employee(3);
    const pw = 'lock and unlock test phrase';
    expect((await setPw(u, pw)).status).toBe(200);
    const lock = await call(inst, 'PATCH', `/api/now/table/sys_user/${u.sys_id}`, {
      auth: AS.integration,
      body: { locked_out: 'true' },
    });
    expect(lock.status).toBe(200);
    expect(await loginPage(u.user_name as string, pw)).toBe(false);
    expect(await basicAuth(u.user_name as string, pw)).toBe(false);
    const unlock = await call(inst, 'PATCH', `/api/now/table/sys_user/${u.sys_id}`, {
      auth: AS.integration,
      body: { locked_out: 'false' },
    });
    expect(unlock.status).toBe(200);
    expect(await loginPage(u.user_name as string, pw)).toBe(true);
    const audit = inst.store.query(
      'sys_audit',
      `documentkey=${u.sys_id}^fieldname=locked_out^ORDERBYsys_created_on`,
    );
    expect(audit.map((a) => [a.oldvalue, a.newvalue])).toEqual([
      ['false', 'true'],
      ['true', 'false'],
    ]);
  });
});

describe('who may write sys_user (user_admin)', () => {
  it('the integration user holds user_admin; without it the write is refused with 403 and nothing changes', async () => {
    const u = employee(4);
    const integration = inst.store.userByName('imper.integration') as Row;
    const link = inst.store.findOne(
      'sys_user_has_role',
      `user=${integration.sys_id}^role.name=user_admin`,
    ) as Row;
    expect(link).not.toBeNull();
    inst.store.update('sys_user_has_role', link.sys_id as string, { state: 'inactive' }, { runRules: false });
    try {
      const pw = 'refused without the role';
      const r = await setPw(u, pw);
      expect(r.status).toBe(403);
      expect(r.json.error).toEqual({
        message: 'Operation Failed',
        detail: expect.stringContaining('sys_user'),
      });
      expect(r.text).not.toContain(pw);
      expect(await basicAuth(u.user_name as string, pw)).toBe(false);
      const lock = await call(inst, 'PATCH', `/api/now/table/sys_user/${u.sys_id}`, {
        auth: AS.integration,
        body: { locked_out: 'true' },
      });
      expect(lock.status).toBe(403);
      expect(inst.store.get('sys_user', u.sys_id as string)?.locked_out).toBe('false');
    } finally {
      inst.store.update('sys_user_has_role', link.sys_id as string, { state: 'active' }, { runRules: false });
    }
  });

  it('an agent (itil) may not write sys_user; nobody but an admin may change an administrator', async () => {
    const u = employee(4);
    expect((await setPw(u, 'agents cannot do this', undefined, AS.agent)).status).toBe(403);
    const admin = inst.store.userByName('admin') as Row;
    const r = await setPw(admin, 'take over the admin account');
    expect(r.status).toBe(403);
    expect(r.json.error.detail).toContain('admin role');
    expect(await basicAuth('admin', 'take over the admin account')).toBe(false);
  });
});
