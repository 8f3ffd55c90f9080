// CONTRACTS.md "Requester challenge pages": the stand-in writes sys_audit rows whenever a sys_user field changes
// through the Table API, as an instance auditing sys_user does (SECURITY.md S10 reads them).

import { DEMO_TICKET, type DevInstance } from '../../src/index';
import { AS, GLIDE_DATE, call, startTestInstance } from '../helper';

let inst: DevInstance;
beforeAll(async () => {
  inst = await startTestInstance();
});
afterAll(() => inst?.close());

type Row = Record<string, string>;

const auditOf = async (q: string): Promise<Row[]> => {
  const r = await call(
    inst,
    'GET',
    `/api/now/table/sys_audit?sysparm_query=${encodeURIComponent(q)}&sysparm_no_count=true`,
    { auth: AS.integration },
  );
  expect(r.status).toBe(200);
  return r.json.result as Row[];
};

/** A seeded person other than the demo caller, found by position so the test does not depend on the seed. */
const someone = (): Row => {
  const rows = inst.store.query('sys_user', 'employee_numberSTARTSWITHE^ORDERBYemployee_number');
  return rows[3] as Row;
};

describe('sys_audit (S10)', () => {
  it('PATCH of a user mobile_phone writes one sys_audit row with old and new values, author and checkpoint', async () => {
    const user = someone();
    const id = user.sys_id as string;
    const before = await auditOf(`tablename=sys_user^documentkey=${id}`);
    const r = await call(inst, 'PATCH', `/api/now/table/sys_user/${id}`, {
      body: { mobile_phone: '+12025550199' },
    });
    expect(r.status).toBe(200);
    const after = await auditOf(`tablename=sys_user^documentkey=${id}^ORDERBYDESCsys_created_on`);
    expect(after.length).toBe(before.length + 1);
    const row = after[0] as Row;
    expect(row).toMatchObject({
      tablename: 'sys_user',
      documentkey: id,
      fieldname: 'mobile_phone',
      oldvalue: user.mobile_phone,
      newvalue: '+12025550199',
      user: 'admin',
      reason: '',
      record_checkpoint: r.json.result.sys_mod_count,
    });
    expect(row.sys_created_on).toMatch(GLIDE_DATE);
  });

  it('a PATCH that leaves every value as it was writes no row; PUT audits each changed field only', async () => {
    const user = someone();
    const id = user.sys_id as string;
    const count = async (): Promise<number> => (await auditOf(`tablename=sys_user^documentkey=${id}`)).length;
    const n = await count();
    const same = await call(inst, 'PATCH', `/api/now/table/sys_user/${id}`, {
      body: { title: user.title, email: user.email },
    });
    expect(same.status).toBe(200);
    expect(await count()).toBe(n);

    const put = await call(inst, 'PUT', `/api/now/table/sys_user/${id}`, {
      body: { title: 'Principal Analyst', email: user.email, vip: user.vip },
    });
    expect(put.status).toBe(200);
    const rows = await auditOf(`tablename=sys_user^documentkey=${id}^fieldname=title`);
    expect(rows.map((x) => [x.oldvalue, x.newvalue])).toEqual([[user.title, 'Principal Analyst']]);
    expect(await count()).toBe(n + 1);
  });

  it('the S10 query finds the change: fieldnameIN, sys_created_on>=, ORDERBYDESC', async () => {
    const id = DEMO_TICKET.caller.sys_id;
    const since = inst.store.query('sys_user', `sys_id=${id}`)[0]?.sys_updated_on as string;
    await call(inst, 'PATCH', `/api/now/table/sys_user/${id}`, { body: { email: 'abel.t@example.com' } });
    await call(inst, 'PATCH', `/api/now/table/sys_user/${id}`, {
      body: { email: DEMO_TICKET.caller.email, department: '' },
    });
    const q = `tablename=sys_user^documentkey=${id}^fieldnameINmobile_phone,email^sys_created_on>=${since}^ORDERBYDESCsys_created_on`;
    const rows = await auditOf(q);
    expect(rows.map((x) => x.fieldname)).toEqual(['email', 'email']);
    expect(rows.map((x) => x.newvalue).sort()).toEqual(
      ['abel.t@example.com', DEMO_TICKET.caller.email].sort(),
    );
    // the department change is audited too, but the field filter leaves it out
    expect((await auditOf(`documentkey=${id}^fieldname=department`)).length).toBe(1);
    const future = await auditOf(
      `tablename=sys_user^documentkey=${id}^fieldnameINmobile_phone,email^sys_created_on>=2999-01-01 00:00:00`,
    );
    expect(future).toEqual([]);
  });

  it('POST of a user audits the values it sets; a password change is audited by name only, journals not at all', async () => {
    const r = await call(inst, 'POST', '/api/now/table/sys_user?sysparm_input_display_value=true', {
      body: {
        user_name: 'audit.probe',
        name: 'Audit Probe',
        mobile_phone: '+13125550150',
        user_password: 'x'.repeat(20),
      },
    });
    expect(r.status).toBe(201);
    const rows = await auditOf(`documentkey=${r.json.result.sys_id}`);
    const fields = rows.map((x) => x.fieldname);
    expect(fields).toEqual(expect.arrayContaining(['user_name', 'name', 'mobile_phone', 'user_password']));
    expect(rows.find((x) => x.fieldname === 'user_password')).toMatchObject({ oldvalue: '', newvalue: '' });
    expect(JSON.stringify(rows)).not.toContain('x'.repeat(20));
    expect(rows.find((x) => x.fieldname === 'mobile_phone')).toMatchObject({
      oldvalue: '',
      newvalue: '+13125550150',
    });

    await call(
      inst,
      'PATCH',
      `/api/now/table/sys_user/${r.json.result.sys_id}?sysparm_input_display_value=true`,
      {
        body: { user_password: 'y'.repeat(20) },
      },
    );
    const after = await auditOf(`documentkey=${r.json.result.sys_id}`);
    expect(after.length).toBe(rows.length + 1);
    expect(after.filter((x) => x.fieldname === 'user_password')).toHaveLength(2);
    expect(
      after.every((x) => x.fieldname !== 'user_password' || (x.oldvalue === '' && x.newvalue === '')),
    ).toBe(true);
    expect(JSON.stringify(after)).not.toContain('y'.repeat(20));
    // task journal fields: a work note is a sys_journal_field entry, not a sys_audit row
    await call(inst, 'PATCH', `/api/now/table/incident/${DEMO_TICKET.sys_id}`, {
      body: { work_notes: 'note' },
    });
    expect(await auditOf(`documentkey=${DEMO_TICKET.sys_id}`)).toEqual([]);
  });

  it('the seed holds recent and older phone changes, and email changes, matching the users on file', async () => {
    const { contactChanges } = inst.seed;
    const recent = contactChanges.filter((c) => c.field === 'mobile_phone' && c.daysAgo <= 14);
    expect(recent.length).toBeGreaterThanOrEqual(4);
    expect(contactChanges.some((c) => c.field === 'mobile_phone' && c.daysAgo >= 120)).toBe(true);
    expect(contactChanges.some((c) => c.field === 'email')).toBe(true);
    expect(contactChanges.map((c) => c.userName)).not.toContain(DEMO_TICKET.caller.user_name);
    for (const c of contactChanges) {
      const u = inst.store.userByName(c.userName) as Row;
      const rows = await auditOf(
        `tablename=sys_user^documentkey=${u.sys_id}^fieldnameINmobile_phone,email^ORDERBYDESCsys_created_on`,
      );
      expect(rows[0]).toMatchObject({ fieldname: c.field, newvalue: u[c.field] });
      expect(rows[0]?.oldvalue).not.toBe(u[c.field]);
      const ageDays =
        (Date.now() - Date.parse(`${(rows[0]?.sys_created_on ?? '').replace(' ', 'T')}Z`)) / 86_400_000;
      expect(ageDays).toBeGreaterThanOrEqual(c.daysAgo);
      expect(ageDays).toBeLessThan(c.daysAgo + 1.01);
    }
  });
});
