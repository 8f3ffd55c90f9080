// Console test helpers (F8): users created directly through the service, and a cookie-jar browser signed in through
// the real sign-in form. Other console tests (the Verifications table, SSO, audit log) build on these.
//
//   const admin = await consoleUser(t, 'admin');
//   const b = await consoleSignIn(t, admin);          // b.csrf: the session's anti-CSRF value for POSTs
//   await b.get(`${t.url}/console/api/…`);
import type { ConsoleRole } from '@imper/shared';
import { Browser, hiddenField } from './browser-client';
import type { TestApp } from './helper';
import { createConsoleUser, enableConsoleTotp, totpCodeAt } from '../src/services/console-auth';

export interface TestConsoleUser {
  id: string;
  tenantId: string;
  username: string;
  password: string;
  /** base32; set when the user was created with `totp: true` */
  totpSecret?: string;
}

/** A browser with a console session; `csrf` goes in `x-csrf-token` (or the form field `csrf`) of every POST. */
export class ConsoleBrowser extends Browser {
  csrf = '';
  constructor() {
    super();
    // Each browser its own client address (the test app trusts loopback's X-Forwarded-For), so the per-IP sign-in
    // limit (S16) counts per simulated person, not per test file.
    this.identity = { 'x-forwarded-for': randomClientIp() };
  }
  /** POST with the anti-CSRF header (JSON body, or none). */
  post(url: string, json?: unknown, headers: Record<string, string> = {}) {
    return this.request(url, {
      method: 'POST',
      ...(json !== undefined ? { json } : {}),
      headers: { 'x-csrf-token': this.csrf, ...headers },
    });
  }
}

let seq = 0;

/** An address from TEST-NET-2 (198.51.100.0/24) and around, different for every call in a run. */
let ipSeq = 0;
export const randomClientIp = () => `198.51.${100 + ((++ipSeq >> 8) % 20)}.${ipSeq % 256}`;

/** Creates a console user of the test app (the tenant's first unless told), through the service itself. */
export async function consoleUser(
  t: TestApp,
  roles: ConsoleRole | ConsoleRole[],
  opts: { tenantId?: string; totp?: boolean; password?: string; username?: string; name?: string } = {},
): Promise<TestConsoleUser> {
  const list = Array.isArray(roles) ? roles : [roles];
  const tenantId = opts.tenantId ?? t.deps.tenants.all()[0]!.id;
  const username = opts.username ?? `${list.join('-')}.${++seq}.${Math.random().toString(36).slice(2, 8)}`;
  const { user, password } = await createConsoleUser(t.deps, {
    tenantId,
    username,
    name: opts.name ?? `Test ${list.join(' ')} ${seq}`,
    roles: list,
    ...(opts.password !== undefined ? { password: opts.password } : {}),
    actor: 'test',
  });
  t.issuedSecrets.add(password);
  const out: TestConsoleUser = { id: user.id, tenantId, username, password };
  if (opts.totp) {
    const { secret } = await enableConsoleTotp(t.deps, { userId: user.id, actor: 'test' });
    t.issuedSecrets.add(secret);
    out.totpSecret = secret;
  }
  return out;
}

const lastStep = new Map<string, number>();

/**
 * The user's current authenticator code. A code is accepted once per 30-second step, so when this user already
 * used the current step the test app's clock is moved to the next one (the default clock can).
 */
export function totpCode(t: TestApp, user: TestConsoleUser): string {
  if (!user.totpSecret) throw new Error(`${user.username} has no TOTP`);
  let step = Math.floor(t.clock.now().getTime() / 30_000);
  if (lastStep.get(user.id) !== undefined && lastStep.get(user.id)! >= step) {
    if (!t.clock.advance) throw new Error('the test clock cannot move to the next TOTP step');
    t.clock.advance((lastStep.get(user.id)! + 1 - step) * 30_000);
    step = Math.floor(t.clock.now().getTime() / 30_000);
  }
  lastStep.set(user.id, step);
  return totpCodeAt(user.totpSecret, t.clock.now());
}

/** Signs in through POST /console/login (303 expected) and returns the browser holding the session. */
export async function consoleSignIn(
  t: TestApp,
  user: TestConsoleUser,
  opts: { browser?: ConsoleBrowser; tenant?: string } = {},
): Promise<ConsoleBrowser> {
  const b = opts.browser ?? new ConsoleBrowser();
  const form: Record<string, string> = { username: user.username, password: user.password, next: '/console' };
  if (user.totpSecret) form.totp = totpCode(t, user);
  if (opts.tenant) form.tenant = opts.tenant;
  const res = await b.request(`${t.url}/console/login`, { form });
  if (res.status !== 303) throw new Error(`console sign-in of ${user.username} answered ${res.status}`);
  // The session's anti-CSRF value, as every console page carries it (the sign-out form).
  const page = await b.get(`${t.url}/console`);
  if (page.status !== 200) throw new Error(`GET /console after sign-in answered ${page.status}`);
  b.csrf = hiddenField(page.text, 'csrf');
  return b;
}
