// SERVICENOW.md rows "Journal fields", "Incidents" and the integration user's least privilege (acl.ts).

import { DEMO_TICKET, type DevInstance } from '../../src/index';
import { AS, GLIDE_DATE, call, startTestInstance } from '../helper';

let inst: DevInstance;
beforeAll(async () => {
  inst = await startTestInstance();
});
afterAll(() => inst?.close());

async function incident(extra: Record<string, unknown> = {}): Promise<string> {
  const r = await call(inst, 'POST', '/api/now/table/incident', {
    body: {
      short_description: 'rules test',
      caller_id: DEMO_TICKET.caller.sys_id,
      category: 'software',
      ...extra,
    },
  });
  expect(r.status).toBe(201);
  return r.json.result.sys_id;
}

describe('Journal fields (work_notes, comments)', () => {
  it('writing work_notes appends an entry authored by the calling user; the field reads back as ""', async () => {
    const id = await incident();
    const r = await call(inst, 'PATCH', `/api/now/table/incident/${id}`, {
      auth: AS.integration,
      body: { work_notes: 'Verification VRF-ABC123 sent [imper:VRF-ABC123:sent]' },
    });
    expect(r.status).toBe(200);
    expect(r.json.result.work_notes).toBe('');
    const entries = await call(
      inst,
      'GET',
      `/api/now/table/sys_journal_field?sysparm_query=element_id=${id}`,
    );
    expect(entries.json.result).toHaveLength(1);
    expect(entries.json.result[0]).toMatchObject({
      element_id: id,
      element: 'work_notes',
      name: 'incident',
      value: 'Verification VRF-ABC123 sent [imper:VRF-ABC123:sent]',
      sys_created_by: 'imper.integration',
    });
    expect(entries.json.result[0].sys_created_on).toMatch(GLIDE_DATE);
  });

  it('appending is not idempotent; a retry can find its entry by marker through sys_journal_field', async () => {
    const id = await incident();
    const note = { work_notes: 'Outcome passed [imper:VRF-XYZ:passed]' };
    await call(inst, 'PATCH', `/api/now/table/incident/${id}`, { auth: AS.integration, body: note });
    await call(inst, 'PATCH', `/api/now/table/incident/${id}`, { auth: AS.integration, body: note });
    const q = encodeURIComponent(`element_id=${id}^element=work_notes^valueLIKEimper:VRF-XYZ:passed`);
    const found = await call(
      inst,
      'GET',
      `/api/now/table/sys_journal_field?sysparm_query=${q}&sysparm_fields=sys_id`,
      { auth: AS.integration },
    );
    expect(found.json.result).toHaveLength(2);
    const other = encodeURIComponent(`element_id=${id}^element=work_notes^valueLIKEimper:VRF-XYZ:failed`);
    expect(
      (
        await call(inst, 'GET', `/api/now/table/sys_journal_field?sysparm_query=${other}`, {
          auth: AS.integration,
        })
      ).json.result,
    ).toHaveLength(0);
  });

  it('comments go to their own element; display_value=true shows the journal text, newest first', async () => {
    const id = await incident({ comments: 'first comment' });
    await call(inst, 'PATCH', `/api/now/table/incident/${id}`, {
      auth: AS.agent,
      body: { work_notes: 'older note' },
    });
    await call(inst, 'PATCH', `/api/now/table/incident/${id}`, {
      auth: AS.agent,
      body: { work_notes: 'newer note' },
    });
    const r = await call(
      inst,
      'GET',
      `/api/now/table/incident/${id}?sysparm_fields=work_notes,comments&sysparm_display_value=true`,
    );
    expect(r.json.result.comments).toContain('first comment');
    expect(r.json.result.work_notes).toContain('Beth Anglin (Work notes)');
    expect(r.json.result.work_notes.indexOf('newer note')).toBeLessThan(
      r.json.result.work_notes.indexOf('older note'),
    );
    const raw = await call(inst, 'GET', `/api/now/table/incident/${id}?sysparm_fields=work_notes,comments`);
    expect(raw.json.result).toEqual({ work_notes: '', comments: '' });
  });
});

describe('Incidents', () => {
  it('state: 1 New, 2 In Progress, 3 On Hold, 6 Resolved, 7 Closed, 8 Canceled', async () => {
    const r = await call(
      inst,
      'GET',
      '/api/now/table/sys_choice?sysparm_query=' +
        encodeURIComponent('name=incident^element=state^ORDERBYsequence') +
        '&sysparm_fields=value,label',
    );
    expect(r.json.result).toEqual([
      { value: '1', label: 'New' },
      { value: '2', label: 'In Progress' },
      { value: '3', label: 'On Hold' },
      { value: '6', label: 'Resolved' },
      { value: '7', label: 'Closed' },
      { value: '8', label: 'Canceled' },
    ]);
  });

  it('number is auto-assigned on insert (INC, increasing)', async () => {
    const a = await incident();
    const b = await incident();
    const na = inst.store.get('incident', a)?.number as string;
    const nb = inst.store.get('incident', b)?.number as string;
    expect(na).toMatch(/^INC\d{7}$/);
    expect(Number(nb.slice(3))).toBe(Number(na.slice(3)) + 1);
  });

  it('resolving without close_code and close_notes: 403 data-policy detail naming the mandatory fields', async () => {
    const id = await incident();
    const r = await call(inst, 'PATCH', `/api/now/table/incident/${id}`, {
      auth: AS.integration,
      body: { state: '6' },
    });
    expect(r.status).toBe(403);
    expect(r.json.error.message).toBe('Operation Failed');
    expect(r.json.error.detail).toMatch(
      /^Data Policy Exception: .*The following fields are mandatory: Resolution code, Close notes$/s,
    );
    expect(inst.store.get('incident', id)?.state).toBe('1');
    const half = await call(inst, 'PATCH', `/api/now/table/incident/${id}`, {
      auth: AS.integration,
      body: { state: '6', close_code: 'Solved (Permanently)' },
    });
    expect(half.status).toBe(403);
    expect(half.json.error.detail).toMatch(/mandatory: Close notes$/);
  });

  it('resolving with state=6, close_code and close_notes in the same request succeeds', async () => {
    const id = await incident();
    const r = await call(inst, 'PATCH', `/api/now/table/incident/${id}`, {
      auth: AS.integration,
      body: {
        state: '6',
        close_code: 'Solved Remotely (Permanently)',
        close_notes: 'Password reset by the requester after verification',
      },
    });
    expect(r.status).toBe(200);
    const rec = inst.store.get('incident', id);
    expect(rec?.state).toBe('6');
    expect(rec?.resolved_at).toMatch(GLIDE_DATE);
    expect(rec?.resolved_by).toBe(inst.store.userByName('imper.integration')?.sys_id);
    expect(rec?.active).toBe('true');
  });

  it('closing (state=7) through the Table API needs a role that may close (itil_admin, admin): not itil, not the integration user', async () => {
    const id = await incident({ state: '6', close_code: 'Solved (Permanently)', close_notes: 'done' });
    for (const auth of [AS.itilOnly, AS.agent, AS.integration]) {
      const refused = await call(inst, 'PATCH', `/api/now/table/incident/${id}`, {
        auth,
        body: { state: '7' },
      });
      expect(refused.status).toBe(403);
      expect(refused.json.error).toMatchObject({
        message: 'Operation Failed',
        detail: expect.stringMatching(
          /^Security constraints prevent closing INC\d{7}: requires one of the roles admin, itil_admin$/,
        ),
      });
      expect(inst.store.get('incident', id)?.state).toBe('6');
    }
    const closed = await call(inst, 'PATCH', `/api/now/table/incident/${id}`, {
      auth: AS.admin,
      body: { state: '7' },
    });
    expect(closed.status).toBe(200);
    expect(inst.store.get('incident', id)).toMatchObject({ state: '7', active: 'false' });
    expect(inst.store.get('incident', id)?.closed_at).toMatch(GLIDE_DATE);
  });

  it('priority is computed from impact and urgency', async () => {
    const cases: Array<[string, string, string]> = [
      ['1', '1', '1'],
      ['1', '2', '2'],
      ['2', '2', '3'],
      ['3', '2', '4'],
      ['3', '3', '5'],
    ];
    for (const [impact, urgency, priority] of cases) {
      const id = await incident({ impact, urgency, priority: '1' });
      expect(inst.store.get('incident', id)?.priority).toBe(priority);
    }
    const id = await incident({ impact: '3', urgency: '3' });
    const r = await call(
      inst,
      'PATCH',
      `/api/now/table/incident/${id}?sysparm_display_value=true&sysparm_fields=priority`,
      { body: { urgency: '1' } },
    );
    expect(r.json.result.priority).toBe('3 - Moderate');
  });

  it("an incident created in a policy category gets status required and the launch link (the app's category rule)", async () => {
    const id = await incident({ category: 'account_unlock' });
    expect(inst.store.get('incident', id)).toMatchObject({
      x_imper_verify_status: 'required',
      x_imper_verify_action: 'account_unlock',
      x_imper_verify_verification: `${inst.url}/api/x_imper_verify/imper/launch?table=incident&sys_id=${id}`,
    });
    const other = await incident({ category: 'network' });
    expect(inst.store.get('incident', other)?.x_imper_verify_status).toBe('');
  });
});

describe('least privilege of the integration user (x_imper_verify.integration)', () => {
  it('may write x_imper_verify_* columns, work_notes, state, close_code, close_notes on task tables', async () => {
    const id = await incident();
    const r = await call(inst, 'PATCH', `/api/now/table/incident/${id}`, {
      auth: AS.integration,
      body: {
        x_imper_verify_status: 'passed',
        x_imper_verify_risk_level: 'verified',
        x_imper_verify_id: 'VRF-7Q2K9M',
        state: '2',
      },
    });
    expect(r.status).toBe(200);
    expect(inst.store.get('incident', id)).toMatchObject({ x_imper_verify_status: 'passed', state: '2' });
  });

  it('other columns are refused with 403 "Operation Failed" and a detail; nothing is written', async () => {
    const id = await incident();
    const r = await call(inst, 'PATCH', `/api/now/table/incident/${id}`, {
      auth: AS.integration,
      body: { short_description: 'hijacked', work_notes: 'x' },
    });
    expect(r.status).toBe(403);
    expect(r.json.error).toEqual({
      message: 'Operation Failed',
      detail: expect.stringContaining('short_description'),
    });
    expect(inst.store.get('incident', id)?.short_description).toBe('rules test');
    expect(inst.store.journal(id)).toHaveLength(0);
  });

  it('may not write other tables (sys_user only through user_admin, see passwords.test.ts), and may not delete', async () => {
    const dept = inst.store.query('cmn_department', '')[0] as Record<string, string>;
    const other = await call(inst, 'PATCH', `/api/now/table/cmn_department/${dept.sys_id}`, {
      auth: AS.integration,
      body: { description: 'hijacked' },
    });
    expect(other.status).toBe(403);
    const del = await call(inst, 'DELETE', `/api/now/table/incident/${DEMO_TICKET.sys_id}`, {
      auth: AS.integration,
    });
    expect(del.status).toBe(403);
  });

  it('may read sys_user and the organisation tables', async () => {
    for (const t of [
      'sys_user',
      'cmn_department',
      'cmn_location',
      'sys_user_group',
      'sys_user_grmember',
      'alm_hardware',
      'x_imper_verify_category_policy',
    ]) {
      const r = await call(inst, 'GET', `/api/now/table/${t}?sysparm_limit=1`, { auth: AS.integration });
      expect(r.status).toBe(200);
      expect(r.json.result).toHaveLength(1);
    }
  });

  it('may create a ticket (self-service flow) with the fields of a new ticket', async () => {
    const r = await call(inst, 'POST', '/api/now/table/incident', {
      auth: AS.integration,
      body: {
        short_description: 'Self-service password reset',
        caller_id: DEMO_TICKET.caller.sys_id,
        category: 'password_reset',
        correlation_id: 'VRF-SELF01',
      },
    });
    expect(r.status).toBe(201);
    const bad = await call(inst, 'POST', '/api/now/table/incident', {
      auth: AS.integration,
      body: { short_description: 'x', assigned_to: DEMO_TICKET.caller.sys_id },
    });
    expect(bad.status).toBe(403);
  });
});
