// Starts the local OpenID Connect provider (oidc-provider-server.mjs, a child process) for console SSO tests, and
// walks its login and consent pages the way a person would, with the cookie-jar Browser.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Browser } from '../browser-client';

export interface FixtureUser {
  name: string;
  username?: string;
  /** Extra claims, e.g. `{ groups: ['imper-admins'] }` */
  claims?: Record<string, unknown>;
}

export interface OidcFixture {
  issuer: string;
  clientId: string;
  clientSecret: string;
  close(): Promise<void>;
}

export async function startOidcProvider(opts: {
  redirectUris: string[];
  users: Record<string, FixtureUser>;
  clientId?: string;
  /** The issuer's host name (default 127.0.0.1); `localhost` makes it another site than the service for a browser */
  host?: string;
}): Promise<OidcFixture> {
  const clientId = opts.clientId ?? `imper-console-${randomBytes(3).toString('hex')}`;
  const clientSecret = randomBytes(24).toString('base64url');
  const child: ChildProcess = spawn(process.execPath, [join(__dirname, 'oidc-provider-server.mjs')], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      OIDC_FIXTURE: JSON.stringify({
        clientId,
        clientSecret,
        redirectUris: opts.redirectUris,
        users: opts.users,
        cookieKey: randomBytes(16).toString('hex'),
        ...(opts.host ? { host: opts.host } : {}),
      }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  const issuer = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`OIDC provider did not start: ${stderr}`)), 15_000);
    child.stdout!.on('data', (d) => {
      out += String(d);
      const m = /ready (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`OIDC provider exited (${code}): ${stderr}`));
    });
  });
  return {
    issuer,
    clientId,
    clientSecret,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

const formAction = (html: string) => {
  const m = /<form[^>]*action="([^"]+)"/.exec(html);
  if (!m) throw new Error(`no form on the provider's page: ${html.slice(0, 300)}`);
  return m[1]!.replace(/&amp;/g, '&');
};

/**
 * Follows the sign-in from the provider's authorization URL: its login page (any password), its consent page, and
 * back to our callback. Returns the callback URL the provider redirected to (not yet requested).
 */
export async function signInAtProvider(browser: Browser, authorizationUrl: string, login: string) {
  let url = authorizationUrl;
  for (let hop = 0; hop < 12; hop++) {
    const res = await browser.get(url);
    if (res.status >= 300 && res.status < 400 && res.location) {
      const next = new URL(res.location, url).toString();
      if (!next.startsWith(new URL(authorizationUrl).origin)) return next;
      url = next;
      continue;
    }
    if (res.status !== 200) throw new Error(`provider answered ${res.status}: ${res.text.slice(0, 300)}`);
    const action = new URL(formAction(res.text), url).toString();
    const prompt = /name="prompt" value="(\w+)"/.exec(res.text)?.[1];
    const form: Record<string, string> =
      prompt === 'login' ? { prompt, login, password: 'any-password' } : { prompt: prompt ?? 'consent' };
    const posted = await browser.request(action, { method: 'POST', form });
    if (!posted.location)
      throw new Error(`provider form answered ${posted.status}: ${posted.text.slice(0, 300)}`);
    const next = new URL(posted.location, action).toString();
    if (!next.startsWith(new URL(authorizationUrl).origin)) return next;
    url = next;
  }
  throw new Error('too many hops at the provider');
}
