import {
  createServiceNowClient,
  ServiceNowError,
  type RequestEvent,
  type ServiceNowClientOptions,
} from '../../../src/clients/servicenow/client';
import {
  ok,
  sequence,
  snError,
  startFakeInstance,
  testClock,
  SYS_ID_A,
  type FakeInstance,
  type Handler,
} from './fake-instance';

const PASSWORD = 'pw-Zx81!correct-horse';
const USER = 'imper.integration';

let fake: FakeInstance | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(handler: Handler, opts: Partial<ServiceNowClientOptions> = {}, clock = testClock()) {
  fake = await startFakeInstance(handler, { clock: clock.now });
  const events: RequestEvent[] = [];
  const client = createServiceNowClient({
    instanceUrl: fake.url,
    auth: { type: 'basic', username: USER, password: PASSWORD },
    timeoutMs: 300,
    retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 5000 },
    now: clock.now,
    sleep: clock.sleep,
    random: () => 1,
    onRequest: (e) => events.push(e),
    ...opts,
  });
  return { client, fake, events, clock };
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

describe('retries (SECURITY.md R2)', () => {
  test('429 with Retry-After: 2, then 503, then a hang past the timeout, then 200 → one success', async () => {
    const { client, fake, events, clock } = await setup(
      sequence(
        snError(429, 'Rate limit exceeded', 'Rule: integration', { 'Retry-After': '2' }),
        snError(503, 'Service Unavailable'),
        'hang',
        ok({ sys_id: SYS_ID_A, number: 'INC0010002' }),
      ),
      { retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 5000 } },
    );
    const rec = await client.get('incident', SYS_ID_A, { fields: ['sys_id', 'number'] });
    expect(rec).toEqual({ sys_id: SYS_ID_A, number: 'INC0010002' });
    expect(fake.requests).toHaveLength(4);
    // The request after the 429 came no earlier than Retry-After on the client's clock.
    const [r0, r1] = fake.requests;
    expect(r1!.clockAt! - r0!.clockAt!).toBeGreaterThanOrEqual(2000);
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(2000);
    expect(events.map((e) => [e.attempt, e.status, e.error?.kind])).toEqual([
      [1, 429, undefined],
      [2, 503, undefined],
      [3, undefined, 'timeout'],
      [4, 200, undefined],
    ]);
  });

  test('waits out Retry-After in real time before resending', async () => {
    fake = await startFakeInstance(
      sequence(snError(429, 'Rate limit exceeded', null, { 'Retry-After': '1' }), ok([])),
    );
    const client = createServiceNowClient({
      instanceUrl: fake.url,
      auth: { type: 'basic', username: USER, password: PASSWORD },
      retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 5000 },
    });
    await expect(client.query('incident')).resolves.toEqual({ records: [] });
    const [first, second] = fake.requests;
    expect(second!.at - first!.respondedAt!).toBeGreaterThanOrEqual(1000);
  });

  test('Retry-After as an HTTP date', async () => {
    const clock = testClock();
    const when = new Date(clock.now() + 3000).toUTCString();
    const { client, fake } = await setup(
      sequence(
        snError(429, 'Rate limit exceeded', null, { 'Retry-After': when }),
        ok([{ sys_id: SYS_ID_A }]),
      ),
      {},
      clock,
    );
    await expect(client.query('incident', { limit: 1 })).resolves.toEqual({
      records: [{ sys_id: SYS_ID_A }],
    });
    expect(clock.sleeps).toEqual([3000]);
    expect(fake.requests[1]!.clockAt! - fake.requests[0]!.clockAt!).toBeGreaterThanOrEqual(3000);
  });

  test('a Retry-After longer than maxDelayMs is handed to the caller instead of waited out', async () => {
    const { client, fake, clock } = await setup(
      sequence(snError(429, 'Rate limit exceeded', null, { 'Retry-After': '3600' })),
    );
    const err = await rejection(client.get('incident', SYS_ID_A));
    expect(err).toMatchObject({ kind: 'http', status: 429, retriable: true, retryAfterMs: 3_600_000 });
    expect(fake.requests).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  test('backoff is exponential with full jitter, capped at maxDelayMs', async () => {
    const { client, clock } = await setup(() => snError(503, 'Service Unavailable'), {
      retry: { maxAttempts: 6, baseDelayMs: 100, maxDelayMs: 1000 },
      random: () => 0.5,
    });
    const err = await rejection(client.get('incident', SYS_ID_A));
    expect(err).toMatchObject({ status: 503, retriable: true, kind: 'http' });
    expect(clock.sleeps).toEqual([50, 100, 200, 400, 500]);
  });

  test('jitter draws from the whole range [0, cap)', async () => {
    const draws = [0, 0.999];
    const { client, clock } = await setup(() => snError(502, 'Bad Gateway'), {
      retry: { maxAttempts: 3, baseDelayMs: 400, maxDelayMs: 5000 },
      random: () => draws.shift() ?? 0,
    });
    await rejection(client.get('incident', SYS_ID_A));
    expect(clock.sleeps).toEqual([0, 799.2]);
  });

  test.each([
    [400, 'Invalid table foo'],
    [403, 'Operation Failed'],
    [405, 'Method not Supported'],
    [409, 'Conflict'],
  ])('no retry on %i', async (status, message) => {
    const { client, fake } = await setup(() => snError(status, message, 'some detail'));
    const err = await rejection(client.query('incident'));
    expect(err).toMatchObject({ kind: 'http', status, retriable: false, detail: 'some detail' });
    expect(err.message).toContain(message);
    expect(fake.requests).toHaveLength(1);
  });

  test('404 on a single record is null, without retry', async () => {
    const { client, fake } = await setup(() =>
      snError(404, 'No Record found', "Record doesn't exist or ACL restricts the record retrieval"),
    );
    await expect(client.get('incident', SYS_ID_A)).resolves.toBeNull();
    expect(fake.requests).toHaveLength(1);
  });

  test('404 on an update is an error, without retry', async () => {
    const { client, fake } = await setup(() => snError(404, 'No Record found'));
    const err = await rejection(client.update('incident', SYS_ID_A, { x_imper_verify_status: 'sent' }));
    expect(err).toMatchObject({ status: 404, retriable: false });
    expect(fake.requests).toHaveLength(1);
  });

  test('401 with basic auth is a non-retriable auth error', async () => {
    const { client, fake } = await setup(() =>
      snError(401, 'User Not Authenticated', 'Required to provide Auth information'),
    );
    const err = await rejection(client.get('incident', SYS_ID_A));
    expect(err).toMatchObject({ kind: 'auth', status: 401, retriable: false });
    expect(fake.requests).toHaveLength(1);
  });

  test('408 is retried', async () => {
    const { client, fake } = await setup(sequence(snError(408, 'Request Timeout'), ok({ sys_id: SYS_ID_A })));
    await expect(client.get('incident', SYS_ID_A)).resolves.toEqual({ sys_id: SYS_ID_A });
    expect(fake.requests).toHaveLength(2);
  });

  test('gives up after maxAttempts with the last error, still retriable', async () => {
    const { client, fake } = await setup(() => snError(500, 'Internal Server Error'));
    const err = await rejection(client.query('incident'));
    expect(err).toMatchObject({ kind: 'http', status: 500, retriable: true });
    expect(fake.requests).toHaveLength(3);
  });

  test('maxAttempts 1 means a single attempt', async () => {
    const { client, fake, clock } = await setup(() => snError(503, 'Service Unavailable'), {
      retry: { maxAttempts: 1, baseDelayMs: 100, maxDelayMs: 1000 },
    });
    await rejection(client.get('incident', SYS_ID_A));
    expect(fake.requests).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  test('a hang is a retriable timeout after timeoutMs', async () => {
    const { client, fake } = await setup(() => 'hang', {
      timeoutMs: 100,
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
    });
    const started = Date.now();
    const err = await rejection(client.get('incident', SYS_ID_A));
    expect(err).toMatchObject({ kind: 'timeout', retriable: true });
    expect(err.status).toBeUndefined();
    expect(fake.requests).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
  });

  test('a body that stalls mid-way also times out', async () => {
    const { createServer } = await import('node:http');
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"result":'); // …and never finishes
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const client = createServiceNowClient({
        instanceUrl: `http://127.0.0.1:${port}`,
        auth: { type: 'basic', username: USER, password: PASSWORD },
        timeoutMs: 100,
        retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
      });
      const err = await rejection(client.get('incident', SYS_ID_A));
      expect(err.kind).toBe('timeout');
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  test('connection errors are retried, then reported as network errors', async () => {
    // A port that was just free: connections are refused.
    const probe = await startFakeInstance(() => ok([]));
    const url = probe.url;
    await probe.close();
    const events: RequestEvent[] = [];
    const clock = testClock();
    const client = createServiceNowClient({
      instanceUrl: url,
      auth: { type: 'basic', username: USER, password: PASSWORD },
      now: clock.now,
      sleep: clock.sleep,
      onRequest: (e) => events.push(e),
    });
    const err = await rejection(client.get('incident', SYS_ID_A));
    expect(err).toMatchObject({ kind: 'network', retriable: true });
    expect(err.message).toContain('ECONNREFUSED');
    expect(events.map((e) => e.attempt)).toEqual([1, 2, 3]);
  });

  test('a dropped connection on a GET is retried', async () => {
    const { client, fake } = await setup(sequence('destroy', ok({ sys_id: SYS_ID_A })));
    await expect(client.get('incident', SYS_ID_A)).resolves.toEqual({ sys_id: SYS_ID_A });
    expect(fake.requests).toHaveLength(2);
  });
});

describe('issue 8 finding 5: a call with a deadline settles by it, whatever the per-attempt timeout', () => {
  // Real time here: the hangs are real, so the deadline must be on the same clock as the attempts' timers.
  const realTime = { now: Date.now, sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) };

  test('issue 8 finding 5: a hanging instance gives a timeout at the deadline, not after attempts × timeoutMs', async () => {
    const { client, fake } = await setup(() => 'hang', { ...realTime, timeoutMs: 10_000 });
    const err = await rejection(client.get('incident', SYS_ID_A, { deadline: Date.now() + 400 }));
    expect(err.kind).toBe('timeout');
    expect(err.retriable).toBe(true);
    // The first attempt was cut to the deadline; no retry was started that could not finish in time.
    expect(fake.tableRequests()).toHaveLength(1);
  });

  test('issue 8 finding 5: retries happen within the deadline, and stop when the next would end after it', async () => {
    // A short backoff and a deadline with room for it, so a busy machine still fits the retry in (the hang then
    // runs to the deadline, leaving no time for a third attempt).
    const { client, fake } = await setup(sequence(snError(503, 'Service Unavailable'), 'hang'), {
      ...realTime,
      timeoutMs: 10_000,
      retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 5000 },
    });
    const err = await rejection(client.query('incident', { deadline: Date.now() + 2500 }));
    expect(err.kind).toBe('timeout');
    expect(fake.tableRequests()).toHaveLength(2);
  });

  test('issue 8 finding 5: a Retry-After reaching past the deadline is not waited for', async () => {
    const { client, fake } = await setup(
      sequence(snError(429, 'Rate limit exceeded', null, { 'Retry-After': '3' }), ok([])),
      { ...realTime, retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 5000 } },
    );
    const err = await rejection(client.query('incident', { deadline: Date.now() + 1000 }));
    expect(err.status).toBe(429);
    expect(fake.tableRequests()).toHaveLength(1);
  });
});

describe('writes that are not idempotent (SECURITY.md R3)', () => {
  test('a POST is not resent after an ambiguous 503, timeout or dropped connection', async () => {
    for (const reply of [snError(503, 'Service Unavailable'), 'hang' as const, 'destroy' as const]) {
      const { client, fake } = await setup(sequence(reply, ok({ sys_id: SYS_ID_A }, 201)));
      const err = await rejection(client.create('incident', { short_description: 'x' }));
      expect(err.retriable).toBe(true);
      expect(fake.requests).toHaveLength(1);
      await fake.close();
    }
  });

  test('a POST is resent after a 429 (refused before processing)', async () => {
    const { client, fake } = await setup(
      sequence(
        snError(429, 'Rate limit exceeded', null, { 'Retry-After': '1' }),
        ok({ sys_id: SYS_ID_A }, 201),
      ),
    );
    await expect(client.create('incident', { short_description: 'x' })).resolves.toEqual({
      sys_id: SYS_ID_A,
    });
    expect(fake.requests).toHaveLength(2);
  });

  test('a PATCH with a work note is not resent after a 503; a PATCH of plain fields is', async () => {
    const note = await setup(sequence(snError(503, 'Service Unavailable'), ok({ sys_id: SYS_ID_A })));
    await rejection(note.client.update('incident', SYS_ID_A, { work_notes: 'hello' }));
    expect(note.fake.requests).toHaveLength(1);
    await note.fake.close();

    const plain = await setup(sequence(snError(503, 'Service Unavailable'), ok({ sys_id: SYS_ID_A })));
    await expect(plain.client.update('incident', SYS_ID_A, { state: '2' })).resolves.toEqual({
      sys_id: SYS_ID_A,
    });
    expect(plain.fake.requests).toHaveLength(2);
  });
});

describe('requests', () => {
  test('GET one record: fields, no reference links, no count', async () => {
    const { client, fake } = await setup(() =>
      ok({
        sys_id: SYS_ID_A,
        caller_id: { link: 'http://x/api/now/table/sys_user/1', value: 'b'.repeat(32) },
      }),
    );
    const rec = await client.get('incident', SYS_ID_A, {
      fields: ['sys_id', 'caller_id', 'caller_id.email'],
    });
    // A reference that still comes back as an object is flattened to its value.
    expect(rec).toEqual({ sys_id: SYS_ID_A, caller_id: 'b'.repeat(32) });
    const r = fake.requests[0]!;
    expect(r.method).toBe('GET');
    expect(r.path).toBe(`/api/now/table/incident/${SYS_ID_A}`);
    expect(r.params.get('sysparm_fields')).toBe('sys_id,caller_id,caller_id.email');
    expect(r.params.get('sysparm_exclude_reference_link')).toBe('true');
    expect(r.params.get('sysparm_no_count')).toBe('true');
    expect(r.params.has('sysparm_display_value')).toBe(false);
    expect(r.headers.authorization).toBe(`Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`);
    expect(r.headers.accept).toBe('application/json');
  });

  test('query: encoded query, paging, count only when asked', async () => {
    const { client, fake } = await setup(() => ok([{ sys_id: SYS_ID_A }], 200, { 'X-Total-Count': '42' }));
    const q = 'active=true^caller_id.email=a b@example.com^ORDERBYsys_id';
    await expect(client.query('incident', { query: q, limit: 5, offset: 10 })).resolves.toEqual({
      records: [{ sys_id: SYS_ID_A }],
    });
    await expect(client.query('incident', { query: q, noCount: false })).resolves.toEqual({
      records: [{ sys_id: SYS_ID_A }],
      total: 42,
    });
    const [a, b] = fake.requests;
    expect(a!.params.get('sysparm_query')).toBe(q);
    expect(a!.params.get('sysparm_limit')).toBe('5');
    expect(a!.params.get('sysparm_offset')).toBe('10');
    expect(a!.params.get('sysparm_no_count')).toBe('true');
    expect(b!.params.has('sysparm_no_count')).toBe(false);
  });

  test('displayValue true and all', async () => {
    const { client, fake } = await setup(
      sequence(
        ok({ state: 'In Progress', caller_id: 'Beth Anglin' }),
        ok([{ state: { display_value: 'In Progress', value: '2' }, number: 'INC0010002' }]),
      ),
    );
    await expect(client.get('incident', SYS_ID_A, { displayValue: true })).resolves.toEqual({
      state: 'In Progress',
      caller_id: 'Beth Anglin',
    });
    const all = await client.query('incident', { displayValue: 'all' });
    expect(all.records[0]).toEqual({
      state: { display_value: 'In Progress', value: '2' },
      number: { display_value: 'INC0010002', value: 'INC0010002' },
    });
    expect(fake.requests.map((r) => r.params.get('sysparm_display_value'))).toEqual(['true', 'all']);
  });

  test('create POSTs JSON and accepts 201; update PATCHes only the fields sent', async () => {
    const { client, fake } = await setup(
      sequence(ok({ sys_id: SYS_ID_A, short_description: 'x' }, 201), ok({ sys_id: SYS_ID_A })),
    );
    await expect(client.create('incident', { short_description: 'x' })).resolves.toEqual({
      sys_id: SYS_ID_A,
      short_description: 'x',
    });
    await client.update('incident', SYS_ID_A, { x_imper_verify_status: 'passed' }, { fields: ['sys_id'] });
    const [c, u] = fake.requests;
    expect([c!.method, c!.path, c!.headers['content-type'], JSON.parse(c!.body)]).toEqual([
      'POST',
      '/api/now/table/incident',
      'application/json',
      { short_description: 'x' },
    ]);
    expect([u!.method, u!.path, JSON.parse(u!.body), u!.params.get('sysparm_fields')]).toEqual([
      'PATCH',
      `/api/now/table/incident/${SYS_ID_A}`,
      { x_imper_verify_status: 'passed' },
      'sys_id',
    ]);
  });

  test('tables, sys_ids and field names are validated before anything is sent', async () => {
    const { client, fake } = await setup(() => ok({}));
    await expect(client.get('incident/../sys_user', SYS_ID_A)).rejects.toThrow(TypeError);
    await expect(client.get('Incident', SYS_ID_A)).rejects.toThrow(TypeError);
    await expect(client.get('incident', 'A'.repeat(32))).rejects.toThrow(TypeError);
    await expect(client.get('incident', `${SYS_ID_A}?sysparm_query=x`)).rejects.toThrow(TypeError);
    await expect(client.query('incident', { fields: ['sys_id,caller_id.password'] })).rejects.toThrow(
      TypeError,
    );
    await expect(client.update('incident', SYS_ID_A, { 'a^b': 'x' })).rejects.toThrow(TypeError);
    await expect(client.update('incident', SYS_ID_A, { state: 6 as unknown as string })).rejects.toThrow(
      TypeError,
    );
    expect(fake.requests).toHaveLength(0);
  });

  test('a non-JSON 200 (e.g. a hibernating instance) is an error, not an empty record', async () => {
    const { client } = await setup(() => ({
      status: 200,
      headers: { 'content-type': 'text/html' },
      text: '<html>Your instance is hibernating</html>',
    }));
    const err = await rejection(client.get('incident', SYS_ID_A));
    expect(err).toMatchObject({ kind: 'http', status: 200 });
  });

  test('redirects are not followed (credentials stay with the instance)', async () => {
    const { client, fake } = await setup(() => ({
      status: 302,
      headers: { location: 'http://elsewhere.invalid/login' },
    }));
    const err = await rejection(client.get('incident', SYS_ID_A));
    expect(err).toMatchObject({ kind: 'http', status: 302, retriable: false });
    expect(fake.requests).toHaveLength(1);
  });

  test('options are validated', () => {
    const auth = { type: 'basic', username: USER, password: PASSWORD } as const;
    expect(() => createServiceNowClient({ instanceUrl: 'ftp://x', auth })).toThrow(TypeError);
    expect(() => createServiceNowClient({ instanceUrl: `https://u:${PASSWORD}@x.example`, auth })).toThrow(
      /must not carry credentials/,
    );
    expect(() =>
      createServiceNowClient({
        instanceUrl: 'https://x.example',
        auth,
        retry: { maxAttempts: 0, baseDelayMs: 1, maxDelayMs: 1 },
      }),
    ).toThrow(TypeError);
  });
});

describe('errors and events carry no credentials (SECURITY.md S20)', () => {
  test('the password never appears, even when the instance echoes it', async () => {
    const b64 = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
    const { client, events } = await setup(
      sequence(
        snError(400, `bad request from ${USER}:${PASSWORD}`, `Authorization: Basic ${b64}`),
        snError(500, 'boom', PASSWORD),
        snError(500, 'boom', PASSWORD),
        snError(500, 'boom', PASSWORD),
      ),
    );
    const errors = [
      await rejection(client.get('incident', SYS_ID_A)),
      await rejection(client.query('incident')),
    ];
    const text = JSON.stringify([
      errors.map((e) => ({ message: e.message, detail: e.detail, str: String(e), stack: e.stack })),
      events.map((e) => ({ ...e, error: e.error && { message: e.error.message, detail: e.error.detail } })),
    ]);
    expect(text).toContain('[redacted]');
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(b64);
  });

  test('event paths leave out the query string', async () => {
    const { client, events } = await setup(() => ok([]));
    await client.query('sys_user', { query: 'email=someone@example.com' });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      method: 'GET',
      path: '/api/now/table/sys_user',
      status: 200,
      attempt: 1,
    });
    expect(JSON.stringify(events)).not.toContain('someone@example.com');
  });

  test('a throwing onRequest does not break requests', async () => {
    const { client } = await setup(() => ok({ sys_id: SYS_ID_A }), {
      onRequest: () => {
        throw new Error('logger down');
      },
    });
    await expect(client.get('incident', SYS_ID_A)).resolves.toEqual({ sys_id: SYS_ID_A });
  });
});
