// F7 API start over HTTP against the real database, worker and ServiceNow stand-in: per-tenant API keys as bearer
// tokens, POST/GET /api/v1/verifications, the link to the contact on file, the ticket for the record, and the
// signed webhook (Standard Webhooks) when the verification ends.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { build, type TestApp } from '../helper';
import { messageTo, ticketsWithContacts, type TicketRef } from '../flows';
import { verifyAsGenuine } from '../requester';
import { createApiKey, revokeApiKey, type CreatedApiKey } from '../../src/services/api-keys';
import { apiKeyCommand } from '../../src/services/api-keys-command';
import { hashApiKey } from '../../src/domain/api-key';
import { applyEvent } from '../../src/services/lifecycle';
import type { ApiKeyScope } from '../../src/domain/api-key';

let t: TestApp;
let tenantId: string;
let callers: TicketRef['caller'][];
const seen = new Set<string>();
const BOTH: ApiKeyScope[] = ['verifications:write', 'verifications:read'];

beforeAll(async () => {
  t = await build({ env: { RATE_LIMIT_PER_API_KEY_PER_MINUTE: '25' } });
  await t.startWorker();
  tenantId = t.deps.tenants.all()[0]!.id;
  callers = ticketsWithContacts(t, 12).map((tk) => tk.caller);
});
afterAll(() => t.close());

async function newKey(o: { scopes?: ApiKeyScope[]; webhookUrl?: string; name?: string } = {}) {
  const k = await createApiKey(t.deps, {
    tenantId,
    name: o.name ?? 'IVR',
    scopes: o.scopes ?? BOTH,
    ...(o.webhookUrl ? { webhookUrl: o.webhookUrl } : {}),
  });
  t.issuedSecrets.add(k.key);
  if (k.webhookSecret) t.issuedSecrets.add(k.webhookSecret);
  return k;
}

function api(
  key: string | null,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  return fetch(`${t.url}${path}`, {
    method,
    headers: {
      ...(key !== null ? { authorization: `Bearer ${key}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
}

const start = (key: string | null, body: unknown) => api(key, 'POST', '/api/v1/verifications', body);
const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;
const userName = (sysId: string) => String(t.standin.store.get('sys_user', sysId)!.user_name);

let nextCaller = 0;
const freshCaller = () => callers[nextCaller++]!;

describe('F7 API start: keys', () => {
  it('S1: only the SHA-256 of the key and the sealed webhook secret are stored', async () => {
    const k = await newKey({ webhookUrl: 'http://127.0.0.1:9/hook' });
    const row = await t.db.db
      .selectFrom('api_keys')
      .selectAll()
      .where('id', '=', k.apiKey.id)
      .executeTakeFirstOrThrow();
    expect(row.key_hash.equals(hashApiKey(k.key))).toBe(true);
    expect(row.prefix).toBe(k.key.slice(0, 14));
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(k.key.slice(15));
    expect(stored).not.toContain(k.webhookSecret!.slice(6));
    expect(t.deps.sealer.open(row.webhook_secret_sealed!)).toBe(k.webhookSecret);
    const audit = await t.db.db
      .selectFrom('audit_events')
      .select(['type', 'data'])
      .where('type', '=', 'api_key.created')
      .execute();
    expect(audit.some((a) => (a.data as { keyId?: string }).keyId === k.apiKey.id)).toBe(true);
    expect(JSON.stringify(audit)).not.toContain(k.key);
  });

  it('refuses a webhook URL that is not https (http only to localhost outside production)', async () => {
    await expect(
      createApiKey(t.deps, { tenantId, name: 'x', scopes: BOTH, webhookUrl: 'http://ivr.example.com/h' }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(
      createApiKey(
        { ...t.deps, config: { env: 'production' } },
        { tenantId, name: 'x', scopes: BOTH, webhookUrl: 'http://127.0.0.1:9/h' },
      ),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('installs a given key as it is (the demo key), prefix = its first 14 characters', async () => {
    const given = `demo-${'k'.repeat(40)}`;
    const k = await createApiKey(t.deps, { tenantId, name: 'demo', scopes: BOTH, key: given });
    expect(k.key).toBe(given);
    expect(k.apiKey.prefix).toBe(given.slice(0, 14));
    const res = await api(given, 'GET', '/api/v1/verifications/VRF-222222');
    expect(res.status).toBe(404); // authenticated: the verification just does not exist
    await expect(
      createApiKey(t.deps, { tenantId, name: 'short', scopes: BOTH, key: 'too-short' }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('F7 API start: authentication and scopes', () => {
  it('no key, a wrong key or a malformed header → 401 API_KEY_INVALID with WWW-Authenticate: Bearer', async () => {
    const body = { user: 'abel.tuter', channel: 'email', action: 'none' };
    for (const res of [
      await start(null, body),
      await start(`ivk_aaaaaaaaaa_${'A'.repeat(43)}`, body),
      await api(null, 'POST', '/api/v1/verifications', body, { authorization: 'Basic YWJjOmRlZg==' }),
      await api(null, 'GET', '/api/v1/verifications/VRF-222222'),
    ]) {
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await errorCode(res)).toBe('API_KEY_INVALID');
    }
  });

  it('a revoked key → 401; revoking is audited', async () => {
    const k = await newKey();
    expect((await api(k.key, 'GET', '/api/v1/verifications/VRF-222222')).status).toBe(404);
    await revokeApiKey(t.deps, { prefix: k.apiKey.prefix });
    const res = await api(k.key, 'GET', '/api/v1/verifications/VRF-222222');
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe('API_KEY_INVALID');
    const audit = await t.db.db
      .selectFrom('audit_events')
      .select('data')
      .where('type', '=', 'api_key.revoked')
      .execute();
    expect(audit.some((a) => (a.data as { keyId?: string }).keyId === k.apiKey.id)).toBe(true);
  });

  it('a read-only key cannot start (403 API_KEY_SCOPE); a write-only key cannot read', async () => {
    const ro = await newKey({ scopes: ['verifications:read'] });
    const res = await start(ro.key, { user: 'abel.tuter', channel: 'email', action: 'none' });
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe('API_KEY_SCOPE');
    const wo = await newKey({ scopes: ['verifications:write'] });
    const read = await api(wo.key, 'GET', '/api/v1/verifications/VRF-222222');
    expect(read.status).toBe(403);
    expect(await errorCode(read)).toBe('API_KEY_SCOPE');
  });

  it('S16: each key has its own rate limit → 429 RATE_LIMITED with Retry-After', async () => {
    const k = await newKey();
    const other = await newKey();
    let limited: Response | undefined;
    for (let i = 0; i < 30 && !limited; i++) {
      const res = await api(k.key, 'GET', '/api/v1/verifications/VRF-222222');
      if (res.status === 429) limited = res;
      else expect(res.status).toBe(404);
    }
    expect(limited).toBeDefined();
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await errorCode(limited!)).toBe('RATE_LIMITED');
    expect((await api(other.key, 'GET', '/api/v1/verifications/VRF-222222')).status).toBe(404);
  });

  it('the last use is recorded (at most once a minute)', async () => {
    const k = await newKey();
    await api(k.key, 'GET', '/api/v1/verifications/VRF-222222');
    const row = await t.db.db
      .selectFrom('api_keys')
      .select('last_used_at')
      .where('id', '=', k.apiKey.id)
      .executeTakeFirstOrThrow();
    expect(row.last_used_at).not.toBeNull();
  });
});

describe('F7 API start: POST and GET /api/v1/verifications', () => {
  let key: CreatedApiKey;
  beforeAll(async () => {
    key = await newKey({ name: 'Phone IVR' });
  });

  it('S22: bad bodies → 400 with a stable code (no 5xx), and nothing is started', async () => {
    const before = await t.db.db
      .selectFrom('verifications')
      .select((e) => e.fn.countAll().as('n'))
      .execute();
    const user = 'abel.tuter';
    for (const body of [
      {},
      { user, channel: 'email' },
      { user, channel: 'fax', action: 'none' },
      { user, channel: 'email', action: 'format_disk' },
      { user: '', channel: 'email', action: 'none' },
      { user: 'x'.repeat(255), channel: 'email', action: 'none' },
      { user: 'abel\ntuter', channel: 'email', action: 'none' },
      { user, channel: 'email', action: 'none', reason: 'r'.repeat(501) },
      [1, 2],
    ]) {
      const res = await start(key.key, body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(await errorCode(res)).toBe('VALIDATION_FAILED');
    }
    const notJson = await start(key.key, '{"user":');
    expect(notJson.status).toBe(400);
    expect(await errorCode(notJson)).toBe('BAD_REQUEST');
    const form = await api(key.key, 'POST', '/api/v1/verifications', undefined, {
      'content-type': 'text/plain',
    });
    expect(form.status).toBeGreaterThanOrEqual(400);
    expect(form.status).toBeLessThan(500);
    const badId = await api(key.key, 'GET', '/api/v1/verifications/not-an-id');
    expect(badId.status).toBe(400);
    const after = await t.db.db
      .selectFrom('verifications')
      .select((e) => e.fn.countAll().as('n'))
      .execute();
    expect(after).toEqual(before);
  });

  it('an unknown account → 404 ACCOUNT_NOT_FOUND; an action no policy offers → 422 ACTION_NOT_OFFERED', async () => {
    const unknown = await start(key.key, { user: 'nobody.here', channel: 'email', action: 'none' });
    expect(unknown.status).toBe(404);
    expect(await errorCode(unknown)).toBe('ACCOUNT_NOT_FOUND');
    const c = freshCaller();
    const mfa = await start(key.key, { user: userName(c.sys_id), channel: 'email', action: 'mfa_reset' });
    expect(mfa.status).toBe(422);
    expect(await errorCode(mfa)).toBe('ACTION_NOT_OFFERED');
  });

  it('S9: 201 with the public ID; the link goes to the contact on file; a ticket exists for the record with the caller and correlation_id; GET tells the status', async () => {
    const c = freshCaller();
    const res = await start(key.key, {
      user: c.email,
      channel: 'email',
      action: 'password_reset',
      reason: 'Caller locked out, verified by IVR menu',
      // Unknown fields are stripped by the schema: the caller cannot name where the link goes.
      destination: 'attacker@example.net',
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Record<string, string>;
    expect(body).toMatchObject({
      publicId: expect.stringMatching(/^VRF-[2-9A-HJ-NP-Z]{6}$/),
      status: expect.stringMatching(/^(sending|sent)$/),
      channel: 'email',
      ticket: expect.stringMatching(/^INC/),
      destinationMasked: expect.any(String),
      expiresAt: expect.any(String),
    });
    expect(body.destinationMasked).not.toBe(c.email);
    expect(res.headers.get('location')).toBe(`/api/v1/verifications/${body.publicId}`);

    const message = await messageTo(t, c.email, seen, '/v/');
    expect(message.link).toContain(`${t.url}/v/`);
    const all = (await fetch(`${t.url}/dev/messages`).then((r) => r.json())) as Array<{ to: string }>;
    expect(all.some((m) => m.to.includes('attacker'))).toBe(false);

    const ticket = t.standin.store.query('incident', `correlation_id=${body.publicId}`);
    expect(ticket).toHaveLength(1);
    expect(ticket[0]).toMatchObject({ caller_id: c.sys_id, number: body.ticket, category: 'password_reset' });
    expect(String(ticket[0]!.description)).toContain('Caller locked out, verified by IVR menu');

    const row = await t.db.db
      .selectFrom('verifications')
      .select(['initiated_by', 'api_key_id'])
      .where('public_id', '=', body.publicId!)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ initiated_by: 'api', api_key_id: key.apiKey.id });

    const status = await api(key.key, 'GET', `/api/v1/verifications/${body.publicId}`);
    expect(status.status).toBe(200);
    const view = (await status.json()) as Record<string, unknown>;
    expect(view).toMatchObject({
      publicId: body.publicId,
      status: 'sent',
      action: 'password_reset',
      actionStatus: 'not_started',
      ticket: body.ticket,
    });
    expect(view.outcome).toBeUndefined();
    expect(view.riskLevel).toBeUndefined();

    // A second start for the same account while this one runs → 409 naming it; nothing new is sent.
    const again = await start(key.key, { user: userName(c.sys_id), channel: 'sms', action: 'none' });
    expect(again.status).toBe(409);
    const err = (await again.json()) as { error: { code: string; publicId: string } };
    expect(err.error).toMatchObject({ code: 'VERIFICATION_ALREADY_ACTIVE', publicId: body.publicId });
  });

  it('GET sees only API starts: an agent-initiated or unknown verification → 404 VERIFICATION_NOT_FOUND', async () => {
    const agentRow = await t.db.db
      .selectFrom('verifications')
      .select('public_id')
      .where('initiated_by', '=', 'agent')
      .executeTakeFirst();
    for (const id of [agentRow?.public_id, 'VRF-222222'].filter(Boolean)) {
      const res = await api(key.key, 'GET', `/api/v1/verifications/${id}`);
      expect(res.status).toBe(404);
      expect(await errorCode(res)).toBe('VERIFICATION_NOT_FOUND');
    }
  });
});

interface Received {
  body: string;
  headers: Record<string, string>;
}

/** A local webhook receiver: answers `statuses` in turn (then 200), records every request. */
async function receiver(statuses: number[] = []) {
  const got: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({
        body: Buffer.concat(chunks).toString('utf8'),
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
      });
      res.statusCode = statuses.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hooks/imper?token=receiver-query-secret`,
    got,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

async function until<T>(f: () => T | undefined | Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('F7 API start: the signed webhook', () => {
  it('after the requester passes, the webhook arrives signed (standardwebhooks verifies it, a tampered body fails); a 500 is retried with the same webhook-id', async () => {
    const hook = await receiver([500]);
    try {
      const k = await newKey({ webhookUrl: hook.url, name: 'IVR with webhook' });
      const c = freshCaller();
      const res = await start(k.key, { user: userName(c.sys_id), channel: 'email', action: 'none' });
      expect(res.status).toBe(201);
      const { publicId } = (await res.json()) as { publicId: string };
      const message = await messageTo(t, c.email, seen, '/v/');
      await verifyAsGenuine(t, null, message.link, c.sys_id);

      const [first, second] = await until(() => (hook.got.length >= 2 ? hook.got : undefined), 30_000);
      const wh = new Webhook(k.webhookSecret!);
      for (const r of [first!, second!]) {
        const event = wh.verify(r.body, r.headers) as { type: string; data: Record<string, unknown> };
        expect(event.type).toBe('verification.completed');
        expect(event.data).toMatchObject({ publicId, status: 'passed', outcome: 'passed', action: 'none' });
      }
      expect(second!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
      const tampered = second!.body.replace('"passed"', '"failed"');
      expect(() => wh.verify(tampered, second!.headers)).toThrow();
      expect(() =>
        new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`).verify(second!.body, second!.headers),
      ).toThrow();

      const delivered = await until(async () => {
        const rows = await t.db.db
          .selectFrom('audit_events')
          .select('data')
          .where('type', '=', 'webhook.delivered')
          .execute();
        return rows.find((r) => (r.data as { msgId?: string }).msgId === first!.headers['webhook-id']);
      });
      expect((delivered.data as { url: string }).url).toBe(hook.url.split('?')[0]);

      const status = (await (await api(k.key, 'GET', `/api/v1/verifications/${publicId}`)).json()) as Record<
        string,
        unknown
      >;
      expect(status).toMatchObject({ status: 'passed', outcome: 'passed', riskLevel: 'verified' });
      expect(status.completedAt).toEqual(expect.any(String));
    } finally {
      await hook.close();
    }
  }, 60_000);

  it('a 4xx other than 408/429 is not retried: webhook.failed is audited once', async () => {
    const hook = await receiver([410, 410, 410]);
    try {
      const k = await newKey({ webhookUrl: hook.url, name: 'gone' });
      const c = freshCaller();
      const res = await start(k.key, { user: userName(c.sys_id), channel: 'email', action: 'none' });
      const { publicId } = (await res.json()) as { publicId: string };
      // The verification ends without the requester: canceled through the lifecycle (as the agent would).
      const v = await t.db.db
        .selectFrom('verifications')
        .select('id')
        .where('public_id', '=', publicId)
        .executeTakeFirstOrThrow();
      await t.db.db
        .transaction()
        .execute((trx) => applyEvent(trx, t.deps, v, 'canceled', { agent: 'beth.anglin' }));
      const failed = await until(async () =>
        (
          await t.db.db
            .selectFrom('audit_events')
            .select('data')
            .where('type', '=', 'webhook.failed')
            .execute()
        ).find((r) => (r.data as { msgId?: string }).msgId?.includes(publicId)),
      );
      expect(failed.data).toMatchObject({ status: 410, attempts: 1 });
      await new Promise((r) => setTimeout(r, 4000)); // longer than the first retry's backoff
      expect(hook.got).toHaveLength(1);
      expect(JSON.parse(hook.got[0]!.body)).toMatchObject({
        type: 'verification.completed',
        data: { publicId, status: 'canceled' },
      });
    } finally {
      await hook.close();
    }
  }, 30_000);
});

describe('F7 API start: npm run api-key', () => {
  it('create prints the key and the webhook secret once; list shows prefixes, never secrets; revoke stops the key', async () => {
    const out: string[] = [];
    const io = { log: (l: string) => out.push(l), error: (l: string) => out.push(`ERR ${l}`) };
    expect(
      await apiKeyCommand(
        ['create', '--tenant', 'dev', '--name', 'CLI key', '--webhook-url', 'https://ivr.example.com/h'],
        t.deps,
        io,
      ),
    ).toBe(0);
    const key = /key: +(\S+)/.exec(out.join('\n'))![1]!;
    const secret = /webhook secret: +(\S+)/.exec(out.join('\n'))![1]!;
    t.issuedSecrets.add(key);
    t.issuedSecrets.add(secret);
    expect(out.join('\n')).toMatch(/not shown again/);
    expect(secret).toMatch(/^whsec_/);
    expect((await api(key, 'GET', '/api/v1/verifications/VRF-222222')).status).toBe(404);

    out.length = 0;
    expect(await apiKeyCommand(['list', '--tenant', 'dev'], t.deps, io)).toBe(0);
    const listed = out.join('\n');
    expect(listed).toContain(key.slice(0, 14));
    expect(listed).toContain('"CLI key"');
    expect(listed).not.toContain(key);
    expect(listed).not.toContain(secret);

    out.length = 0;
    expect(await apiKeyCommand(['revoke', key.slice(0, 14)], t.deps, io)).toBe(0);
    expect((await api(key, 'GET', '/api/v1/verifications/VRF-222222')).status).toBe(401);

    out.length = 0;
    expect(await apiKeyCommand(['create', '--tenant', 'nope', '--name', 'x'], t.deps, io)).toBe(1);
    expect(
      await apiKeyCommand(['create', '--tenant', 'dev', '--name', 'x', '--scopes', 'admin'], t.deps, io),
    ).toBe(1);
    expect(await apiKeyCommand(['frobnicate'], t.deps, io)).toBe(2);
  });
});

describe('S20: logs', () => {
  it('S20: no API key, webhook secret or webhook query string in the logs', () => {
    const logs = t.logs.join('');
    for (const s of t.issuedSecrets) expect(logs).not.toContain(s);
    expect(logs).not.toContain('receiver-query-secret');
  });
});
