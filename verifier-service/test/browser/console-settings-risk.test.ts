// Settings → Risk thresholds (issue 11 §6) in Chromium, at 375 px and on a desktop: axe-clean in every state, no
// sideways scrolling of the page, and by keyboard only: Tab to the form, set a category's thresholds, submit, see the
// row updated with its confirmation; an invalid pair shows the error next to the fields with the values kept; the
// row's "Use the default" puts it back.
import type { Browser, BrowserContext, Page } from 'playwright-core';
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
  [t, browser] = await Promise.all([
    build({ tenant: { risk: { categories: { printers: { thresholds: { medium: 2, high: 6 } } } } } }),
    launchChromium(),
  ]);
  admin = await consoleUser(t, 'admin', { name: 'Rita Risk' });
}, 60_000);
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await t?.close();
});
jest.setTimeout(90_000);

const signedIn = (opts: typeof PHONE) => consoleSignedIn(browser, t, admin, opts, contexts);

const cell = (page: Page, category: string, field: string) =>
  page.locator(`tr[data-category="${category}"] td[data-field="${field}"] .risk-value`).textContent();

/** From the page's heading, by keyboard only: fill the form and submit it with Enter. */
async function submitByKeyboard(page: Page, category: string, medium: string, high: string) {
  await page.locator('h1').first().click(); // start from the page body, past the header
  await tabTo(page, '#risk-category');
  await page.keyboard.press('Control+A');
  await page.keyboard.type(category);
  await tabTo(page, '#risk-medium');
  await page.keyboard.press('Control+A');
  await page.keyboard.type(medium);
  await tabTo(page, '#risk-high');
  await page.keyboard.press('Control+A');
  await page.keyboard.type(high);
  await tabTo(page, 'form.risk-form button[type="submit"]');
  await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
}

describe('Settings → Risk thresholds (browser)', () => {
  for (const [name, opts, category] of [
    ['phone', PHONE, 'access'],
    ['desktop', DESKTOP, 'account_unlock'],
  ] as const) {
    it(`issue 11 §6 ${name}: set a category by keyboard, see the row; a bad pair is refused in place; axe-clean`, async () => {
      const page = await signedIn(opts);
      await page.goto('/console/settings/risk');
      expect(await page.locator('h1').textContent()).toBe('Risk thresholds');
      // All requests, the stand-in's policy categories and the configured one, each with its bands
      expect(await page.locator('table.risk-table tbody tr').count()).toBe(5);
      expect(await page.locator('svg.risk-bands[role="img"]').count()).toBe(5);
      expect(await cell(page, 'printers', 'source')).toBe('Configuration');
      await record(page, `settings-risk-${name}`);
      expect(await fitsTheScreen(page)).toBe(true);

      await submitByKeyboard(page, category, '2', '5');
      expect(new URL(page.url()).search).toBe(`?saved=${category}`);
      expect(await page.locator('[data-done="saved"]').textContent()).toContain(
        `${category}: Medium from 2, High from 5`,
      );
      expect(await cell(page, category, 'medium')).toBe('2');
      expect(await cell(page, category, 'high')).toBe('5');
      expect(await cell(page, category, 'source')).toContain(admin.username);
      // The picture follows: the High band starts at 5 of 10
      const high = page.locator(`tr[data-category="${category}"] rect[data-band="high"]`);
      expect(Number(await high.getAttribute('x'))).toBeCloseTo(8 + 0.5 * 184, 0);
      await record(page, `settings-risk-saved-${name}`);
      expect(await fitsTheScreen(page)).toBe(true);

      // An invalid pair: the form again, the error next to the fields, the values kept
      const response = page.waitForResponse((r) => r.request().method() === 'POST');
      await submitByKeyboard(page, category, '6', '4');
      expect((await response).status()).toBe(400);
      const error = page.locator('#risk-high-error');
      expect(await error.textContent()).toBe('High must be above Medium.');
      expect(await page.locator('#risk-high').getAttribute('aria-describedby')).toContain('risk-high-error');
      expect(await page.locator('#risk-medium').getAttribute('aria-describedby')).toContain(
        'risk-high-error',
      );
      expect(await page.locator('#risk-high').getAttribute('aria-invalid')).toBe('true');
      expect(await page.locator('#risk-medium').inputValue()).toBe('6');
      expect(await page.locator('#risk-high').inputValue()).toBe('4');
      expect(await page.locator('#risk-category').inputValue()).toBe(category);
      expect(await page.locator('#risk-errors[role="alert"]').count()).toBe(1);
      await record(page, `settings-risk-invalid-${name}`);
      expect(await fitsTheScreen(page)).toBe(true);
      // Nothing was saved
      expect(await cell(page, category, 'high')).toBe('5');

      // "Use the default" on the row, by keyboard
      await page.locator('h1').first().click();
      await tabTo(page, `tr[data-category="${category}"] .risk-reset button`);
      await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
      expect(new URL(page.url()).search).toBe(`?reset=${category}`);
      expect(await cell(page, category, 'medium')).toBe('3');
      expect(await cell(page, category, 'source')).toBe('Default');
      await record(page, `settings-risk-reset-${name}`);
    });
  }
});
