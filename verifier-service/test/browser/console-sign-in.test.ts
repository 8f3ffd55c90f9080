// The console's sign-in (F8) in Chromium: with and without an authenticator code, keyboard only, at 375 px and on a
// desktop, axe-clean (the form, the refused sign-in, the console page), the session then shown in the header, and
// signing out with the header's button.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { build, type TestApp } from '../helper';
import { consoleUser, totpCode, type TestConsoleUser } from '../console';
import {
  DESKTOP,
  fitsTheScreen,
  launchChromium,
  newContext,
  PHONE,
  record,
  requirePortalBuild,
  tabTo,
} from './support';

let t: TestApp;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  requirePortalBuild();
  [t, browser] = await Promise.all([build(), launchChromium()]);
}, 60_000);
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await t?.close();
});
jest.setTimeout(60_000);

async function open(opts: typeof PHONE): Promise<Page> {
  const context = await newContext(browser, t, opts);
  contexts.push(context);
  return context.newPage();
}

/** Signs in with the keyboard alone: Tab to each field, type, Enter on the button. */
async function signInByKeyboard(page: Page, u: TestConsoleUser, password = u.password, code?: string) {
  const typeInto = async (selector: string, value: string) => {
    await tabTo(page, selector);
    await page.keyboard.press('ControlOrMeta+A'); // a refused sign-in keeps the user name in its field
    await page.keyboard.type(value);
  };
  await typeInto('input[name="username"]', u.username);
  await typeInto('input[name="password"]', password);
  if (code) await typeInto('input[name="totp"]', code);
  await tabTo(page, '#console-login button[type="submit"]');
  // The next document (the form again, or the console after the 303) has loaded.
  await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
}

describe('console sign-in (browser)', () => {
  it('F8 at 375 px: a wrong password gets the one message, the right one opens the console; axe-clean', async () => {
    const u = await consoleUser(t, 'operator', { name: 'Priya Phone' });
    const page = await open(PHONE);
    await page.goto('/console');
    expect(new URL(page.url()).pathname).toBe('/console/login');
    await record(page, 'console-login-phone');
    expect(await fitsTheScreen(page)).toBe(true);
    for (const label of ['User name', 'Password', 'Authenticator code (if enabled)'])
      expect(await page.getByLabel(label, { exact: true }).count()).toBe(1);
    expect(await page.locator('input[name="password"]').getAttribute('autocomplete')).toBe(
      'current-password',
    );
    expect(await page.locator('input[name="totp"]').getAttribute('autocomplete')).toBe('one-time-code');

    await signInByKeyboard(page, u, 'definitely not it');
    await record(page, 'console-login-failed-phone');
    expect(await page.getByRole('alert').textContent()).toBe('Wrong user name, password or code');
    expect(await page.locator('input[name="username"]').inputValue()).toBe(u.username);

    await signInByKeyboard(page, u);
    expect(new URL(page.url()).pathname).toBe('/console');
    await record(page, 'console-home-phone');
    expect(await fitsTheScreen(page)).toBe(true);
    expect(await page.locator('header').textContent()).toContain('Priya Phone');
    expect(await page.getByRole('link', { name: 'Audit log' }).count()).toBe(0); // operator: admin and auditor only

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/console/login');
    await page.goto('/console');
    expect(new URL(page.url()).pathname).toBe('/console/login');
  });

  it('F8 on a desktop with TOTP: the code from the authenticator signs in an admin; axe-clean', async () => {
    const u = await consoleUser(t, 'admin', { totp: true, name: 'Dana Desk' });
    const page = await open(DESKTOP);
    await page.goto('/console/login?next=%2Fconsole%3Fstatus%3Dpassed');
    await record(page, 'console-login-desktop');
    await signInByKeyboard(page, u, u.password, '123456');
    expect(await page.getByRole('alert').textContent()).toBe('Wrong user name, password or code');
    await signInByKeyboard(page, u, u.password, totpCode(t, u));
    expect(new URL(page.url()).pathname).toBe('/console');
    expect(new URL(page.url()).search).toBe('?status=passed');
    await record(page, 'console-home-desktop');
    expect(await page.getByRole('link', { name: 'Settings' }).count()).toBe(1);
    expect(await page.locator('[aria-current="page"]').textContent()).toBe('Verifications');
  });
});
