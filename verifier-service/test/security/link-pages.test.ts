// Issue 8, smaller findings on the requester's link and the agent's routes:
// - error pages and error JSON are never cached (Cache-Control: no-store), like the pages they stand in for;
// - Start without a form body gets the CSRF refusal page (S7), not "body must be object";
// - a GET or HEAD of the link (a mail scanner, a link preview) shows on the agent's timeline as "link fetched"; "link
//   opened" is recorded only when the page's script reports it (with the page's anti-CSRF value) or Start is pressed.
import { createHash } from 'node:crypto';
import { build, type TestApp } from '../helper';
import { Browser, hiddenField } from '../browser-client';
import { freshLink, open, start, ticketsWithContacts, ticketView, type TicketRef } from '../flows';
import { rawRequest } from '../api/support';
import { GENEROUS_LIMITS } from './support';

jest.setTimeout(30_000);

let t: TestApp;
let tickets: TicketRef[];
const seen = new Set<string>();
beforeAll(async () => {
  t = await build({ env: { ...GENEROUS_LIMITS, LOG_LEVEL: 'warn' } });
  await t.startWorker({ pollInterval: 50 });
  tickets = ticketsWithContacts(t, 6);
});
afterAll(() => t.close());

const linkRow = (token: string) =>
  t.db.db
    .selectFrom('verification_links')
    .selectAll()
    .where('token_hash', '=', createHash('sha256').update(token).digest())
    .executeTakeFirstOrThrow();
const auditTypes = async (publicId: string) =>
  (
    await t.db.db
      .selectFrom('audit_events')
      .innerJoin('verifications', 'verifications.id', 'audit_events.verification_id')
      .select('audit_events.type')
      .where('verifications.public_id', '=', publicId)
      .orderBy('audit_events.id')
      .execute()
  ).map((r) => r.type);
const detailsEvents = async (agent: Browser, publicId: string) =>
  [
    ...(await agent.get(`${t.url}/console/verifications/${publicId}`)).text.matchAll(
      /<li data-event="([a-zA-Z]+)"><span class="step-label">([^<]+)<\/span>/g,
    ),
  ].map((m) => [m[1]!, m[2]!] as const);

describe('issue 8: error answers on link and agent routes are not cached', () => {
  it('issue 8: every error page and error JSON on link and agent routes carries Cache-Control: no-store', async () => {
    const { agent, link, token } = await freshLink(t, tickets[0]!, { seen });
    const phone = new Browser();
    expect((await start(phone, link, await open(phone, link))).status).toBe(303);
    const unknown = `${'A'.repeat(42)}B`;
    const answers: Array<[string, { status: number; headers: Headers }]> = [
      ['unknown link', await phone.get(`${t.url}/v/${unknown}`)],
      ['malformed link', await phone.get(`${t.url}/v/short`)],
      ['used link', await phone.get(link)],
      ['Start on a used link', await start(phone, link, 'x')],
      ['result without session', await new Browser().get(`${t.url}/v/result`)],
      ['no such route under /v', await phone.get(`${t.url}/v/${token}/nope`)],
      ['agent page without session', await new Browser().get(`${t.url}/agent`)],
      [
        'agent API without session',
        await new Browser().get(`${t.url}/agent/api/ticket`, { accept: 'application/json' }),
      ],
      [
        'unknown verification',
        await agent.get(`${t.url}/agent/api/verifications/VRF-ABCDEF`, { accept: 'application/json' }),
      ],
      ['bad launch token', await new Browser().get(`${t.url}/agent/launch?token=not-a-jwt-at-all`)],
      ['launch without token', await new Browser().get(`${t.url}/agent/launch`)],
      [
        'agent API, CSRF missing',
        await agent.request(`${t.url}/agent/api/verifications`, {
          json: { channel: 'email', contactKey: 'email' },
          headers: { accept: 'application/json' },
        }),
      ],
    ];
    const raw = await rawRequest(t.url, { method: 'GET', path: `/v/%zz` });
    answers.push(['undecodable path', { status: raw.status, headers: new Headers(raw.headers as never) }]);
    for (const [what, res] of answers) {
      expect({ what, status: res.status >= 400 }).toEqual({ what, status: true });
      expect({ what, cacheControl: res.headers.get('cache-control') }).toEqual({
        what,
        cacheControl: 'no-store',
      });
    }
  });
});

describe('issue 8: Start without a form body gets the CSRF refusal (S7)', () => {
  it('issue 8: Start with no body, or a body that is not a form, answers 403 with the CSRF page and leaves the link usable', async () => {
    const { link, token } = await freshLink(t, tickets[1]!, { seen });
    const phone = new Browser();
    const csrf = await open(phone, link);
    const bodies: Array<{ type?: string; body?: string }> = [
      {},
      { type: 'application/x-www-form-urlencoded' },
      { type: 'application/x-www-form-urlencoded', body: '' },
      { type: 'application/json', body: JSON.stringify({ csrf }) },
      { type: 'application/json', body: 'null' },
      { type: 'application/json', body: '[]' },
      { type: 'text/plain', body: `csrf=${csrf}` },
      {
        type: 'multipart/form-data; boundary=x',
        body: `--x\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${csrf}\r\n--x--`,
      },
      { type: 'application/xml', body: '<csrf/>' },
      { body: `csrf=${csrf}` },
    ];
    for (const b of bodies) {
      const res = await fetch(`${link}/start`, {
        method: 'POST',
        headers: {
          accept: 'text/html',
          cookie: (await phoneCookie(phone, link)) ?? '',
          ...(b.type ? { 'content-type': b.type } : {}),
        },
        ...(b.body !== undefined ? { body: b.body } : {}),
        redirect: 'manual',
      });
      const text = await res.text();
      expect({ b, status: res.status }).toEqual({ b, status: 403 });
      expect(text).toContain('data-code="CSRF_FAILED"');
      expect(text).toContain('Please try again');
    }
    expect((await linkRow(token)).used_at).toBeNull();
    expect((await start(phone, link, csrf)).status).toBe(303);
  });
});

/** The cookie header the test browser would send to the link's origin. */
async function phoneCookie(phone: Browser, link: string): Promise<string | undefined> {
  const jar = (phone as unknown as { jar: Map<string, Map<string, string>> }).jar.get(new URL(link).origin);
  return jar ? [...jar].map(([k, v]) => `${k}=${v}`).join('; ') : undefined;
}

describe('issue 8: a prefetch is "link fetched", not "link opened"', () => {
  it('issue 8: GET and HEAD of the link show as "link fetched" on the agent\'s timeline, never as opened', async () => {
    const { agent, link, token, publicId } = await freshLink(t, tickets[2]!, { seen });
    const scanner = new Browser();
    for (let i = 0; i < 3; i++) {
      expect((await scanner.get(link)).status).toBe(200);
      expect((await scanner.request(link, { method: 'HEAD' })).status).toBe(200);
    }
    expect((await linkRow(token)).opened_at).toBeNull();
    expect((await ticketView(t, agent)).verification).not.toHaveProperty('linkOpenedAt');
    const types = await auditTypes(publicId);
    expect(types.filter((x) => x === 'link.fetched')).toHaveLength(1); // once per link, however often
    expect(types).not.toContain('link.opened');
    const events = await detailsEvents(agent, publicId);
    expect(events).toContainEqual(['fetched', 'Link fetched (by a browser, mail scanner or link preview)']);
    expect(events.map(([k]) => k)).not.toContain('opened');
  });

  it('issue 8: the page\'s script reports the open with its anti-CSRF value; only then is the link "opened" (and still unused)', async () => {
    const { agent, link, token, publicId } = await freshLink(t, tickets[3]!, { seen });
    const phone = new Browser();
    const landing = await phone.get(link);
    expect(landing.text).toContain(`data-opened="/v/${token}/opened"`);
    const csrf = hiddenField(landing.text, 'csrf');

    // Without the value, or with one from another browser, nothing is recorded.
    expect((await phone.request(`${link}/opened`, { method: 'POST', form: {} })).status).toBe(403);
    expect(
      (await phone.request(`${link}/opened`, { method: 'POST', form: { csrf: 'x'.repeat(43) } })).status,
    ).toBe(403);
    expect((await new Browser().request(`${link}/opened`, { method: 'POST', form: { csrf } })).status).toBe(
      403,
    );
    expect((await linkRow(token)).opened_at).toBeNull();

    for (let i = 0; i < 3; i++) {
      const beacon = await phone.request(`${link}/opened`, { method: 'POST', form: { csrf } });
      expect(beacon.status).toBe(204);
      expect(beacon.headers.get('cache-control')).toBe('no-store');
    }
    const row = await linkRow(token);
    expect(row.opened_at).not.toBeNull();
    expect(row.used_at).toBeNull();
    expect((await ticketView(t, agent)).verification).toHaveProperty(
      'linkOpenedAt',
      row.opened_at!.toISOString(),
    );
    expect((await auditTypes(publicId)).filter((x) => x === 'link.opened')).toHaveLength(1);
    const events = await detailsEvents(agent, publicId);
    expect(events).toContainEqual(['opened', 'Requester opened the link']);

    // And Start still works once.
    expect((await start(phone, link, csrf)).status).toBe(303);
    expect((await auditTypes(publicId)).filter((x) => x === 'link.opened')).toHaveLength(1);
  });

  it('issue 8: pressing Start without the script records the open too, before the start', async () => {
    const { link, publicId } = await freshLink(t, tickets[4]!, { seen });
    const phone = new Browser();
    expect((await start(phone, link, await open(phone, link))).status).toBe(303);
    const types = await auditTypes(publicId);
    expect(types.filter((x) => x === 'link.opened')).toHaveLength(1);
    expect(types).toContain('link.fetched');
    expect(types.indexOf('link.fetched')).toBeLessThan(types.indexOf('link.opened'));
    expect(types.indexOf('link.opened')).toBeLessThan(types.indexOf('verification.started'));
  });
});
