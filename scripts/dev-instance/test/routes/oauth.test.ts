// SERVICENOW.md "Authentication": basic auth, and OAuth 2.0 through POST /oauth_token.do.

import type { DevInstance } from '../../src/index';
import { OAUTH, PW, call, startTestInstance } from '../helper';

let inst: DevInstance;
let clock = Date.now();
beforeAll(async () => {
  inst = await startTestInstance({
    now: () => clock,
    oauth: { accessTokenLifetimeSeconds: 60, refreshTokenLifetimeSeconds: 600 },
  });
});
afterAll(() => inst?.close());

function token(
  form: Record<string, string>,
  contentType = 'application/x-www-form-urlencoded',
): Promise<Response> {
  const body = contentType.includes('json') ? JSON.stringify(form) : new URLSearchParams(form).toString();
  return fetch(`${inst.url}/oauth_token.do`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
}
const client = { client_id: OAUTH.oauthClientId, client_secret: OAUTH.oauthClientSecret };
const whoAmI = async (accessToken: string): Promise<number> =>
  (await call(inst, 'GET', '/api/now/table/incident?sysparm_limit=1', { auth: `Bearer ${accessToken}` }))
    .status;

describe('OAuth 2.0: POST /oauth_token.do', () => {
  it('password grant: {"access_token","refresh_token","scope","token_type":"Bearer","expires_in"}; the token works as Bearer', async () => {
    const res = await token({
      grant_type: 'password',
      ...client,
      username: 'beth.anglin',
      password: PW.agent,
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual([
      'access_token',
      'expires_in',
      'refresh_token',
      'scope',
      'token_type',
    ]);
    expect(body).toMatchObject({ scope: 'useraccount', token_type: 'Bearer', expires_in: 60 });
    expect(await whoAmI(body.access_token as string)).toBe(200);
    const log = inst.requests.all().filter((r) => r.path === '/api/now/table/incident');
    expect(log[log.length - 1]?.user).toBe('beth.anglin');
  });

  it('expires_in is 1799 by default', async () => {
    const other = await startTestInstance();
    try {
      const res = await fetch(`${other.url}/oauth_token.do`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', ...client }).toString(),
      });
      expect(((await res.json()) as { expires_in: number }).expires_in).toBe(1799);
    } finally {
      await other.close();
    }
  });

  it('client_credentials runs as the integration user and returns no refresh_token', async () => {
    const res = await token({ grant_type: 'client_credentials', ...client });
    const body = (await res.json()) as Record<string, string>;
    expect(res.status).toBe(200);
    expect(body.refresh_token).toBeUndefined();
    await call(inst, 'GET', '/api/now/table/sys_user?sysparm_limit=1', {
      auth: `Bearer ${body.access_token}`,
    });
    expect(inst.requests.all().pop()?.user).toBe('imper.integration');
  });

  it('refresh_token grant gives a new access token; an expired access token is refused with the 401 envelope', async () => {
    const first = (await (
      await token({
        grant_type: 'password',
        ...client,
        username: 'imper.integration',
        password: PW.integration,
      })
    ).json()) as Record<string, string>;
    expect(await whoAmI(first.access_token as string)).toBe(200);
    clock += 61_000; // past the 60 s lifetime
    const expired = await call(inst, 'GET', '/api/now/table/incident?sysparm_limit=1', {
      auth: `Bearer ${first.access_token}`,
    });
    expect(expired.status).toBe(401);
    expect(expired.json).toEqual({
      error: { message: 'User Not Authenticated', detail: expect.any(String) },
      status: 'failure',
    });
    const res = await token({
      grant_type: 'refresh_token',
      ...client,
      refresh_token: first.refresh_token as string,
    });
    expect(res.status).toBe(200);
    const second = (await res.json()) as Record<string, string>;
    expect(second.access_token).not.toBe(first.access_token);
    expect(await whoAmI(second.access_token as string)).toBe(200);
    clock += 601_000; // refresh token expired too
    expect(
      (await token({ grant_type: 'refresh_token', ...client, refresh_token: first.refresh_token as string }))
        .status,
    ).toBe(401);
  });

  it('a bad client gives 401 invalid_client', async () => {
    for (const bad of [
      { client_id: 'nope', client_secret: OAUTH.oauthClientSecret },
      { client_id: OAUTH.oauthClientId, client_secret: 'wrong' },
    ]) {
      const res = await token({ grant_type: 'client_credentials', ...bad });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: string }).error).toBe('invalid_client');
    }
  });

  it('JSON is rejected (form-encoded only)', async () => {
    const res = await token({ grant_type: 'client_credentials', ...client }, 'application/json');
    expect(res.status).toBe(400);
  });

  it('wrong user password → 401; unknown grant → 400; unknown bearer → 401', async () => {
    expect(
      (await token({ grant_type: 'password', ...client, username: 'beth.anglin', password: 'wrong' })).status,
    ).toBe(401);
    expect((await token({ grant_type: 'authorization_code', ...client })).status).toBe(400);
    expect(await whoAmI('not-a-token')).toBe(401);
  });
});

describe('basic auth', () => {
  it('works for every API; a locked-out user is refused', async () => {
    const r = await call(inst, 'GET', '/api/now/table/incident?sysparm_limit=1');
    expect(r.status).toBe(200);
    const agent = inst.store.userByName('luke.wilson') as Record<string, string>;
    inst.store.update('sys_user', agent.sys_id as string, { locked_out: 'true' }, { runRules: false });
    const locked = await call(inst, 'GET', '/api/now/table/incident?sysparm_limit=1', {
      auth: `Basic ${Buffer.from(`luke.wilson:${PW.agent}`).toString('base64')}`,
    });
    expect(locked.status).toBe(401);
  });
});
