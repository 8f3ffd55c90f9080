// The app's automated close (POST /api/x_imper_verify/imper/close, issue 10 §3) on the stand-in: the integration
// user cannot close an incident through the Table API (403, as on an instance), but can through the app's route
// once the automated action completed; refusals are 403/409 with a clear message; a repeated call changes nothing.

import { DEMO_TICKET, type DevInstance } from '../src/index';
import { AS, GLIDE_DATE, call, startTestInstance } from './helper';

let inst: DevInstance;
beforeAll(async () => {
  inst = await startTestInstance();
});
afterAll(() => inst?.close());

const CLOSE = '/api/x_imper_verify/imper/close';
const CLOSE_NOTES = 'Password reset by the requester on the imper.ai portal after a passed verification.';
let seq = 0;

/** A new incident in `category`, as an agent opens it, then what the service writes once the action completed. */
async function ticket(
  category: string,
  verification: Record<string, string> = {},
): Promise<{ id: string; vrf: string }> {
  const vrf = `VRF-CLS${String(++seq).padStart(3, '0')}`;
  const created = await call(inst, 'POST', '/api/now/table/incident', {
    auth: AS.agent,
    body: { short_description: `close test ${category}`, caller_id: DEMO_TICKET.caller.sys_id, category },
  });
  expect(created.status).toBe(201);
  const id = created.json.result.sys_id as string;
  const written = await call(inst, 'PATCH', `/api/now/table/incident/${id}`, {
    auth: AS.integration,
    body: {
      x_imper_verify_status: 'passed',
      x_imper_verify_risk_level: 'verified',
      x_imper_verify_id: vrf,
      x_imper_verify_action_status: 'completed',
      ...verification,
    },
  });
  expect(written.status).toBe(200);
  return { id, vrf };
}

const close = (id: string, vrf: string, auth = AS.integration, extra: Record<string, unknown> = {}) =>
  call(inst, 'POST', CLOSE, {
    auth,
    body: { table: 'incident', sys_id: id, verification_id: vrf, close_notes: CLOSE_NOTES, ...extra },
  });
const workNotes = (id: string) => inst.store.journal(id, 'work_notes').map((e) => e.value);

async function activeCloseCodes(): Promise<string[]> {
  const r = await call(
    inst,
    'GET',
    `/api/now/table/sys_choice?sysparm_query=${encodeURIComponent('name=incident^element=close_code^inactive=false')}&sysparm_fields=value`,
    { auth: AS.integration },
  );
  return (r.json.result as Array<{ value: string }>).map((c) => c.value);
}

describe('closing as the integration user', () => {
  it('the Table API refuses the integration user a close (state 7) even with close code and notes: 403', async () => {
    const { id } = await ticket('password_reset');
    const r = await call(inst, 'PATCH', `/api/now/table/incident/${id}`, {
      auth: AS.integration,
      body: { state: '7', close_code: 'Solved (Permanently)', close_notes: CLOSE_NOTES },
    });
    expect(r.status).toBe(403);
    expect(r.json).toEqual({
      error: {
        message: 'Operation Failed',
        detail: expect.stringMatching(/^Security constraints prevent closing INC\d{7}/),
      },
      status: 'failure',
    });
    expect(inst.store.get('incident', id)).toMatchObject({ state: '1', close_code: '' });
  });

  it('the app route resolves with a valid close code and notes, then closes: state 7, dates set, one work note', async () => {
    const { id, vrf } = await ticket('password_reset');
    const r = await close(id, vrf);
    expect(r.status).toBe(200);
    expect(r.json.result).toMatchObject({ closed: true, already: false });
    const rec = inst.store.get('incident', id) as Record<string, string>;
    const integration = inst.store.userByName('imper.integration')?.sys_id;
    expect(rec).toMatchObject({
      state: '7',
      active: 'false',
      close_notes: CLOSE_NOTES,
      resolved_by: integration,
      closed_by: integration,
    });
    expect(rec.resolved_at).toMatch(GLIDE_DATE);
    expect(rec.closed_at).toMatch(GLIDE_DATE);
    expect(await activeCloseCodes()).toContain(rec.close_code);
    expect(r.json.result.close_code).toBe(rec.close_code);
    expect(workNotes(id)).toEqual([expect.stringMatching(new RegExp(`^\\[imper\\.ai ${vrf} close\\] `))]);
    expect(workNotes(id)[0]).toContain('password_reset');
    // Resolved, then closed: two updates as the integration user.
    expect(rec.sys_updated_by).toBe('imper.integration');
  });

  it('a repeated call answers already closed and changes nothing (no second note)', async () => {
    const { id, vrf } = await ticket('account_unlock');
    expect((await close(id, vrf)).status).toBe(200);
    const before = { ...inst.store.get('incident', id) };
    const again = await close(id, vrf, AS.integration, { close_notes: 'a different text' });
    expect(again.status).toBe(200);
    expect(again.json).toEqual({
      result: { closed: true, already: true, close_code: before.close_code, number: before.number },
    });
    expect(inst.store.get('incident', id)).toEqual(before);
    expect(workNotes(id)).toHaveLength(1);
  });

  it('closes a ticket the service had already resolved through the Table API, keeping its valid close code', async () => {
    const { id, vrf } = await ticket('password_reset');
    const resolved = await call(inst, 'PATCH', `/api/now/table/incident/${id}`, {
      auth: AS.integration,
      body: { state: '6', close_code: 'Solved (Permanently)', close_notes: 'Resolved earlier.' },
    });
    expect(resolved.status).toBe(200);
    const r = await close(id, vrf);
    expect(r.json.result).toMatchObject({ closed: true, already: false, close_code: 'Solved (Permanently)' });
    expect(inst.store.get('incident', id)).toMatchObject({ state: '7', close_code: 'Solved (Permanently)' });
    expect(workNotes(id)).toHaveLength(1);
  });
});

describe('refusals', () => {
  it('409 while the automated action has not completed; nothing written', async () => {
    const { id, vrf } = await ticket('password_reset', { x_imper_verify_action_status: 'not_started' });
    const r = await close(id, vrf);
    expect(r.status).toBe(409);
    expect(r.json).toEqual({
      error: {
        message: 'Operation Failed',
        detail: 'The automated action has not completed (x_imper_verify_action_status is "not_started").',
      },
      status: 'failure',
    });
    expect(inst.store.get('incident', id)).toMatchObject({ state: '1', close_code: '', close_notes: '' });
    expect(workNotes(id)).toEqual([]);
  });

  it('409 when the verification id differs from the ticket’s', async () => {
    const { id, vrf } = await ticket('password_reset');
    const r = await close(id, 'VRF-OTHER9');
    expect(r.status).toBe(409);
    expect(r.json.error.detail).toBe(`The ticket's imper.ai verification is "${vrf}", not "VRF-OTHER9".`);
    expect(inst.store.get('incident', id)?.state).toBe('1');
  });

  it('409 when the category policy does not auto-close (access)', async () => {
    const { id, vrf } = await ticket('access');
    const r = await close(id, vrf);
    expect(r.status).toBe(409);
    expect(r.json.error.detail).toBe("The ticket's category policy does not say auto_close.");
    expect(inst.store.get('incident', id)?.state).toBe('1');
  });

  it('agents are refused by the ACL (403), anonymous callers 401, bad bodies 400, unknown tickets 404, GET 405', async () => {
    const { id, vrf } = await ticket('password_reset');
    const agent = await close(id, vrf, AS.agent);
    expect(agent.status).toBe(403);
    expect(agent.json.error.message).toBe('User Not Authorized');
    expect((await close(id, vrf, '')).status).toBe(401);
    const bad = await call(inst, 'POST', CLOSE, { auth: AS.integration, body: { table: 'incident' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.detail).toMatch(/sys_id is required; verification_id is required/);
    expect((await close('e'.repeat(32), vrf)).status).toBe(404);
    expect((await call(inst, 'GET', CLOSE, { auth: AS.integration })).status).toBe(405);
    expect(inst.store.get('incident', id)?.state).toBe('1');
  });
});
