// The self-service page (F7) in Chromium on a phone (375 × 812): axe-clean (the form, its error and the answer),
// submitted with the keyboard alone, nothing wider than the screen, and the link then reaches the mobile on file.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { build, type TestApp } from '../helper';
import { messageTo, ticketsWithContacts } from '../flows';
import { launchChromium, newContext, PHONE, record, requirePortalBuild } from './support';

let t: TestApp;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  requirePortalBuild();
  [t, browser] = await Promise.all([build(), launchChromium()]);
  await t.startWorker({ pollInterval: 50 });
}, 60_000);
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await t?.close();
});

async function phone(locale?: string): Promise<Page> {
  const context = await newContext(browser, t, { ...PHONE, ...(locale ? { locale } : {}) });
  contexts.push(context);
  return context.newPage();
}

const fitsTheScreen = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

/** Tabs until the element matching `selector` has the focus (at most `max` presses). */
async function tabTo(page: Page, selector: string, max = 12) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`the keyboard never reached ${selector}`);
}

describe('self-service page (browser)', () => {
  it('F7: axe-clean at 375 px, submitted with the keyboard alone; the link reaches the mobile on file (S9)', async () => {
    const [tk] = ticketsWithContacts(t, 1);
    const userName = String(t.standin.store.get('sys_user', tk!.caller.sys_id)!.user_name);
    const page = await phone();
    await page.goto('/self-service');
    await record(page, 'self-service-form');
    expect(await fitsTheScreen(page)).toBe(true);
    expect(await page.getByLabel('User name or work email').count()).toBe(1);

    // Keyboard only: Tab to the identifier, type it, Tab to the select, choose with the arrows, Tab to the button.
    await tabTo(page, 'input[name="identifier"]');
    await page.keyboard.type(userName);
    await tabTo(page, 'select[name="action"]');
    expect(await page.locator('select[name="action"]').inputValue()).toBe('password_reset');
    await tabTo(page, 'button[type="submit"]');
    const focusVisible = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      return getComputedStyle(el).outlineStyle !== 'none';
    });
    expect(focusVisible).toBe(true);
    await Promise.all([page.waitForLoadState('load'), page.keyboard.press('Enter')]);
    await page.getByText('If an account matches, we sent a link to the contact on file for it.').waitFor();
    await record(page, 'self-service-sent');
    expect(await fitsTheScreen(page)).toBe(true);
    const sms = await messageTo(t, tk!.caller.mobile_phone, new Set(), '/v/');
    expect(sms.channel).toBe('sms');
  });

  it('F7: an empty submission shows the form again with its message, axe-clean, in French too', async () => {
    const page = await phone('fr-FR');
    await page.goto('/self-service');
    await tabTo(page, 'button[type="submit"]');
    await Promise.all([page.waitForLoadState('load'), page.keyboard.press('Enter')]);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Saisissez votre nom d’utilisateur');
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    await record(page, 'self-service-error-fr');
    expect(await fitsTheScreen(page)).toBe(true);
  });
});
