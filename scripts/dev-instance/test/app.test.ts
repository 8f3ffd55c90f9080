// The scoped app x_imper_verify running in the stand-in (src/app.ts): its category rule and guard on Table API
// writes, its launch and its REST API — the app's own server modules on the Glide runtime.

import { verifyLaunchToken } from '../../../verifier-service/src/domain/launch-token';
import { GUARD_MESSAGE } from '../../../servicenow-app/src/server/guard';
import { DEMO_TICKET, type DevInstance } from '../src/index';
import { AS, LAUNCH_KEY, PW, SERVICE_URL, call, startTestInstance } from './helper';

let inst: DevInstance;
beforeAll(async () => {
  inst = await startTestInstance();
});
afterAll(() => inst?.close());

async function incident(category: string, extra: Record<string, unknown> = {}): Promise<string> {
  const r = await call(inst, 'POST', '/api/now/table/incident', {
    auth: AS.agent,
    body: {
      short_description: `app test ${category}`,
      caller_id: DEMO_TICKET.caller.sys_id,
      category,
      ...extra,
    },
  });
  expect(r.status).toBe(201);
  return r.json.result.sys_id;
}

const launchLink = (id: string) => `${inst.url}/api/x_imper_verify/imper/launch?table=incident&sys_id=${id}`;
const resolve = { state: '6', close_code: 'Solved (Permanently)', close_notes: 'Password reset.' };
const workNotes = (id: string) => inst.store.journal(id, 'work_notes').map((e) => e.value);

describe('category rule on Table API writes', () => {
  it('POST in password_reset: status required, the launch link, the action', async () => {
    const id = await incident('password_reset');
    const r = await call(inst, 'GET', `/api/now/table/incident/${id}`, { auth: AS.integration });
    expect(r.json.result).toMatchObject({
      x_imper_verify_status: 'required',
      x_imper_verify_verification: launchLink(id),
      x_imper_verify_action: 'password_reset',
      x_imper_verify_action_status: 'not_started',
    });
  });

  it('POST in software: untouched', async () => {
    const id = await incident('software');
    expect(inst.store.get('incident', id)).toMatchObject({
      x_imper_verify_status: '',
      x_imper_verify_verification: '',
      x_imper_verify_action: '',
    });
  });

  it('moving into a policy category requires verification; moving out before anything was sent clears it', async () => {
    const id = await incident('software');
    await call(inst, 'PATCH', `/api/now/table/incident/${id}`, {
      auth: AS.agent,
      body: { category: 'account_unlock' },
    });
    expect(inst.store.get('incident', id)).toMatchObject({
      x_imper_verify_status: 'required',
      x_imper_verify_action: 'account_unlock',
    });
    await call(inst, 'PATCH', `/api/now/table/incident/${id}`, {
      auth: AS.agent,
      body: { category: 'hardware' },
    });
    expect(inst.store.get('incident', id)).toMatchObject({
      x_imper_verify_status: '',
      x_imper_verify_verification: '',
    });
  });

  it('follows the policy table: an inactive row no longer applies, a new row does', async () => {
    const [row] = inst.store.query('x_imper_verify_category_policy', 'category=access');
    await call(inst, 'PATCH', `/api/now/table/x_imper_verify_category_policy/${row?.sys_id}`, {
      body: { active: 'false' },
    });
    expect(inst.store.get('incident', await incident('access'))?.x_imper_verify_status).toBe('');
    await call(inst, 'PATCH', `/api/now/table/x_imper_verify_category_policy/${row?.sys_id}`, {
      body: { active: 'true' },
    });
    expect(inst.store.get('incident', await incident('access'))?.x_imper_verify_status).toBe('required');

    await call(inst, 'POST', '/api/now/table/x_imper_verify_category_policy', {
      body: { category: 'network', subcategory: 'vpn', action: 'mfa_reset', order: '400' },
    });
    expect(inst.store.get('incident', await incident('network', { subcategory: 'vpn' }))).toMatchObject({
      x_imper_verify_status: 'required',
      x_imper_verify_action: 'mfa_reset',
    });
    expect(
      inst.store.get('incident', await incident('network', { subcategory: 'wifi' }))?.x_imper_verify_status,
    ).toBe('');
  });
});

describe('guard on resolve/close', () => {
  it("PATCH to state=6 without a passed verification: 403 with the rule's message; nothing written", async () => {
    const id = await incident('password_reset');
    for (const auth of [AS.agent, AS.integration]) {
      const r = await call(inst, 'PATCH', `/api/now/table/incident/${id}`, {
        auth,
        body: { ...resolve, work_notes: 'closing' },
      });
      expect(r.status).toBe(403);
      expect(r.json).toEqual({
        error: { message: 'Operation Failed', detail: GUARD_MESSAGE },
        status: 'failure',
      });
    }
    expect(inst.store.get('incident', id)).toMatchObject({ state: '1', close_code: '' });
    expect(workNotes(id)).toEqual([]);
  });

  it("after a passed verification the service's resolve goes through; closing is not the Table API's", async () => {
    const id = await incident('password_reset');
    const passed = await call(inst, 'PATCH', `/api/now/table/incident/${id}`, {
      auth: AS.integration,
      body: {
        x_imper_verify_status: 'passed',
        x_imper_verify_risk_level: 'verified',
        work_notes: 'Verified.',
      },
    });
    expect(passed.status).toBe(200);
    const resolved = await call(inst, 'PATCH', `/api/now/table/incident/${id}`, {
      auth: AS.integration,
      body: resolve,
    });
    expect(resolved.status).toBe(200);
    expect(inst.store.get('incident', id)).toMatchObject({ state: '6', active: 'true' });
    // Closing is the app's route (see close.test.ts): the Table API refuses the integration user.
    const closed = await call(inst, 'PATCH', `/api/now/table/incident/${id}`, {
      auth: AS.integration,
      body: { state: '7' },
    });
    expect(closed.status).toBe(403);
  });

  it('the integration user may close once the automated action completed; admins override with a work note', async () => {
    const id = await incident('password_reset');
    const done = await call(inst, 'PATCH', `/api/now/table/incident/${id}`, {
      auth: AS.integration,
      body: { x_imper_verify_status: 'sent', x_imper_verify_action_status: 'completed', ...resolve },
    });
    expect(done.status).toBe(200);

    const other = await incident('account_unlock');
    const admin = await call(inst, 'PATCH', `/api/now/table/incident/${other}`, {
      auth: AS.admin,
      body: resolve,
    });
    expect(admin.status).toBe(200);
    expect(workNotes(other).join('\n')).toMatch(/admin override/);
  });

  it('tickets without a verification status and the guard property off are not guarded', async () => {
    const id = await incident('software');
    expect(
      (await call(inst, 'PATCH', `/api/now/table/incident/${id}`, { auth: AS.agent, body: resolve })).status,
    ).toBe(200);
    const guarded = await incident('password_reset');
    const [prop] = inst.store.query('sys_properties', 'name=x_imper_verify.guard_enabled');
    inst.store.update('sys_properties', prop?.sys_id as string, { value: 'false' });
    try {
      expect(
        (await call(inst, 'PATCH', `/api/now/table/incident/${guarded}`, { auth: AS.agent, body: resolve }))
          .status,
      ).toBe(200);
    } finally {
      inst.store.update('sys_properties', prop?.sys_id as string, { value: 'true' });
    }
  });
});

describe('launch: GET /api/x_imper_verify/imper/launch', () => {
  const path = `/api/x_imper_verify/imper/launch?table=incident&sys_id=${DEMO_TICKET.sys_id}`;

  it("303s an agent to the service with a token the service's verifier accepts", async () => {
    const r = await call(inst, 'GET', path, { auth: AS.agent });
    expect(r.status).toBe(303);
    const location = new URL(r.headers.get('location') as string);
    expect(`${location.origin}${location.pathname}`).toBe(`${SERVICE_URL}/agent/launch`);
    const claims = await verifyLaunchToken(location.searchParams.get('token') as string, {
      secret: LAUNCH_KEY,
      issuer: inst.url,
      nowSeconds: Math.floor(Date.now() / 1000),
    });
    expect(claims).toMatchObject({
      iss: inst.url,
      aud: 'imper-verify',
      sub: 'beth.anglin',
      name: 'Beth Anglin',
      ticket: { table: 'incident', sys_id: DEMO_TICKET.sys_id, number: 'INC0010001' },
    });
    expect(claims.exp - claims.iat).toBe(120);
  });

  it("works with the browser session of the ticket page, like the field's link", async () => {
    const login = await fetch(`${inst.url}/login.do`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ user_name: 'beth.anglin', user_password: PW.agent }).toString(),
      redirect: 'manual',
    });
    const cookie = (login.headers.get('set-cookie') as string).split(';')[0] as string;
    const page = await (
      await fetch(`${inst.url}/incident.do?sys_id=${DEMO_TICKET.sys_id}`, { headers: { cookie } })
    ).text();
    const href = /<a href="([^"]+)">imper\.ai - Send Verification link<\/a>/
      .exec(page)?.[1]
      ?.replace(/&amp;/g, '&');
    expect(href).toBe(`${inst.url}${path}`);
    const r = await fetch(href as string, { headers: { cookie }, redirect: 'manual' });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toMatch(new RegExp(`^${SERVICE_URL}/agent/launch\\?token=`));
  });

  it('refuses callers without the launch ACL (403), anonymous callers (401) and unknown tickets (404)', async () => {
    expect((await call(inst, 'GET', path, { auth: AS.integration })).status).toBe(403);
    expect((await call(inst, 'GET', path, { auth: null })).status).toBe(401);
    const missing = await call(
      inst,
      'GET',
      `/api/x_imper_verify/imper/launch?table=incident&sys_id=${'0'.repeat(32)}`,
      { auth: AS.agent },
    );
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ error: { message: 'No Record found', detail: null }, status: 'failure' });
  });
});

describe('events: POST /api/x_imper_verify/imper/events', () => {
  it('applies an event once: columns, one work note, resolve with a valid close code; a repeat changes nothing', async () => {
    const id = await incident('password_reset');
    const event = {
      event_id: `evt-${id}`,
      table: 'incident',
      sys_id: id,
      status: 'passed',
      risk_level: 'verified',
      verification_id: 'VRF-APP001',
      action_status: 'completed',
      work_note: 'imper.ai: verified.',
      resolve: { close_notes: 'Password reset by imper.ai.', close_code: 'Not a code' },
    };
    const first = await call(inst, 'POST', '/api/x_imper_verify/imper/events', {
      auth: AS.integration,
      body: event,
    });
    expect(first.status).toBe(200);
    expect(first.json.result).toMatchObject({
      applied: true,
      duplicate: false,
      ticket: { state: '6', x_imper_verify_status: 'passed' },
    });
    expect(inst.store.get('incident', id)).toMatchObject({
      close_code: 'Solved (Work Around)',
      x_imper_verify_id: 'VRF-APP001',
    });
    const again = await call(inst, 'POST', '/api/x_imper_verify/imper/events', {
      auth: AS.integration,
      body: { ...event, work_note: 'again' },
    });
    expect(again.json.result).toMatchObject({ applied: false, duplicate: true });
    expect(workNotes(id)).toEqual(['imper.ai: verified.']);
  });

  it('a resolve the guard refuses is 409; bad bodies 400; agents have no access (403)', async () => {
    const id = await incident('password_reset');
    const refused = await call(inst, 'POST', '/api/x_imper_verify/imper/events', {
      auth: AS.integration,
      body: {
        event_id: `evt-r-${id}`,
        table: 'incident',
        sys_id: id,
        status: 'sent',
        resolve: { close_notes: 'x' },
      },
    });
    expect(refused.status).toBe(409);
    expect(refused.json.status).toBe('failure');
    expect(inst.store.get('incident', id)?.state).toBe('1');
    const bad = await call(inst, 'POST', '/api/x_imper_verify/imper/events', {
      auth: AS.integration,
      body: { event_id: 'x' },
    });
    expect(bad.status).toBe(400);
    expect(
      (await call(inst, 'POST', '/api/x_imper_verify/imper/events', { auth: AS.agent, body: {} })).status,
    ).toBe(403);
  });
});
