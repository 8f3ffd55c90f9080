// The agent pages: /login.do, the ticket page with the imper.ai Verification field, the list, and the
// launch endpoint minting the launch token (CONTRACTS.md "Launch token").

import { createHmac } from 'node:crypto';
import { DEMO_TICKET, type DevInstance } from '../../src/index';
import { AS, LAUNCH_KEY, PW, SERVICE_URL, call, startTestInstance } from '../helper';

let inst: DevInstance;
beforeAll(async () => {
  inst = await startTestInstance();
});
afterAll(() => inst?.close());

async function login(
  user: string,
  password: string,
  goto = '/incident_list.do',
): Promise<{ status: number; location: string | null; cookie: string | null; text: string }> {
  const res = await fetch(`${inst.url}/login.do`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      user_name: user,
      user_password: password,
      sysparm_goto_url: goto,
    }).toString(),
    redirect: 'manual',
  });
  const setCookie = res.headers.get('set-cookie');
  return {
    status: res.status,
    location: res.headers.get('location'),
    cookie: setCookie ? (setCookie.split(';')[0] as string) : null,
    text: await res.text(),
  };
}
const page = (path: string, cookie: string): Promise<Response> =>
  fetch(`${inst.url}${path}`, { headers: { cookie }, redirect: 'manual' });

describe('/login.do', () => {
  it('GET shows a form with user_name and user_password', async () => {
    const html = await (await fetch(`${inst.url}/login.do`)).text();
    expect(html).toMatch(/<label for="user_name">/);
    expect(html).toContain('name="user_name"');
    expect(html).toContain('name="user_password"');
  });

  it('POST with the right password sets an HttpOnly session cookie and redirects to the wanted local page', async () => {
    const r = await login('beth.anglin', PW.agent, `/incident.do?sys_id=${DEMO_TICKET.sys_id}`);
    expect(r.status).toBe(302);
    expect(r.location).toBe(`/incident.do?sys_id=${DEMO_TICKET.sys_id}`);
    expect(r.cookie).toMatch(/^JSESSIONID=[0-9a-f]{48}$/);
    const res = await page(`/incident.do?sys_id=${DEMO_TICKET.sys_id}`, r.cookie as string);
    expect(res.status).toBe(200);
  });

  it('a wrong password shows an error and no session; an off-site goto is ignored', async () => {
    const bad = await login('beth.anglin', 'nope');
    expect(bad.status).toBe(200);
    expect(bad.cookie).toBeNull();
    expect(bad.text).toContain('User name or password invalid');
    const offsite = await login('beth.anglin', PW.agent, '//evil.example/');
    expect(offsite.location).toBe('/incident_list.do');
  });

  it('pages without a session redirect to the login; basic auth is accepted too', async () => {
    const res = await fetch(`${inst.url}/incident.do?sys_id=${DEMO_TICKET.sys_id}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(
      `/login.do?sysparm_goto_url=${encodeURIComponent(`/incident.do?sys_id=${DEMO_TICKET.sys_id}`)}`,
    );
    const basic = await fetch(`${inst.url}/incident.do?sys_id=${DEMO_TICKET.sys_id}`, {
      headers: { authorization: AS.agent },
    });
    expect(basic.status).toBe(200);
  });

  it('logout ends the session', async () => {
    const { cookie } = await login('beth.anglin', PW.agent);
    await page('/logout.do', cookie as string);
    expect((await page('/incident_list.do', cookie as string)).status).toBe(302);
  });
});

describe('ticket page /incident.do', () => {
  let cookie: string;
  beforeAll(async () => {
    cookie = (await login('beth.anglin', PW.agent)).cookie as string;
  });

  it('shows number, short description, caller, category, state and the "imper.ai - Send Verification link" link', async () => {
    const res = await page(`/incident.do?sys_id=${DEMO_TICKET.sys_id}`, cookie);
    const html = await res.text();
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/); // no inline script
    expect(html).not.toMatch(/\sstyle=/);
    for (const text of [
      DEMO_TICKET.number,
      DEMO_TICKET.short_description,
      'Abel Tuter',
      'Password Reset',
      'New',
      'imper.ai Verification',
      'Required',
    ]) {
      expect(html).toContain(text);
    }
    const launch = `${inst.url}/api/x_imper_verify/imper/launch?table=incident&amp;sys_id=${DEMO_TICKET.sys_id}`;
    expect(html).toContain(`<a href="${launch}">imper.ai - Send Verification link</a>`);
    expect(html).toContain('src="/scripts/ticket-refresh.js"');
    const js = await fetch(`${inst.url}/scripts/ticket-refresh.js`);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect(await js.text()).toContain('data-refresh-url');
  });

  it('after an outcome the field links to the details; status, risk, ID, attention, action and work notes (newest first) show', async () => {
    const id = inst.store.insert('incident', {
      short_description: 'page outcome',
      caller_id: DEMO_TICKET.caller.sys_id,
      category: 'password_reset',
    }).sys_id as string;
    let html = await (await page(`/incident.do?sys_id=${id}&sysparm_fragment=verification`, cookie)).text();
    expect(html).toContain('imper.ai - Send Verification link');
    await call(inst, 'PATCH', `/api/now/table/incident/${id}`, {
      auth: AS.integration,
      body: { work_notes: 'first note <b>not bold</b>' },
    });
    await call(inst, 'PATCH', `/api/now/table/incident/${id}`, {
      auth: AS.integration,
      body: {
        x_imper_verify_status: 'failed',
        x_imper_verify_risk_level: 'high',
        x_imper_verify_id: 'VRF-7Q2K9M',
        x_imper_verify_details_url: 'http://localhost:8080/console/verifications/VRF-7Q2K9M',
        x_imper_verify_attention: 'High risk',
        x_imper_verify_action_status: 'not_started',
        work_notes: 'High risk detected - Reject this request',
      },
    });
    html = await (await page(`/incident.do?sys_id=${id}`, cookie)).text();
    // The field shows the outcome's details link, no longer the send link …
    expect(html).not.toContain('imper.ai - Send Verification link</a>');
    // … and the app's form button stays, so the agent can start a new verification from the ticket (issue 9 §7).
    expect(html).toContain(
      `<form class="form-actions" method="get" action="/api/x_imper_verify/imper/launch" target="_blank" data-ui-action="x_imper_verify_send_link"><input type="hidden" name="table" value="incident"><input type="hidden" name="sys_id" value="${id}"><button type="submit">imper.ai - Send Verification link</button></form>`,
    );
    expect(html).toContain(
      '<a href="http://localhost:8080/console/verifications/VRF-7Q2K9M">http://localhost:8080/console/verifications/VRF-7Q2K9M</a>',
    );
    for (const text of [
      'Failed',
      'High',
      'VRF-7Q2K9M',
      'High risk',
      'Password Reset',
      'Not Started',
      'imper.ai Integration',
    ])
      expect(html).toContain(text);
    expect(html).toContain('first note &lt;b&gt;not bold&lt;/b&gt;');
    expect(html.indexOf('High risk detected')).toBeLessThan(html.indexOf('first note'));
    // the fragment the refresh script polls shows the same outcome without a reload
    const fragment = await (
      await page(`/incident.do?sys_id=${id}&sysparm_fragment=verification`, cookie)
    ).text();
    expect(fragment).toContain('VRF-7Q2K9M');
    expect(fragment).not.toContain('<html');
  });

  it("shows the app's send button only while the ticket has a verification status, is active, and to agents", async () => {
    const button = 'data-ui-action="x_imper_verify_send_link"';
    const untouched = inst.store.insert('incident', {
      short_description: 'software question',
      caller_id: DEMO_TICKET.caller.sys_id,
      category: 'software',
    }).sys_id as string;
    expect(await (await page(`/incident.do?sys_id=${untouched}`, cookie)).text()).not.toContain(button);
    expect(await (await page(`/incident.do?sys_id=${DEMO_TICKET.sys_id}`, cookie)).text()).toContain(button);
    const closed = inst.store.insert('incident', {
      short_description: 'closed one',
      caller_id: DEMO_TICKET.caller.sys_id,
      category: 'password_reset',
    }).sys_id as string;
    inst.store.update('incident', closed, { active: 'false' });
    expect(await (await page(`/incident.do?sys_id=${closed}`, cookie)).text()).not.toContain(button);
    // The button's target is the app's launch, which answers the agent with a redirect to the service.
    const launch = await page(
      `/api/x_imper_verify/imper/launch?table=incident&sys_id=${DEMO_TICKET.sys_id}`,
      cookie,
    );
    expect(launch.status).toBe(303);
    expect(launch.headers.get('location')).toMatch(new RegExp(`^${SERVICE_URL}/agent/launch\\?token=`));
  });

  it('/task.do shows the same ticket; an unknown sys_id is 404', async () => {
    expect((await page(`/task.do?sys_id=${DEMO_TICKET.sys_id}`, cookie)).status).toBe(200);
    expect((await page(`/incident.do?sys_id=${'f'.repeat(32)}`, cookie)).status).toBe(404);
  });

  it('/incident_list.do lists open incidents with links', async () => {
    const html = await (await page('/incident_list.do', cookie)).text();
    expect(html).toContain(`<a href="/incident.do?sys_id=${DEMO_TICKET.sys_id}">INC0010001</a>`);
    const closed = inst.store.query('incident', 'state=7')[0] as Record<string, string>;
    expect(html).not.toContain(`>${closed.number}<`);
  });
});

describe("launch page alias /x_imper_verify_launch.do (the app's launch module)", () => {
  function decode(token: string): {
    header: Record<string, unknown>;
    claims: Record<string, unknown>;
    signatureOk: boolean;
  } {
    const [h, p, s] = token.split('.') as [string, string, string];
    const expected = createHmac('sha256', LAUNCH_KEY).update(`${h}.${p}`).digest('base64url');
    return {
      header: JSON.parse(Buffer.from(h, 'base64url').toString()),
      claims: JSON.parse(Buffer.from(p, 'base64url').toString()),
      signatureOk: expected === s,
    };
  }

  it('mints an HS256 launch token with the contract claims and 302s to the service', async () => {
    const { cookie } = await login('beth.anglin', PW.agent);
    const before = Math.floor(Date.now() / 1000);
    const res = await page(
      `/x_imper_verify_launch.do?table=incident&sys_id=${DEMO_TICKET.sys_id}`,
      cookie as string,
    );
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location') as string);
    expect(`${location.origin}${location.pathname}`).toBe(`${SERVICE_URL}/agent/launch`);
    const token = location.searchParams.get('token') as string;
    expect(token.split('.')).toHaveLength(3);
    const { header, claims, signatureOk } = decode(token);
    expect(signatureOk).toBe(true);
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(claims).toMatchObject({
      iss: inst.url,
      aud: 'imper-verify',
      sub: 'beth.anglin',
      name: 'Beth Anglin',
      ticket: { table: 'incident', sys_id: DEMO_TICKET.sys_id, number: 'INC0010001' },
    });
    expect(claims.jti).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(claims.iat).toBeGreaterThanOrEqual(before);
    expect((claims.exp as number) - (claims.iat as number)).toBe(120);
    // jti is random per launch
    const again = new URL(
      (
        await page(`/x_imper_verify_launch.do?table=incident&sys_id=${DEMO_TICKET.sys_id}`, cookie as string)
      ).headers.get('location') as string,
    );
    expect(decode(again.searchParams.get('token') as string).claims.jti).not.toBe(claims.jti);
  });

  it('a tampered token does not verify with the key', () => {
    const forged = Buffer.from(JSON.stringify({ sub: 'admin' })).toString('base64url');
    expect(createHmac('sha256', Buffer.from('other-key')).update(`x.${forged}`).digest('base64url')).not.toBe(
      createHmac('sha256', LAUNCH_KEY).update(`x.${forged}`).digest('base64url'),
    );
  });

  it('needs a logged-in user with itil or x_imper_verify.agent (403 otherwise); unknown tickets are 404', async () => {
    const anon = await fetch(
      `${inst.url}/x_imper_verify_launch.do?table=incident&sys_id=${DEMO_TICKET.sys_id}`,
      { redirect: 'manual' },
    );
    expect(anon.status).toBe(302);
    expect(anon.headers.get('location')).toMatch(/^\/login\.do\?sysparm_goto_url=/);
    const integration = await fetch(
      `${inst.url}/x_imper_verify_launch.do?table=incident&sys_id=${DEMO_TICKET.sys_id}`,
      { headers: { authorization: AS.integration }, redirect: 'manual' },
    );
    expect(integration.status).toBe(403);
    const itil = await fetch(
      `${inst.url}/x_imper_verify_launch.do?table=incident&sys_id=${DEMO_TICKET.sys_id}`,
      { headers: { authorization: AS.itilOnly }, redirect: 'manual' },
    );
    expect(itil.status).toBe(302);
    const missing = await fetch(
      `${inst.url}/x_imper_verify_launch.do?table=incident&sys_id=${'0'.repeat(32)}`,
      { headers: { authorization: AS.agent }, redirect: 'manual' },
    );
    expect(missing.status).toBe(404);
  });
});
