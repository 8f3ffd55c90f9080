// The console's dashboard and audit log (F8, S21) in Chromium, at 375 px and on a desktop: axe-clean, no sideways
// scrolling on the phone, the keyboard reaches the period picker and "Verify chain", and an audit row altered in the
// database shows as broken once "Verify chain" is pressed in the browser.
import { sql } from 'kysely';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { build, type TestApp } from '../helper';
import { consoleUser, type TestConsoleUser } from '../console';
import { insertDeliveryRow, insertVerificationRow } from '../console/rows';
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
const DAY = 86_400_000;

beforeAll(async () => {
  requirePortalBuild();
  [t, browser] = await Promise.all([build(), launchChromium()]);
  admin = await consoleUser(t, 'admin', { name: 'Rita Reports' });
  // Verifications over the last days of the default period (the last 30 days): outcomes, risks, categories,
  // times to complete, and deliveries, some failed.
  const now = t.clock.now().getTime();
  const rows: Array<Parameters<typeof insertVerificationRow>[1]> = [
    { state: 'passed', riskLevel: 'verified', createdAt: new Date(now - 1 * DAY), completedAfter: 95 },
    { state: 'passed', riskLevel: 'medium', createdAt: new Date(now - 2 * DAY), completedAfter: 240 },
    {
      state: 'failed',
      riskLevel: 'high',
      category: 'mfa_reset',
      createdAt: new Date(now - 2 * DAY),
      completedAfter: 30,
    },
    { state: 'passed', riskLevel: 'verified', createdAt: new Date(now - 5 * DAY), completedAfter: 60 },
    { state: 'sent', category: 'account_unlock', createdAt: new Date(now - 9 * DAY) },
  ];
  for (const r of rows) {
    const v = await insertVerificationRow(t, r);
    await insertDeliveryRow(t, { verificationId: v.id, status: 'delivered', createdAt: r.createdAt });
    if (r.riskLevel === 'high')
      await insertDeliveryRow(t, {
        verificationId: v.id,
        status: 'failed',
        channel: 'sms',
        provider: 'twilio',
        errorCode: '30007',
        createdAt: r.createdAt,
      });
  }
}, 60_000);
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await t?.close();
});
jest.setTimeout(60_000);

const signedIn = (opts: typeof PHONE) => consoleSignedIn(browser, t, admin, opts, contexts);

const VERIFY = 'form[action="/console/audit/verify"] button[type="submit"]';
const metric = (page: Page, key: string) => page.locator(`.tile[data-metric="${key}"] dd`).textContent();

/** Alters one audit event behind the service's back, as someone with superuser rights could (S21). */
async function tamperWith(id: string) {
  await sql`alter table audit_events disable trigger user`.execute(t.db.db);
  try {
    await t.db.db
      .updateTable('audit_events')
      .set({ data: JSON.stringify({ note: 'rewritten' }) })
      .where('id', '=', id)
      .execute();
  } finally {
    await sql`alter table audit_events enable trigger user`.execute(t.db.db);
  }
}

describe('console dashboard (browser)', () => {
  for (const [name, opts] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    it(`F8 ${name}: tiles, charts with their tables, the period picker by keyboard; axe-clean`, async () => {
      const page = await signedIn(opts);
      await page.goto('/console/dashboard');
      expect(await metric(page, 'total')).toBe('5');
      expect(await metric(page, 'pass-rate')).toBe('75.0 %');
      expect(await metric(page, 'delivery-failures')).toBe('1');
      // Four charts shown, each drawn for this screen: the phone gets the narrow drawing, whose labels stay
      // readable (an x label's text at least 9 CSS px high).
      const shown = page.locator('svg.chart[role="img"]').filter({ visible: true });
      expect(await shown.count()).toBe(4);
      expect(
        await page
          .locator(name === 'phone' ? 'svg.chart-narrow' : 'svg.chart-wide')
          .filter({ visible: true })
          .count(),
      ).toBe(4);
      const smallestLabel = await page.evaluate(() =>
        Math.min(
          ...[...document.querySelectorAll('svg.chart text')]
            .map((e) => e.getBoundingClientRect().height)
            .filter((h) => h > 0),
        ),
      );
      expect(smallestLabel).toBeGreaterThanOrEqual(9);
      await record(page, `console-dashboard-${name}`);
      expect(await fitsTheScreen(page)).toBe(true);
      // Every chart is drawn within its card (viewBox, max-width 100%).
      const overflowing = await page.evaluate(() =>
        [...document.querySelectorAll('svg.chart')].filter(
          (s) => s.getBoundingClientRect().right > s.parentElement!.getBoundingClientRect().right + 0.5,
        ),
      );
      expect(overflowing).toHaveLength(0);

      // Keyboard: the period picker's fields and its button, then a chart's table opens with Enter.
      await page.locator('h1').first().click(); // start from the page body, past the header
      await tabTo(page, '#period-from');
      await tabTo(page, '#period-to');
      await tabTo(page, 'form.period button[type="submit"]');
      await tabTo(page, '.chart-data summary');
      await page.keyboard.press('Enter');
      expect(await page.locator('.chart-data').first().getAttribute('open')).not.toBeNull();
      await record(page, `console-dashboard-table-open-${name}`);
      expect(await fitsTheScreen(page)).toBe(true);

      // The picker works: an older period without rows.
      await page.locator('#period-from').fill('2020-01-01');
      await page.locator('#period-to').fill('2020-01-31');
      await Promise.all([page.waitForEvent('load'), page.locator('form.period button').click()]);
      expect(new URL(page.url()).search).toBe('?from=2020-01-01&to=2020-01-31');
      expect(await metric(page, 'total')).toBe('0');
    });
  }
});

describe('console audit log (browser)', () => {
  it('S21 at 375 px: Verify chain by keyboard says intact, then names a row altered in the database', async () => {
    const page = await signedIn(PHONE);
    await page.goto('/console/audit');
    expect(await page.locator('table.audit tbody tr').count()).toBeGreaterThan(0);
    await record(page, 'console-audit-phone');
    expect(await fitsTheScreen(page)).toBe(true);

    await page.locator('h1').first().click();
    await tabTo(page, VERIFY);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Verify chain');
    await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
    expect(await page.locator('[data-chain]').getAttribute('data-chain')).toBe('intact');
    await record(page, 'console-audit-intact-phone');

    // The tenant's oldest event is altered; the page's button finds it.
    const first = await t.db.db
      .selectFrom('audit_events')
      .select('id')
      .where('tenant_id', '=', admin.tenantId)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    await tamperWith(String(first.id));
    await page.locator('h1').first().click();
    await tabTo(page, VERIFY);
    await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
    const result = page.locator('[data-chain]');
    expect(await result.getAttribute('data-chain')).toBe('broken');
    expect(await result.getAttribute('data-first-id')).toBe(String(first.id));
    expect(await result.textContent()).toContain('Chain broken');
    expect(await result.textContent()).toContain(`#${first.id}, position 1`);
    await record(page, 'console-audit-broken-phone');
    expect(await fitsTheScreen(page)).toBe(true);
  });

  it('F8 on a desktop: the table with its columns and filters; axe-clean', async () => {
    const page = await signedIn(DESKTOP);
    await page.goto('/console/audit?type=console.');
    const headers = await page.locator('table.audit thead th').allTextContents();
    expect(headers).toHaveLength(5);
    const types = await page.locator('table.audit tbody td:nth-child(2)').allTextContents();
    expect(types.length).toBeGreaterThan(0);
    expect(types.every((x) => x.startsWith('console.'))).toBe(true);
    await record(page, 'console-audit-desktop');
    expect(await fitsTheScreen(page)).toBe(true);
  });
});
