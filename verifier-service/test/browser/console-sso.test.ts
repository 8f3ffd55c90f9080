// Console single sign-on (F8, S18) in Chromium against the local oidc-provider, served as another site (localhost)
// than the service (127.0.0.1), as a real provider is: "Sign in with SSO" on our sign-in page, the provider's own
// login and consent pages (not ours: no axe scan there), back to our "Signed in" page and on into the console with
// the role the groups map to. The console cookie is SameSite=Strict, so it only counts once the browser is on our
// site again; a user with no mapped group gets our 403 page and no session. Our pages axe-clean.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { build, freePort, type TestApp } from '../helper';
import { startOidcProvider, type OidcFixture } from '../console/oidc-provider';
import {
  DESKTOP,
  fitsTheScreen,
  launchChromium,
  newContext,
  PHONE,
  record,
  requirePortalBuild,
} from './support';

let t: TestApp;
let idp: OidcFixture;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  requirePortalBuild();
  const port = await freePort();
  [idp, browser] = await Promise.all([
    startOidcProvider({
      host: 'localhost',
      redirectUris: [`http://127.0.0.1:${port}/console/sso/dev/callback`],
      users: {
        ada: { name: 'Ada Admin', username: 'ada', claims: { groups: ['imper-admins', 'everyone'] } },
        otto: { name: 'Otto Operator', username: 'otto', claims: { groups: ['helpdesk-sec'] } },
        nora: { name: 'Nora Nobody', username: 'nora', claims: { groups: ['everyone'] } },
      },
    }),
    launchChromium(),
  ]);
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
}, 60_000);
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await t?.close();
  await idp?.close();
});
jest.setTimeout(60_000);

async function open(opts: typeof PHONE): Promise<Page> {
  const context = await newContext(browser, t, opts);
  contexts.push(context);
  return context.newPage();
}

/** The provider's pages, as a person uses them: any password on its login page, then Continue on its consent. */
async function signInAtProvider(page: Page, login: string): Promise<void> {
  await page.waitForURL((u) => u.origin === idp.issuer);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any-password');
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Sign-in' }).click()]);
  if (new URL(page.url()).origin === idp.issuer)
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Continue' }).click()]);
}

describe('console SSO (browser)', () => {
  it('S18 at 375 px: Sign in with SSO → provider → our Signed-in page → the console as admin; axe-clean', async () => {
    const page = await open(PHONE);
    await page.goto('/console/dashboard');
    expect(new URL(page.url()).pathname).toBe('/console/login');
    await record(page, 'console-sso-login-phone');
    const sso = page.getByRole('link', { name: 'Sign in with SSO' });
    expect(await sso.getAttribute('href')).toBe('/console/sso/dev/start?next=%2Fconsole%2Fdashboard');

    // Keyboard: the link is reachable and Enter follows it (to the provider, another site).
    await sso.focus();
    await page.keyboard.press('Enter');
    await signInAtProvider(page, 'ada');

    // Back on our site, at the callback's own page: the session exists, the link carries it on.
    const here = new URL(page.url());
    expect(here.origin).toBe(t.url);
    expect(here.pathname).toBe('/console/sso/dev/callback');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Signed in');
    await record(page, 'console-sso-done-phone');
    expect(await fitsTheScreen(page)).toBe(true);

    const next = page.getByRole('link', { name: 'Continue to the console' });
    expect(await next.getAttribute('href')).toBe('/console/dashboard');
    await Promise.all([page.waitForEvent('load'), next.click()]);
    expect(new URL(page.url()).pathname).toBe('/console/dashboard');
    expect(await page.locator('header').textContent()).toContain('Ada Admin');
    expect(await page.locator('.console-roles').textContent()).toBe('(admin)');
    expect(await page.getByRole('link', { name: 'Settings' }).count()).toBe(1);
    await record(page, 'console-sso-dashboard-phone');
  });

  it('S18 on a desktop: the operator group gives operator (no audit log, no settings)', async () => {
    const page = await open(DESKTOP);
    await page.goto('/console/login?next=%2Fconsole');
    await page.getByRole('link', { name: 'Sign in with SSO' }).click();
    await signInAtProvider(page, 'otto');
    await Promise.all([
      page.waitForEvent('load'),
      page.getByRole('link', { name: 'Continue to the console' }).click(),
    ]);
    expect(new URL(page.url()).pathname).toBe('/console');
    expect(await page.locator('.console-roles').textContent()).toBe('(operator)');
    // An operator's navigation has no audit log; Settings holds only the failed ticket updates they retry.
    expect(await page.getByRole('link', { name: 'Audit log' }).count()).toBe(0);
    const audit = await page.goto('/console/audit');
    expect(audit?.status()).toBe(403);
    expect((await page.goto('/console/settings/risk'))?.status()).toBe(403);
  });

  it('S18: a user no group maps gets our 403 page (axe-clean) and no session', async () => {
    const page = await open(DESKTOP);
    await page.goto('/console/login');
    await page.getByRole('link', { name: 'Sign in with SSO' }).click();
    const callback = page.waitForResponse((r) => r.url().startsWith(`${t.url}/console/sso/dev/callback`));
    await signInAtProvider(page, 'nora');
    expect((await callback).status()).toBe(403);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('No access to the console');
    expect(await page.locator('main').textContent()).toContain(
      'Your account has no role in the imper.ai console; ask your administrator.',
    );
    await record(page, 'console-sso-no-role-desktop');
    await page.goto('/console');
    expect(new URL(page.url()).pathname).toBe('/console/login');
  });
});
