// SECURITY.md S22, table-driven: specific bad inputs, the exact status and stable code each route answers with, and
// proof that a refused request changed nothing (no verification, delivery, link, audit event or ticket write).
import net from 'node:net';
import { build, DEMO_TICKET, type TestApp } from '../helper';
import { launchAgent, rawRequest, type RawResponse } from './support';

let t: TestApp;
let agent: { csrf: string; cookie: string };
let active: string; // public id of the verification under way on the demo ticket

beforeAll(async () => {
  t = await build({ env: { RATE_LIMIT_PER_IP_PER_MINUTE: '100000' } });
  agent = await launchAgent(t);
  const sent = await api('POST', '/agent/api/verifications', {
    json: { channel: 'sms', contactKey: 'mobile_phone' },
  });
  expect(sent.status).toBe(201);
  active = JSON.parse(sent.text).id;
}, 60_000);
afterAll(() => t?.close(), 30_000);
jest.setTimeout(30_000);

function api(
  method: string,
  path: string,
  o: {
    json?: unknown;
    body?: string;
    type?: string;
    session?: boolean;
    csrf?: boolean;
    accept?: string;
  } = {},
) {
  const headers: Record<string, string> = { accept: o.accept ?? 'application/json' };
  if (o.session !== false) headers.cookie = agent.cookie;
  if (o.session !== false && o.csrf !== false) headers['x-csrf-token'] = agent.csrf;
  let body: string | undefined;
  if (o.json !== undefined) {
    body = JSON.stringify(o.json);
    headers['content-type'] = 'application/json';
  }
  if (o.body !== undefined) body = o.body;
  if (o.type) headers['content-type'] = o.type;
  return rawRequest(t.url, { method, path, headers, ...(body !== undefined ? { body } : {}) });
}

/** Everything a refused request must leave alone. Agent sessions are left out: reading the ticket refreshes them. */
async function snapshot() {
  const q = async (text: string) => (await t.db.pool.query(text)).rows;
  return {
    verifications: await q(
      'select public_id, state, attention, sends, deadline_at, updated_at from verifications order by public_id',
    ),
    deliveries: await q('select id, status, updated_at from deliveries order by id'),
    links: await q('select id, used_at, revoked_at, opened_at from verification_links order by id'),
    audit: await q('select count(*)::int as n from audit_events'),
    writeback: await q('select count(*)::int as n from writeback_events'),
    jobs: await q('select count(*)::int as n from graphile_worker.jobs'),
    devMessages: await q('select count(*)::int as n from dev_messages'),
    ticket: t.standin.store.get('incident', DEMO_TICKET.sys_id),
  };
}

const code = (res: RawResponse) => (JSON.parse(res.text) as { error: { code: string } }).error.code;
const big = (bytes: number) => JSON.stringify({ channel: 'email', destination: 'a'.repeat(bytes) });

type Case = [name: string, request: () => Promise<RawResponse>, status: number, codeOrHtml: string];
const cases: Case[] = [
  [
    'invalid email → INVALID_EMAIL',
    () =>
      api('POST', '/agent/api/verifications', { json: { channel: 'email', destination: 'not-an-email@' } }),
    400,
    'INVALID_EMAIL',
  ],
  [
    'email with a space → INVALID_EMAIL',
    () =>
      api('POST', '/agent/api/verifications', { json: { channel: 'email', destination: 'a b@example.com' } }),
    400,
    'INVALID_EMAIL',
  ],
  [
    'invalid phone → INVALID_PHONE',
    () => api('POST', '/agent/api/verifications', { json: { channel: 'sms', destination: '+1 555' } }),
    400,
    'INVALID_PHONE',
  ],
  [
    'letters as a phone → INVALID_PHONE',
    () => api('POST', '/agent/api/verifications', { json: { channel: 'sms', destination: 'call me maybe' } }),
    400,
    'INVALID_PHONE',
  ],
  [
    'both contactKey and destination → VALIDATION_FAILED',
    () =>
      api('POST', '/agent/api/verifications', {
        json: { channel: 'sms', contactKey: 'mobile_phone', destination: '+14155550100' },
      }),
    400,
    'VALIDATION_FAILED',
  ],
  [
    'neither contactKey nor destination → VALIDATION_FAILED',
    () => api('POST', '/agent/api/verifications', { json: { channel: 'sms' } }),
    400,
    'VALIDATION_FAILED',
  ],
  [
    'unknown channel → VALIDATION_FAILED',
    () => api('POST', '/agent/api/verifications', { json: { channel: 'fax', contactKey: 'mobile_phone' } }),
    400,
    'VALIDATION_FAILED',
  ],
  [
    'unknown contact key → INVALID_DESTINATION',
    () => api('POST', '/agent/api/verifications', { json: { channel: 'sms', contactKey: 'pager' } }),
    400,
    'INVALID_DESTINATION',
  ],
  [
    'contact key of the other channel → INVALID_DESTINATION',
    () => api('POST', '/agent/api/verifications', { json: { channel: 'sms', contactKey: 'email' } }),
    400,
    'INVALID_DESTINATION',
  ],
  [
    'prototype-pollution key as contact → INVALID_DESTINATION',
    () => api('POST', '/agent/api/verifications', { json: { channel: 'email', contactKey: '__proto__' } }),
    400,
    'INVALID_DESTINATION',
  ],
  [
    '__proto__ in the JSON body → BAD_REQUEST',
    () =>
      api('POST', '/agent/api/verifications', {
        body: '{"channel":"sms","contactKey":"mobile_phone","__proto__":{"x":1}}',
        type: 'application/json',
      }),
    400,
    'BAD_REQUEST',
  ],
  [
    'body is null → VALIDATION_FAILED',
    () => api('POST', '/agent/api/verifications', { body: 'null', type: 'application/json' }),
    400,
    'VALIDATION_FAILED',
  ],
  [
    'body is an array → VALIDATION_FAILED',
    () => api('POST', '/agent/api/verifications', { body: '[]', type: 'application/json' }),
    400,
    'VALIDATION_FAILED',
  ],
  [
    'malformed JSON → BAD_REQUEST',
    () => api('POST', '/agent/api/verifications', { body: '{"channel":', type: 'application/json' }),
    400,
    'BAD_REQUEST',
  ],
  [
    'empty JSON body → BAD_REQUEST',
    () => api('POST', '/agent/api/verifications', { body: '', type: 'application/json' }),
    400,
    'BAD_REQUEST',
  ],
  [
    'text/plain on a JSON route → 415 UNSUPPORTED_MEDIA_TYPE',
    () => api('POST', '/agent/api/verifications', { body: 'channel=sms', type: 'text/plain' }),
    415,
    'UNSUPPORTED_MEDIA_TYPE',
  ],
  [
    'oversized body → 413 PAYLOAD_TOO_LARGE',
    () => api('POST', '/agent/api/verifications', { body: big(80 * 1024), type: 'application/json' }),
    413,
    'PAYLOAD_TOO_LARGE',
  ],
  [
    'no session → 401 AGENT_SESSION_REQUIRED',
    () =>
      api('POST', '/agent/api/verifications', {
        json: { channel: 'sms', contactKey: 'mobile_phone' },
        session: false,
      }),
    401,
    'AGENT_SESSION_REQUIRED',
  ],
  [
    'no session on the ticket view → 401 AGENT_SESSION_REQUIRED',
    () => api('GET', '/agent/api/ticket', { session: false }),
    401,
    'AGENT_SESSION_REQUIRED',
  ],
  [
    'forged session cookie → 401 AGENT_SESSION_REQUIRED',
    () =>
      rawRequest(t.url, {
        method: 'GET',
        path: '/agent/api/ticket',
        headers: { cookie: `imper_agent=${'A'.repeat(43)}` },
      }),
    401,
    'AGENT_SESSION_REQUIRED',
  ],
  [
    'session without CSRF → 403 CSRF_FAILED',
    () =>
      api('POST', '/agent/api/verifications', {
        json: { channel: 'sms', contactKey: 'mobile_phone' },
        csrf: false,
      }),
    403,
    'CSRF_FAILED',
  ],
  [
    'send twice for one ticket → 409 VERIFICATION_ALREADY_ACTIVE',
    () => api('POST', '/agent/api/verifications', { json: { channel: 'email', contactKey: 'email' } }),
    409,
    'VERIFICATION_ALREADY_ACTIVE',
  ],
  [
    'malformed public id → VALIDATION_FAILED',
    () => api('GET', '/agent/api/verifications/VRF-0OIL10'),
    400,
    'VALIDATION_FAILED',
  ],
  [
    'malformed public id on cancel → VALIDATION_FAILED',
    () => api('POST', '/agent/api/verifications/not-an-id/cancel'),
    400,
    'VALIDATION_FAILED',
  ],
  [
    'unknown public id → 404 VERIFICATION_NOT_FOUND',
    () => api('GET', '/agent/api/verifications/VRF-ZZZZZZ'),
    404,
    'VERIFICATION_NOT_FOUND',
  ],
  [
    'resend of an unknown id → 404 VERIFICATION_NOT_FOUND',
    () => api('POST', '/agent/api/verifications/VRF-ZZZZZZ/resend'),
    404,
    'VERIFICATION_NOT_FOUND',
  ],
  [
    'unknown link → 404 page',
    () =>
      rawRequest(t.url, { method: 'GET', path: `/v/${'A'.repeat(43)}`, headers: { accept: 'text/html' } }),
    404,
    'html',
  ],
  [
    'link of the wrong shape → 404 page',
    () => rawRequest(t.url, { method: 'GET', path: '/v/short', headers: { accept: 'text/html' } }),
    404,
    'html',
  ],
  [
    'start of an unknown link without its browser cookie → 403 page',
    () =>
      rawRequest(t.url, {
        method: 'POST',
        path: `/v/${'A'.repeat(43)}/start`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'csrf=x',
      }),
    403,
    'html',
  ],
  [
    'start of a link of the wrong shape → 404 page',
    () =>
      rawRequest(t.url, {
        method: 'POST',
        path: '/v/short/start',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'csrf=x',
      }),
    404,
    'html',
  ],
  [
    'undecodable URL → 400 BAD_REQUEST',
    () =>
      rawRequest(t.url, {
        method: 'GET',
        path: '/agent/api/verifications/%E0%A4%A',
        headers: { accept: 'application/json' },
      }),
    400,
    'BAD_REQUEST',
  ],
  [
    'path parameter over the length limit → 400 BAD_REQUEST',
    () => rawRequest(t.url, { method: 'GET', path: `/agent/api/verifications/${'V'.repeat(300)}` }),
    400,
    'BAD_REQUEST',
  ],
  [
    'unknown route → 404 NOT_FOUND',
    () =>
      rawRequest(t.url, { method: 'GET', path: '/api/v2/admin', headers: { accept: 'application/json' } }),
    404,
    'NOT_FOUND',
  ],
  [
    'unknown method on a route → 404 NOT_FOUND',
    () => rawRequest(t.url, { method: 'DELETE', path: '/agent/api/ticket' }),
    404,
    'NOT_FOUND',
  ],
  [
    'launch token missing → VALIDATION_FAILED page',
    () => rawRequest(t.url, { method: 'GET', path: '/agent/launch' }),
    400,
    'html',
  ],
  [
    'launch token garbage → 401 page',
    () => rawRequest(t.url, { method: 'GET', path: '/agent/launch?token=aaaaaaaaaaaaaaaa.bbbb.cccc' }),
    401,
    'html',
  ],
  [
    'dev messages limit out of range → VALIDATION_FAILED',
    () => rawRequest(t.url, { method: 'GET', path: '/dev/messages?limit=100000' }),
    400,
    'VALIDATION_FAILED',
  ],
  [
    'Twilio callback without a signature → 403 WEBHOOK_SIGNATURE_INVALID',
    () =>
      rawRequest(t.url, {
        method: 'POST',
        path: '/webhooks/twilio/status',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'MessageSid=SM1&MessageStatus=delivered',
      }),
    403,
    'WEBHOOK_SIGNATURE_INVALID',
  ],
  [
    'SendGrid events without a signature → 403 WEBHOOK_SIGNATURE_INVALID',
    () =>
      rawRequest(t.url, {
        method: 'POST',
        path: '/webhooks/sendgrid/events',
        headers: { 'content-type': 'application/json' },
        body: '[]',
      }),
    403,
    'WEBHOOK_SIGNATURE_INVALID',
  ],
];

describe('S22: specific bad inputs get their exact status and stable code, and change nothing', () => {
  it.each(cases)('S22: %s', async (_name, request, status, expected) => {
    const before = await snapshot();
    const res = await request();
    expect(res.status).toBe(status);
    if (expected === 'html') {
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).not.toMatch(/\bat \/|node_modules|Error:/);
    } else {
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(code(res)).toBe(expected);
      expect(JSON.parse(res.text).error.message).toEqual(expect.any(String));
    }
    expect(await snapshot()).toEqual(before);
  });

  it('S22: a request Node cannot parse as HTTP gets a 400 with a stable code', async () => {
    const u = new URL(t.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(u.port), u.hostname, () =>
        socket.write('GET /health/live HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'),
      );
      let data = '';
      socket.on('data', (c) => (data += String(c)));
      socket.on('close', () => resolve(data));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)).error.code).toBe('BAD_REQUEST');
  });

  it('issue 8 finding 6: a malformed chunked body gets a clean 400 and logs no error (S22)', async () => {
    const u = new URL(t.url);
    const raw = (path: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = net.connect(Number(u.port), u.hostname, () =>
          socket.write(
            `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
          ),
        );
        let data = '';
        socket.on('data', (c) => (data += String(c)));
        socket.on('close', () => resolve(data));
        socket.on('error', reject);
      });
    const logged = t.logs.length;
    for (const path of [
      '/agent/api/verifications',
      '/v/abc/start',
      '/webhooks/twilio/status',
      '/console/login',
    ]) {
      const answer = await raw(path);
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)).error.code).toBe('BAD_REQUEST');
    }
    // The request Fastify had already started on ends quietly: no "unhandled error" (the rate limiter used to
    // read the IP of the closed socket and throw a TypeError).
    await new Promise((r) => setTimeout(r, 200));
    const errors = t.logs.slice(logged).filter((l) => (JSON.parse(l) as { level: number }).level >= 50);
    expect(errors).toEqual([]);
  });

  it('S22: cancelling a finished verification → 409 VERIFICATION_FINISHED, and the cancel stands', async () => {
    const canceled = await api('POST', `/agent/api/verifications/${active}/cancel`);
    expect(canceled.status).toBe(200);
    expect(JSON.parse(canceled.text).state).toBe('canceled');
    const before = await snapshot();
    const again = await api('POST', `/agent/api/verifications/${active}/cancel`);
    expect(again.status).toBe(409);
    expect(code(again)).toBe('VERIFICATION_FINISHED');
    const resend = await api('POST', `/agent/api/verifications/${active}/resend`);
    expect(resend.status).toBe(409);
    expect(code(resend)).toBe('INVALID_STATE');
    expect(await snapshot()).toEqual(before);
    // The agent can still start a new one for the ticket afterwards.
    const fresh = await api('POST', '/agent/api/verifications', {
      json: { channel: 'email', contactKey: 'email' },
    });
    expect(fresh.status).toBe(201);
  });

  it('S22: the send-page form answers bad input with the page and its notice, not an error', async () => {
    const before = await snapshot();
    const res = await rawRequest(t.url, {
      method: 'POST',
      path: '/agent/send',
      headers: {
        cookie: agent.cookie,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'text/html',
      },
      body: new URLSearchParams({
        csrf: agent.csrf,
        contact: 'typed',
        channel: 'email',
        destination: 'nope',
      }).toString(),
    });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('not a valid email address');
    expect(await snapshot()).toEqual(before);
  });
});
