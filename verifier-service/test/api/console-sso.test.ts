// Console single sign-on through OpenID Connect (SECURITY.md S18, S14) against a local oidc-provider: groups map to
// roles; no mapped group, a tampered state, a wrong nonce or issuer → refused, never a session; console.login
// audited with via "sso"; the callback answers a page of ours linking to next (not a 303).
import { Browser } from '../browser-client';
import { build, freePort, type TestApp } from '../helper';
import { signInAtProvider, startOidcProvider, type OidcFixture } from '../console/oidc-provider';
import { ssoCookieName } from '../../src/services/console-sso';

let t: TestApp;
let idp: OidcFixture;

beforeAll(async () => {
  const port = await freePort();
  idp = await startOidcProvider({
    redirectUris: [`http://127.0.0.1:${port}/console/sso/dev/callback`],
    users: {
      ada: { name: 'Ada Admin', username: 'ada', claims: { groups: ['imper-admins', 'everyone'] } },
      otto: { name: 'Otto Operator', username: 'otto', claims: { groups: ['helpdesk-sec'] } },
      nora: { name: 'Nora Nobody', username: 'nora', claims: { groups: ['everyone'] } },
    },
  });
  t = await build({
    port,
    tenant: {
      console: {
        sso: {
          issuer: idp.issuer,
          clientId: idp.clientId,
          clientSecret: idp.clientSecret,
          roleMap: { admin: ['imper-admins'], operator: ['helpdesk-sec'], auditor: ['it-audit'] },
        },
      },
    },
  });
});
afterAll(async () => {
  await t?.close();
  await idp?.close();
});

async function startAt(b: Browser, next = '/console/dashboard') {
  const res = await b.get(`${t.url}/console/sso/dev/start?next=${encodeURIComponent(next)}`);
  expect(res.status).toBe(303);
  const auth = new URL(res.location!);
  expect(auth.origin).toBe(idp.issuer);
  expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
  expect(auth.searchParams.get('state')).toBeTruthy();
  expect(auth.searchParams.get('nonce')).toBeTruthy();
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${ssoCookieName(t.config)}=`))!;
  expect(cookie).toMatch(/HttpOnly/i);
  expect(cookie).toMatch(/SameSite=Lax/i);
  return res.location!;
}

/** The callback's own page (not a redirect: SameSite=Strict, see routes/console-sso): where its link goes. */
function continueHref(html: string): string {
  const m = /<a class="button-link" id="sso-continue" href="([^"]+)"/.exec(html);
  if (!m) throw new Error(`no continue link on the callback page: ${html.slice(0, 300)}`);
  return m[1]!.replace(/&amp;/g, '&');
}

const sessions = () => t.db.db.selectFrom('console_sessions').selectAll().execute();

describe('console SSO (S18)', () => {
  it('the sign-in page offers Sign in with SSO, carrying next', async () => {
    const page = await new Browser().get(`${t.url}/console/login?next=%2Fconsole%2Faudit`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(
      '<a class="button-link" href="/console/sso/dev/start?next=%2Fconsole%2Faudit">Sign in with SSO</a>',
    );
  });

  it('a user in the admin group signs in as admin and lands on next; console.login via sso is audited', async () => {
    const b = new Browser();
    const callback = await signInAtProvider(b, await startAt(b), 'ada');
    const done = await b.get(callback);
    expect(done.status).toBe(200);
    expect(done.headers.get('cache-control')).toBe('no-store');
    expect(continueHref(done.text)).toBe('/console/dashboard');
    expect((await b.get(`${t.url}/console/dashboard`)).status).toBe(200);
    const me = await b.get(`${t.url}/console/api/dashboard`);
    expect(me.status).toBe(200);
    const user = await t.db.db
      .selectFrom('console_users')
      .selectAll()
      .where('username', '=', 'ada')
      .executeTakeFirstOrThrow();
    expect(user.roles).toEqual(['admin']);
    const audit = await t.db.db
      .selectFrom('audit_events')
      .selectAll()
      .where('type', '=', 'console.login')
      .execute();
    expect(audit.some((e) => (e.data as unknown as { via: string; username: string }).via === 'sso')).toBe(
      true,
    );
  });

  it('the operator group gives operator (the audit log is not theirs)', async () => {
    const b = new Browser();
    const done = await b.get(await signInAtProvider(b, await startAt(b, '/console/audit'), 'otto'));
    expect(done.status).toBe(200);
    const user = await t.db.db
      .selectFrom('console_users')
      .selectAll()
      .where('username', '=', 'otto')
      .executeTakeFirstOrThrow();
    expect(user.roles).toEqual(['operator']);
    expect((await b.get(`${t.url}/console/api/audit`)).status).toBe(403);
    expect((await b.get(`${t.url}/console/api/dashboard`)).status).toBe(200);
  });

  it('no mapped group: the 403 page, no session, a refusal in the audit log', async () => {
    const before = (await sessions()).length;
    const b = new Browser();
    const done = await b.get(await signInAtProvider(b, await startAt(b), 'nora'));
    expect(done.status).toBe(403);
    expect(done.text).toContain('Your account has no role in the imper.ai console; ask your administrator');
    expect((await sessions()).length).toBe(before);
    expect((await b.get(`${t.url}/console/api/dashboard`)).status).toBe(401);
    const refused = await t.db.db
      .selectFrom('audit_events')
      .select('type')
      .where('type', '=', 'console.login_refused')
      .execute();
    expect(refused.length).toBeGreaterThan(0);
  });

  it('a tampered state is refused', async () => {
    const before = (await sessions()).length;
    const b = new Browser();
    const callback = new URL(await signInAtProvider(b, await startAt(b), 'ada'));
    callback.searchParams.set('state', `${callback.searchParams.get('state')}x`);
    const done = await b.get(callback.toString());
    expect(done.status).toBe(400);
    expect(done.text).toContain('data-code="CONSOLE_SSO_FAILED"');
    expect((await sessions()).length).toBe(before);
  });

  it('a wrong issuer in the answer is refused', async () => {
    const b = new Browser();
    const callback = new URL(await signInAtProvider(b, await startAt(b), 'ada'));
    expect(callback.searchParams.get('iss')).toBe(idp.issuer);
    callback.searchParams.set('iss', 'http://127.0.0.1:1/evil');
    expect((await b.get(callback.toString())).status).toBe(400);
  });

  it('a wrong nonce (a flow cookie with another nonce) is refused', async () => {
    const b = new Browser();
    const callback = await signInAtProvider(b, await startAt(b), 'ada');
    // Forge the sealed flow cookie with the service's own key but a different nonce: the ID token's nonce differs.
    const name = ssoCookieName(t.config);
    const jar = (b as unknown as { jar: Map<string, Map<string, string>> }).jar.get(new URL(t.url).origin)!;
    const flow = JSON.parse(t.deps.sealer.open(decodeURIComponent(jar.get(name)!)));
    jar.set(name, encodeURIComponent(t.deps.sealer.seal(JSON.stringify({ ...flow, n: 'another-nonce' }))));
    const done = await b.get(callback);
    expect(done.status).toBe(400);
    expect((await b.get(`${t.url}/console/api/dashboard`)).status).toBe(401);
  });

  it('no flow cookie (another browser) is refused; an unknown tenant is 404', async () => {
    const b = new Browser();
    const callback = await signInAtProvider(b, await startAt(b), 'ada');
    expect((await new Browser().get(callback)).status).toBe(400);
    expect((await b.get(`${t.url}/console/sso/nope/start`)).status).toBe(404);
  });

  it('next outside the console is ignored', async () => {
    const b = new Browser();
    const done = await b.get(
      await signInAtProvider(b, await startAt(b, 'https://evil.example/console'), 'ada'),
    );
    expect(continueHref(done.text)).toBe('/console');
  });
});
