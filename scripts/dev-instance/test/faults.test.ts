// Fault injection (429, 5xx, delay, drop), the per-user rate-limit rule and the request log.

import type { DevInstance } from '../src/index';
import { AS, call, startTestInstance } from './helper';

let inst: DevInstance;
beforeAll(async () => {
  inst = await startTestInstance();
});
afterAll(() => inst?.close());
afterEach(() => inst.faults.clear());

const PATH = '/api/now/table/incident?sysparm_limit=1&sysparm_fields=number';

describe('faults', () => {
  it('rate_limit: 429 + Retry-After + X-RateLimit-* and {"error":{"message":"Rate limit exceeded"…}}; applies once', async () => {
    inst.faults.enqueue({ kind: 'rate_limit', retryAfterSeconds: 7 });
    expect(inst.faults.pending()).toBe(1);
    const r = await call(inst, 'GET', PATH);
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('7');
    expect(r.headers.get('x-ratelimit-limit')).not.toBeNull();
    expect(Number(r.headers.get('x-ratelimit-reset'))).toBeGreaterThanOrEqual(
      Math.floor(Date.now() / 1000) + 6,
    );
    expect(r.headers.get('x-ratelimit-rule')).toBeTruthy();
    expect(r.json).toEqual({
      error: { message: 'Rate limit exceeded', detail: expect.any(String) },
      status: 'failure',
    });
    expect(inst.faults.pending()).toBe(0);
    expect((await call(inst, 'GET', PATH)).status).toBe(200);
  });

  it.each([500, 502, 503] as const)('status %i: the error envelope', async (status) => {
    inst.faults.enqueue({ kind: 'status', status });
    const r = await call(inst, 'GET', PATH);
    expect(r.status).toBe(status);
    expect(r.json).toEqual({
      error: { message: expect.any(String), detail: expect.anything() },
      status: 'failure',
    });
  });

  it('faults apply FIFO to the next matching request (method and pathPrefix)', async () => {
    inst.faults.enqueue(
      { kind: 'status', status: 503, match: { method: 'PATCH' } },
      { kind: 'status', status: 502, match: { pathPrefix: '/api/now/table/sys_user' } },
      { kind: 'status', status: 500 },
    );
    expect((await call(inst, 'GET', PATH)).status).toBe(500); // first unmatched-by-filter fault
    expect((await call(inst, 'GET', '/api/now/table/sys_user?sysparm_limit=1')).status).toBe(502);
    expect((await call(inst, 'GET', PATH)).status).toBe(200);
    const id = inst.store.query('incident', 'number=INC0010001')[0]?.sys_id as string;
    expect(
      (await call(inst, 'PATCH', `/api/now/table/incident/${id}`, { body: { work_notes: 'x' } })).status,
    ).toBe(503);
    expect(inst.store.journal(id)).toHaveLength(0); // the faulted write did not happen
  });

  it('delay: responds normally after ms; a client timeout sees no answer', async () => {
    inst.faults.enqueue({ kind: 'delay', ms: 300 });
    const t0 = Date.now();
    const r = await call(inst, 'GET', PATH);
    expect(r.status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
    inst.faults.enqueue({ kind: 'delay', ms: 60_000 });
    await expect(
      fetch(`${inst.url}${PATH}`, { headers: { authorization: AS.admin }, signal: AbortSignal.timeout(200) }),
    ).rejects.toThrow();
  });

  it('drop: the socket is destroyed without any response', async () => {
    inst.faults.enqueue({ kind: 'drop' });
    await expect(fetch(`${inst.url}${PATH}`, { headers: { authorization: AS.admin } })).rejects.toThrow();
    const entry = inst.requests.all().pop();
    expect(entry).toMatchObject({ method: 'GET', path: '/api/now/table/incident', status: 0 });
    expect((await call(inst, 'GET', PATH)).status).toBe(200);
  });

  it('setLatency adds to every /api/* response; pages are not affected', async () => {
    inst.faults.setLatency(150);
    const t0 = Date.now();
    await call(inst, 'GET', PATH);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    const t1 = Date.now();
    await fetch(`${inst.url}/login.do`);
    expect(Date.now() - t1).toBeLessThan(140);
  });

  it('faults do not touch non-API paths; the token endpoint only with an explicit pathPrefix', async () => {
    inst.faults.enqueue({ kind: 'status', status: 503 });
    expect((await fetch(`${inst.url}/login.do`)).status).toBe(200);
    expect(inst.faults.pending()).toBe(1);
    inst.faults.clear();
    inst.faults.enqueue({ kind: 'status', status: 503, match: { pathPrefix: '/oauth_token.do' } });
    const r = await fetch(`${inst.url}/oauth_token.do`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect(r.status).toBe(503);
  });
});

describe('per-user rate-limit rule', () => {
  it('every response carries X-RateLimit-Limit/Reset/Rule; beyond the limit 429 with Retry-After', async () => {
    inst.faults.setRateLimitRule({ limit: 2, windowSeconds: 3600, name: 'test-rule' });
    const a = await call(inst, 'GET', PATH);
    expect(a.status).toBe(200);
    expect(a.headers.get('x-ratelimit-limit')).toBe('2');
    expect(a.headers.get('x-ratelimit-rule')).toBe('test-rule');
    const reset = Number(a.headers.get('x-ratelimit-reset'));
    expect(reset).toBeGreaterThan(Date.now() / 1000 + 3500);
    expect((await call(inst, 'GET', PATH)).status).toBe(200);
    const over = await call(inst, 'GET', PATH);
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(3500);
    expect(over.json.error.message).toBe('Rate limit exceeded');
    // per user: another user still gets through
    expect((await call(inst, 'GET', PATH, { auth: AS.agent })).status).toBe(200);
  });
});

describe('over HTTP (cross-process)', () => {
  it('POST/DELETE /__dev/faults, GET/DELETE /__dev/requests', async () => {
    const post = await fetch(`${inst.url}/__dev/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        { kind: 'rate_limit', retryAfterSeconds: 3 },
        { kind: 'status', status: 502 },
      ]),
    });
    expect(post.status).toBe(200);
    expect(inst.faults.pending()).toBe(2);
    expect((await call(inst, 'GET', PATH)).status).toBe(429);
    expect((await fetch(`${inst.url}/__dev/faults`, { method: 'DELETE' })).status).toBe(204);
    expect(inst.faults.pending()).toBe(0);
    const bad = await fetch(`${inst.url}/__dev/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '[{"kind":"explode"}]',
    });
    expect(bad.status).toBe(400);

    await fetch(`${inst.url}/__dev/requests`, { method: 'DELETE' });
    const before = Date.now();
    await call(inst, 'GET', `${PATH}&marker=1`, { auth: AS.integration });
    const log = (await (await fetch(`${inst.url}/__dev/requests`)).json()) as Array<Record<string, unknown>>;
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      method: 'GET',
      path: '/api/now/table/incident',
      status: 200,
      user: 'imper.integration',
      query: { marker: '1', sysparm_limit: '1' },
    });
    expect(log[0]?.at).toBeGreaterThanOrEqual(before);
  });
});
