// The admin's Settings pages for API keys and console users (F8 §6) in Chromium, at 375 px and on a desktop:
// axe-clean with keys and users in every state, no sideways scrolling on the phone, and by keyboard alone an admin
// creates an API key and sees it once (it starts a verification on the real API), and adds a user whose shown
// password signs in from a fresh browser.
import type { Browser, BrowserContext } from 'playwright-core';
import { build, type TestApp } from '../helper';
import { consoleUser, type TestConsoleUser } from '../console';
import { ticketsWithContacts } from '../flows';
import { createApiKey, revokeApiKey } from '../../src/services/api-keys';
import { enableConsoleTotp, setConsoleUserDisabled, upsertSsoUser } from '../../src/services/console-auth';
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
  admin = await consoleUser(t, 'admin', { name: 'Ada Admin' });
  const tenantId = admin.tenantId;
  // Keys and users in every state the pages show.
  const live = await createApiKey(t.deps, {
    tenantId,
    name: 'Phone IVR',
    scopes: ['verifications:write', 'verifications:read'],
    webhookUrl: 'https://ivr.example.com/a/rather/long/path/for/the/webhook/receiver',
  });
  const old = await createApiKey(t.deps, { tenantId, name: 'Old chat bot', scopes: ['verifications:read'] });
  await revokeApiKey(t.deps, { prefix: old.apiKey.prefix, tenantId });
  for (const s of [live.key, live.webhookSecret!, old.key]) t.issuedSecrets.add(s);
  const locked = await consoleUser(t, 'auditor', { name: 'Lou Locked' });
  await t.db.db
    .updateTable('console_users')
    .set({ locked_until: new Date(Date.now() + 10 * 60_000) })
    .where('id', '=', locked.id)
    .execute();
  const gone = await consoleUser(t, 'operator', { name: 'Dee Disabled' });
  await setConsoleUserDisabled(t.deps, { userId: gone.id, disabled: true, actor: 'test' });
  const withTotp = await consoleUser(t, ['operator', 'auditor'], { name: 'Tom Totp' });
  await enableConsoleTotp(t.deps, { userId: withTotp.id, actor: 'test' });
  await upsertSsoUser(t.deps, {
    tenantId,
    subject: 'sso-sub-1',
    username: 'sam.sso@example.com',
    name: 'Sam SSO',
    roles: ['operator'],
  });
}, 60_000);
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await t?.close();
});
jest.setTimeout(90_000);

const signIn = (opts: typeof PHONE, who: { username: string; password: string }) =>
  consoleSignedIn(browser, t, who, opts, contexts);

describe('console settings: API keys and users (browser)', () => {
  for (const [name, opts] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    it(`F8 ${name}: both pages with keys and users in every state are axe-clean and fit the screen`, async () => {
      const page = await signIn(opts, admin);
      await page.goto('/console/settings/api-keys');
      expect(await page.locator('table.api-keys tbody tr').count()).toBe(2);
      expect(await page.locator('tr[data-state="revoked"]').count()).toBe(1);
      await record(page, `console-settings-api-keys-${name}`);
      expect(await fitsTheScreen(page)).toBe(true);

      await page.goto('/console/settings/users');
      for (const state of ['active', 'locked', 'disabled'])
        expect(await page.locator(`tr[data-state="${state}"]`).count()).toBeGreaterThan(0);
      await page.locator('details.user-roles-edit summary').first().click(); // a roles form open
      await record(page, `console-settings-users-${name}`);
      expect(await fitsTheScreen(page)).toBe(true);

      // A refused form: the messages are axe-clean too.
      await page.locator('#new-user-username').fill('-not valid');
      await Promise.all([page.waitForEvent('load'), page.locator('#new-user button[type="submit"]').click()]);
      expect(await page.locator('#new-user-username').getAttribute('aria-invalid')).toBe('true');
      await record(page, `console-settings-users-refused-${name}`);
      expect(await fitsTheScreen(page)).toBe(true);
    });
  }

  it('keyboard only at 375 px: create an API key, see it once, and it starts a verification', async () => {
    const page = await signIn(PHONE, admin);
    await page.goto('/console/settings/api-keys');
    await page.locator('h1').first().click();
    await tabTo(page, '#api-key-name');
    await page.keyboard.type('Keyboard IVR');
    await tabTo(page, '#api-key-scope-read');
    await page.keyboard.press('Space'); // only "Start verifications" stays checked
    await tabTo(page, '#api-key-create button[type="submit"]');
    await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
    expect(await page.locator('h1').textContent()).toBe('API key created');
    expect(await page.locator('#api-key-once').textContent()).toContain('it is not shown again');
    const key = await page.locator('#created-key').inputValue();
    expect(key).toMatch(/^ivk_/);
    t.issuedSecrets.add(key);
    await record(page, 'console-settings-api-key-created-phone');
    expect(await fitsTheScreen(page)).toBe(true);

    // The key works on the real API start route.
    const caller = ticketsWithContacts(t, 1)[0]!.caller;
    const user = String(t.standin.store.get('sys_user', caller.sys_id)!.user_name);
    const res = await fetch(`${t.url}/api/v1/verifications`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ user, channel: 'email', action: 'none' }),
    });
    expect(res.status).toBe(201);

    // Back on the list: its prefix, never the key.
    await tabTo(page, 'a.button-link[href="/console/settings/api-keys"]');
    await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
    const html = await page.content();
    expect(html).toContain(key.slice(0, 14));
    expect(html).not.toContain(key);
    const row = page.locator('tr', { hasText: 'Keyboard IVR' });
    expect(await row.locator('td').nth(1).textContent()).toContain('verifications:write');
  });

  it('keyboard only on a desktop: add a user, and the shown password signs in from a fresh browser', async () => {
    const page = await signIn(DESKTOP, admin);
    await page.goto('/console/settings/users');
    await page.locator('h1').first().click();
    await tabTo(page, '#new-user-username');
    await page.keyboard.type('kim.keys');
    await tabTo(page, '#new-user-name');
    await page.keyboard.type('Kim Keyboard');
    await tabTo(page, '#new-user-role-operator');
    await page.keyboard.press('Space');
    await tabTo(page, '#new-user button[type="submit"]');
    await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
    expect(await page.locator('h1').textContent()).toBe('Console user added');
    const password = await page.locator('#created-password').inputValue();
    t.issuedSecrets.add(password);
    await record(page, 'console-settings-user-created-desktop');

    const fresh = await signIn(PHONE, { username: 'kim.keys', password });
    expect(await fresh.locator('.console-user-name').textContent()).toContain('Kim Keyboard');
    // An operator: no console users page.
    const res = await fresh.goto('/console/settings/users');
    expect(res!.status()).toBe(403);

    // The list shows the new user, never the password.
    await page.goto('/console/settings/users');
    const html = await page.content();
    expect(html).toContain('kim.keys');
    expect(html).not.toContain(password);
  });
});
