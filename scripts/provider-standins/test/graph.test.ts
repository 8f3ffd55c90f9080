import { PASSWORD_METHOD_ID, PHONE_METHOD_IDS, startGraphStandin, type GraphStandin } from '../src';

const TENANT = '11111111-2222-3333-4444-555555555555';
const APP = { clientId: 'aaaaaaaa-0000-0000-0000-000000000001', clientSecret: 'app-secret~value' };
const READER = { clientId: 'aaaaaaaa-0000-0000-0000-000000000002', clientSecret: 'reader-secret' };
const ALEX = 'b0a1c2d3-0000-4000-8000-000000000001';

let graph: GraphStandin;

beforeAll(async () => {
  graph = await startGraphStandin({
    tenantId: TENANT,
    tenantDomains: ['contoso.onmicrosoft.com'],
    clients: [
      {
        ...APP,
        permissions: ['User.ReadWrite.All', 'UserAuthenticationMethod.ReadWrite.All'],
      },
      { ...READER, permissions: ['User.Read.All'] },
    ],
    users: [
      {
        id: ALEX,
        userPrincipalName: 'alex@contoso.com',
        displayName: 'Alex Wilber',
        password: 'Old-Passw0rd',
        methods: [
          { kind: 'phone', properties: { phoneNumber: '+1 2065550100', phoneType: 'mobile' } },
          { kind: 'microsoftAuthenticator', id: 'auth-1', properties: { displayName: 'iPhone' } },
        ],
      },
      { userPrincipalName: 'admin@contoso.com', privileged: true },
    ],
    passwordPolicy: { bannedPasswords: ['contoso'] },
  });
});
afterAll(() => graph.close());
afterEach(() => graph.reset());

async function token(client = APP, over: Record<string, string> = {}, tenant = TENANT) {
  return fetch(`${graph.url}/${tenant}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: client.clientSecret,
      scope: 'https://graph.microsoft.com/.default',
      ...over,
    }).toString(),
  });
}

async function bearer(client = APP) {
  const body = (await (await token(client)).json()) as { access_token: string };
  return body.access_token;
}

async function api(method: string, path: string, body?: unknown, auth?: string) {
  const headers: Record<string, string> = { authorization: `Bearer ${auth ?? (await bearer())}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${graph.url}/v1.0${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe('Graph stand-in: token endpoint (login.microsoftonline.com)', () => {
  it('issues a bearer token for the client-credentials grant, by tenant id or domain', async () => {
    for (const tenant of [TENANT, 'contoso.onmicrosoft.com']) {
      const res = await token(APP, {}, tenant);
      expect(res.status).toBe(200);
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599 });
      expect(typeof body.access_token).toBe('string');
    }
  });

  it.each([
    ['unknown tenant', { tenant: 'nope.onmicrosoft.com' }, 400, 'invalid_request', 90002],
    ['unknown client', { client_id: 'who' }, 400, 'unauthorized_client', 700016],
    ['wrong secret', { client_secret: 'wrong' }, 401, 'invalid_client', 7000215],
    ['wrong grant', { grant_type: 'password' }, 400, 'unsupported_grant_type', 70003],
    ['wrong scope', { scope: 'User.Read' }, 400, 'invalid_scope', 70011],
  ])('refuses %s like AAD', async (_name, over, status, error, code) => {
    const { tenant, ...form } = over as Record<string, string>;
    const res = await token(APP, form, tenant ?? TENANT);
    expect(res.status).toBe(status);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ error, error_codes: [code] });
    expect(body.error_description).toMatch(new RegExp(`^AADSTS${code}: `));
    expect(body).toHaveProperty('trace_id');
    expect(body).toHaveProperty('correlation_id');
  });
});

describe('Graph stand-in: users', () => {
  it('returns the default property set, and accountEnabled only when selected', async () => {
    const plain = (await (await api('GET', '/users/alex@contoso.com')).json()) as Record<string, unknown>;
    expect(plain).toMatchObject({
      id: ALEX,
      userPrincipalName: 'alex@contoso.com',
      displayName: 'Alex Wilber',
    });
    expect(plain).not.toHaveProperty('accountEnabled');
    const selected = (await (
      await api('GET', `/users/${ALEX}?$select=id,accountEnabled,lastPasswordChangeDateTime`)
    ).json()) as Record<string, unknown>;
    expect(selected).toMatchObject({ id: ALEX, accountEnabled: true });
    expect(selected).toHaveProperty('lastPasswordChangeDateTime');
    expect(selected).not.toHaveProperty('displayName');
  });

  it('answers errors the way Graph does: 401, 403, 404', async () => {
    const noToken = await fetch(`${graph.url}/v1.0/users/${ALEX}`);
    expect(noToken.status).toBe(401);
    const body = (await noToken.json()) as { error: Record<string, any> };
    expect(body.error.code).toBe('InvalidAuthenticationToken');
    expect(body.error.innerError).toHaveProperty('request-id');
    expect(body.error.innerError).toHaveProperty('date');
    expect(noToken.headers.get('request-id')).toBe(body.error.innerError['request-id']);

    const junk = await api('GET', `/users/${ALEX}`, undefined, 'not-a-token');
    expect(junk.status).toBe(401);

    const reader = await bearer(READER);
    const forbidden = await api('PATCH', `/users/${ALEX}`, { accountEnabled: false }, reader);
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as any).error.code).toBe('Authorization_RequestDenied');

    const missing = await api('GET', '/users/nobody@contoso.com');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as any).error).toMatchObject({
      code: 'Request_ResourceNotFound',
      message: expect.stringContaining("Resource 'nobody@contoso.com' does not exist"),
    });
  });

  it('refuses expired tokens', async () => {
    const t = await bearer();
    graph.expireTokens();
    const res = await api('GET', `/users/${ALEX}`, undefined, t);
    expect(res.status).toBe(401);
    expect(((await res.json()) as any).error.message).toMatch(/expired/);
  });

  it('sets a password through passwordProfile, refusing one that fails complexity', async () => {
    const weak = await api('PATCH', `/users/${ALEX}`, {
      passwordProfile: { password: 'alllowercase', forceChangePasswordNextSignIn: false },
    });
    expect(weak.status).toBe(400);
    expect(((await weak.json()) as any).error).toMatchObject({
      code: 'Request_BadRequest',
      message: expect.stringContaining('password does not comply with password complexity requirements'),
    });
    const banned = await api('PATCH', `/users/${ALEX}`, { passwordProfile: { password: 'Contoso-2024!' } });
    expect(banned.status).toBe(400);
    expect(graph.checkPassword(ALEX, 'Old-Passw0rd')).toBe(true);

    const ok = await api('PATCH', `/users/${ALEX}`, {
      passwordProfile: { password: 'Tall-Ships-Sail-1', forceChangePasswordNextSignIn: false },
    });
    expect(ok.status).toBe(204);
    expect(graph.checkPassword(ALEX, 'Tall-Ships-Sail-1')).toBe(true);
    expect(graph.checkPassword(ALEX, 'Old-Passw0rd')).toBe(false);
    expect(graph.user(ALEX)!.forceChangePasswordNextSignIn).toBe(false);
    // The captured request never keeps the password itself.
    const patch = graph.requests().find((r) => r.method === 'PATCH' && r.status === 204)!;
    expect(JSON.stringify(patch.body)).not.toContain('Tall-Ships-Sail-1');
  });

  it('refuses to reset a privileged user with 403', async () => {
    const res = await api('PATCH', '/users/admin@contoso.com', {
      passwordProfile: { password: 'Tall-Ships-Sail-1' },
    });
    expect(res.status).toBe(403);
  });

  it('revokes sign-in sessions', async () => {
    const before = graph.user(ALEX)!.signInSessionsValidFromDateTime;
    const res = await api('POST', `/users/${ALEX}/revokeSignInSessions`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ value: true });
    expect(graph.user(ALEX)!.signInSessionsValidFromDateTime > before).toBe(true);
  });
});

describe('Graph stand-in: authentication methods', () => {
  it('lists, deletes by segment, refuses the password method, and issues a Temporary Access Pass', async () => {
    const list = (await (await api('GET', `/users/${ALEX}/authentication/methods`)).json()) as {
      value: Array<Record<string, unknown>>;
    };
    expect(list.value.map((m) => [m['@odata.type'], m.id])).toEqual([
      ['#microsoft.graph.passwordAuthenticationMethod', PASSWORD_METHOD_ID],
      ['#microsoft.graph.phoneAuthenticationMethod', PHONE_METHOD_IDS.mobile],
      ['#microsoft.graph.microsoftAuthenticatorAuthenticationMethod', 'auth-1'],
    ]);
    expect(list.value[1]).toMatchObject({ phoneNumber: '+1 2065550100', phoneType: 'mobile' });

    const password = await api(
      'DELETE',
      `/users/${ALEX}/authentication/passwordMethods/${PASSWORD_METHOD_ID}`,
    );
    expect(password.status).toBe(400);
    const wrongSegment = await api('DELETE', `/users/${ALEX}/authentication/fido2Methods/auth-1`);
    expect(wrongSegment.status).toBe(404);
    expect(
      (await api('DELETE', `/users/${ALEX}/authentication/microsoftAuthenticatorMethods/auth-1`)).status,
    ).toBe(204);

    const tap = await api('POST', `/users/${ALEX}/authentication/temporaryAccessPassMethods`, {
      lifetimeInMinutes: 60,
      isUsableOnce: true,
    });
    expect(tap.status).toBe(201);
    const tapBody = (await tap.json()) as Record<string, unknown>;
    expect(tapBody).toMatchObject({
      '@odata.type': '#microsoft.graph.temporaryAccessPassAuthenticationMethod',
      lifetimeInMinutes: 60,
      isUsableOnce: true,
      isUsable: true,
    });
    expect(tapBody.temporaryAccessPass).toBe(graph.temporaryAccessPasses().at(-1)!.temporaryAccessPass);
    const tooLong = await api('POST', `/users/${ALEX}/authentication/temporaryAccessPassMethods`, {
      lifetimeInMinutes: 5,
    });
    expect(tooLong.status).toBe(400);
    expect(graph.user(ALEX)!.methods.map((m) => m.kind)).toEqual([
      'password',
      'phone',
      'temporaryAccessPass',
    ]);
  });
});

describe('Graph stand-in: throttling and faults', () => {
  it('answers 429 TooManyRequests with Retry-After from a queued fault, and can drop a connection', async () => {
    const t = await bearer();
    graph.faults.failNext('graph', 1, 429, { retryAfterSeconds: 7 });
    const res = await api('GET', `/users/${ALEX}`, undefined, t);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(((await res.json()) as any).error.code).toBe('TooManyRequests');
    expect((await api('GET', `/users/${ALEX}`, undefined, t)).status).toBe(200);

    graph.faults.dropNext('graph', 1);
    await expect(api('GET', `/users/${ALEX}`, undefined, t)).rejects.toThrow();
  });

  it('faults on the token endpoint are separate (graph-login)', async () => {
    graph.faults.failNext('graph-login', 1, 503, { retryAfterSeconds: 3 });
    const res = await token();
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(((await res.json()) as any).error).toBe('temporarily_unavailable');
    expect((await token()).status).toBe(200);
  });

  it('throttles a client over its request budget with the seconds left in the window', async () => {
    const throttled = await startGraphStandin({
      tenantId: TENANT,
      clients: [{ ...APP, permissions: ['User.Read.All'] }],
      users: [{ userPrincipalName: 'a@contoso.com' }],
      throttle: { limit: 2, windowSeconds: 30 },
    });
    try {
      const t = (
        (await (
          await fetch(`${throttled.url}/${TENANT}/oauth2/v2.0/token`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({
              grant_type: 'client_credentials',
              client_id: APP.clientId,
              client_secret: APP.clientSecret,
              scope: 'https://graph.microsoft.com/.default',
            }).toString(),
          })
        ).json()) as { access_token: string }
      ).access_token;
      const get = () =>
        fetch(`${throttled.url}/v1.0/users/a@contoso.com`, { headers: { authorization: `Bearer ${t}` } });
      expect((await get()).status).toBe(200);
      expect((await get()).status).toBe(200);
      const third = await get();
      expect(third.status).toBe(429);
      const wait = Number(third.headers.get('retry-after'));
      expect(wait).toBeGreaterThanOrEqual(1);
      expect(wait).toBeLessThanOrEqual(30);
    } finally {
      await throttled.close();
    }
  });
});
