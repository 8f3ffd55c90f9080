// Settings → ServiceNow connection (F8 §6) in Chromium, as an admin, at 375 px and on a desktop: axe-clean, no
// sideways scrolling on the phone, and a keyboard-only path — Tab to "Test connection", Enter, and the result lists
// every check passed; then a refused candidate password comes back with the field empty (S20: never re-rendered).
import type { Browser, BrowserContext } from 'playwright-core';
import { build, type TestApp } from '../helper';
import { consoleUser, type TestConsoleUser } from '../console';
import {
  consoleSignedIn,
  DESKTOP,
  fitsTheScreen,
  launchChromium,
  PHONE,
  record,
  requirePortalBuild,
  tabTo,
} from './support';

let t: TestApp;
let browser: Browser;
let admin: TestConsoleUser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  requirePortalBuild();
  [t, browser] = await Promise.all([build(), launchChromium()]);
  admin = await consoleUser(t, 'admin', { name: 'Sam Settings' });
}, 60_000);
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await t?.close();
});
jest.setTimeout(60_000);

const signedIn = (opts: typeof PHONE) => consoleSignedIn(browser, t, admin, opts, contexts);

const TEST_BUTTON = 'form[action^="/console/settings/servicenow/test"] button[type="submit"]';

describe('Settings → ServiceNow connection (browser)', () => {
  for (const [name, opts] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    it(`F8 §6 ${name}: the connection's facts; Test connection by keyboard lists each check passed; axe-clean`, async () => {
      const page = await signedIn(opts);
      await page.goto('/console/settings/servicenow');
      expect(await page.locator('h1').textContent()).toBe('ServiceNow connection');
      expect(await page.locator('.settings-nav a[aria-current="page"]').textContent()).toBe(
        'ServiceNow connection',
      );
      expect(await page.locator('[data-secret="set"]').textContent()).toBe('Set (never shown)');
      expect(await page.locator('[data-health="up"]').count()).toBe(1);
      await record(page, `console-settings-servicenow-${name}`);
      expect(await fitsTheScreen(page)).toBe(true);

      // Keyboard only: from the page's heading, Tab to the button and press Enter.
      await page.locator('h1').click();
      await tabTo(page, TEST_BUTTON);
      await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
      const checks = page.locator('#sn-test-checks .sn-check');
      expect(await checks.count()).toBe(3);
      expect(await page.locator('#sn-test-checks .sn-check[data-status="ok"]').count()).toBe(3);
      expect(await page.locator('.sn-summary').textContent()).toBe('All 3 checks passed.');
      await record(page, `console-settings-servicenow-tested-${name}`);
      expect(await fitsTheScreen(page)).toBe(true);
    });
  }

  it('F8 §6 phone, keyboard: a wrong password is refused; the form comes back with the user name kept and no password', async () => {
    const page = await signedIn(PHONE);
    await page.goto('/console/settings/servicenow');
    await page.locator('h1').click();
    await tabTo(page, '#sn-username');
    await page.keyboard.type('imper.integration');
    await page.keyboard.press('Tab');
    await page.keyboard.type('not-the-password-at-all');
    t.issuedSecrets.add('not-the-password-at-all');
    await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
    expect(await page.locator('#sn-basic-error').isVisible()).toBe(true);
    expect(await page.locator('#sn-username').inputValue()).toBe('imper.integration');
    expect(await page.locator('#sn-password').inputValue()).toBe('');
    expect(await page.locator('#sn-basic-checks [data-code="SERVICENOW_AUTH_REJECTED"]').count()).toBe(1);
    expect(await page.content()).not.toContain('not-the-password-at-all');
    await record(page, 'console-settings-servicenow-rejected-phone');
    expect(await fitsTheScreen(page)).toBe(true);
    // Nothing saved: the configured credentials are still the ones in use.
    const row = await t.db.db
      .selectFrom('tenants')
      .select('console_credentials_sealed')
      .executeTakeFirstOrThrow();
    expect(row.console_credentials_sealed).toBeNull();
  });
});
