import {
  createServiceNowClient,
  ServiceNowError,
  type RequestEvent,
} from '../../../src/clients/servicenow/client';
import {
  ok,
  snError,
  startFakeInstance,
  testClock,
  SYS_ID_A,
  type FakeInstance,
  type Reply,
} from './fake-instance';

const CLIENT_ID = 'imper-verify-client';
const CLIENT_SECRET = 'sec-9f8e7d6c5b4a-very-secret';

let fake: FakeInstance | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/**
 * An instance issuing numbered tokens (`tok-1`, `tok-2`, …) and accepting only the newest one, unless the
 * test overrides the token endpoint or the table answers.
 */
async function setup(
  o: {
    token?: (n: number) => Reply | Promise<Reply>;
    table?: (auth: string | undefined, n: number) => Reply | undefined;
    expiresIn?: number;
  } = {},
) {
  const clock = testClock();
  let issued = 0;
  let tableCalls = 0;
  fake = await startFakeInstance(
    async (r) => {
      if (r.path === '/oauth_token.do') {
        issued++;
        if (o.token) return o.token(issued);
        return {
          status: 200,
          json: {
            access_token: `tok-${issued}`,
            scope: 'useraccount',
            token_type: 'Bearer',
            expires_in: o.expiresIn ?? 1799,
          },
        };
      }
      tableCalls++;
      const custom = o.table?.(r.headers.authorization, tableCalls);
      if (custom) return custom;
      return r.headers.authorization === `Bearer tok-${issued}`
        ? ok({ sys_id: SYS_ID_A })
        : snError(401, 'User Not Authenticated', 'Required to provide Auth information');
    },
    { clock: clock.now },
  );
  const events: RequestEvent[] = [];
  const client = createServiceNowClient({
    instanceUrl: fake.url,
    auth: { type: 'oauth', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
    timeoutMs: 500,
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5,
    onRequest: (e) => events.push(e),
  });
  return { client, fake, clock, events };
}

async function rejection(p: Promise<unknown>): Promise<ServiceNowError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ServiceNowError);
    return e as ServiceNowError;
  }
  throw new Error('expected a rejection');
}

test('client_credentials grant, form-encoded, then Bearer on the Table API', async () => {
  const { client, fake } = await setup();
  await expect(client.get('incident', SYS_ID_A)).resolves.toEqual({ sys_id: SYS_ID_A });
  const [tok, call] = fake.requests;
  expect(tok!.method).toBe('POST');
  expect(tok!.path).toBe('/oauth_token.do');
  expect(tok!.headers['content-type']).toBe('application/x-www-form-urlencoded');
  expect(Object.fromEntries(new URLSearchParams(tok!.body))).toEqual({
    grant_type: 'client_credentials',
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
  });
  expect(call!.headers.authorization).toBe('Bearer tok-1');
});

test('the token is cached across calls until shortly before expires_in', async () => {
  const { client, fake, clock } = await setup({ expiresIn: 1799 });
  for (let i = 0; i < 3; i++) await client.get('incident', SYS_ID_A);
  expect(fake.tokenRequests()).toHaveLength(1);

  clock.advance(1799_000 - 61_000); // still more than a minute left
  await client.get('incident', SYS_ID_A);
  expect(fake.tokenRequests()).toHaveLength(1);

  clock.advance(2_000); // under a minute left: renewed before it can expire mid-request
  await client.get('incident', SYS_ID_A);
  expect(fake.tokenRequests()).toHaveLength(2);
  expect(fake.tableRequests().at(-1)!.headers.authorization).toBe('Bearer tok-2');
});

test('concurrent callers share one token request', async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const { client, fake } = await setup({
    token: async (n) => {
      await gate;
      return { status: 200, json: { access_token: `tok-${n}`, token_type: 'Bearer', expires_in: 1799 } };
    },
  });
  const calls = Array.from({ length: 5 }, () => client.get('incident', SYS_ID_A));
  await new Promise((r) => setTimeout(r, 50));
  release();
  await expect(Promise.all(calls)).resolves.toHaveLength(5);
  expect(fake.tokenRequests()).toHaveLength(1);
  expect(fake.tableRequests().map((r) => r.headers.authorization)).toEqual(Array(5).fill('Bearer tok-1'));
});

test('a 401 with a bearer token drops it and retries once with a fresh one', async () => {
  // The instance revokes tok-1 after the first call.
  const { client, fake } = await setup({
    table: (auth, n) =>
      n >= 2 && auth === 'Bearer tok-1' ? snError(401, 'User Not Authenticated') : undefined,
  });
  await client.get('incident', SYS_ID_A);
  await expect(client.get('incident', SYS_ID_A)).resolves.toEqual({ sys_id: SYS_ID_A });
  expect(fake.tokenRequests()).toHaveLength(2);
  expect(fake.tableRequests().map((r) => r.headers.authorization)).toEqual([
    'Bearer tok-1',
    'Bearer tok-1',
    'Bearer tok-2',
  ]);
});

test('a 401 that persists with a fresh token is a non-retriable auth error after one refresh', async () => {
  const { client, fake } = await setup({ table: () => snError(401, 'User Not Authenticated') });
  const err = await rejection(client.get('incident', SYS_ID_A));
  expect(err).toMatchObject({ kind: 'auth', status: 401, retriable: false });
  expect(fake.tokenRequests()).toHaveLength(2);
  expect(fake.tableRequests()).toHaveLength(2);
});

test('invalid_client is a non-retriable auth error and no table request is made', async () => {
  const { client, fake } = await setup({
    token: () => ({
      status: 401,
      json: { error: 'invalid_client', error_description: `bad secret ${CLIENT_SECRET}` },
    }),
  });
  const err = await rejection(client.get('incident', SYS_ID_A));
  expect(err).toMatchObject({ kind: 'auth', status: 401, retriable: false });
  expect(err.message).toContain('invalid_client');
  expect(fake.tokenRequests()).toHaveLength(1);
  expect(fake.tableRequests()).toHaveLength(0);
});

test('a token endpoint answering 503 is retried like any request', async () => {
  const { client, fake, clock } = await setup({
    token: (n) =>
      n === 1
        ? snError(503, 'Service Unavailable', null, { 'Retry-After': '1' })
        : { status: 200, json: { access_token: `tok-${n}`, token_type: 'Bearer', expires_in: 1799 } },
  });
  await expect(client.create('incident', { short_description: 'x' })).resolves.toEqual({ sys_id: SYS_ID_A });
  expect(fake.tokenRequests()).toHaveLength(2);
  expect(clock.sleeps[0]).toBeGreaterThanOrEqual(1000);
  // The create itself went out once: a failed token request is safe to retry even for a POST.
  expect(fake.tableRequests()).toHaveLength(1);
});

test('secrets and tokens appear in no error message or event', async () => {
  const { client, events } = await setup({
    table: (auth) => snError(403, `Operation Failed for ${auth}`, `${CLIENT_SECRET}`),
  });
  const e1 = await rejection(client.get('incident', SYS_ID_A));
  await fake!.close();
  const bad = await setup({
    token: () => ({ status: 401, json: { error: 'invalid_client', error_description: CLIENT_SECRET } }),
  });
  const e2 = await rejection(bad.client.query('incident'));
  const text = JSON.stringify([
    [e1, e2].map((e) => ({ m: e.message, d: e.detail, s: e.stack })),
    [...events, ...bad.events].map((e) => ({ m: e.error?.message, d: e.error?.detail, p: e.path })),
  ]);
  expect(text).toContain('[redacted]');
  expect(text).not.toContain(CLIENT_SECRET);
  expect(text).not.toContain('tok-1');
});
