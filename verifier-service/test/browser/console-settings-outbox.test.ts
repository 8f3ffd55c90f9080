// The console's Settings pages "Failed ticket updates" (admin, operator) and "Providers" (admin) in Chromium, at
// 375 px and on a desktop: axe-clean, no sideways scrolling on the phone, and keyboard-only paths — Tab to Retry,
// Enter, and the page says how many were queued (the worker then delivers the update once, R3); Tab to
// "Check now", Enter, and each provider's answer appears.
import type { Browser, BrowserContext } from 'playwright-core';
import { startProviderStandins, type ProviderStandins } from '@imper/provider-standins';
import { build, type TestApp } from '../helper';
import { consoleUser, type TestConsoleUser } from '../console';
import { insertDeliveryRow, insertVerificationRow } from '../console/rows';
import {
  eventRow,
  incidents,
  notesWithMarker,
  passedVerification,
  recordEvent,
  waitFor,
} from '../reliability/fixtures';
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

const TWILIO = { accountSid: `AC${'7e'.repeat(16)}`, authToken: 'outbox-browser-twilio-token' };
const SENDGRID = { apiKey: 'SG.outbox-browser.key' };

let t: TestApp;
let browser: Browser;
let providers: ProviderStandins;
let admin: TestConsoleUser;
let operator: TestConsoleUser;
let tickets: string[];
let refusing = new Set<string>();
const contexts: BrowserContext[] = [];
const HOUR = 3_600_000;

beforeAll(async () => {
  requirePortalBuild();
  providers = await startProviderStandins({ twilio: TWILIO, sendgrid: SENDGRID, callbackDelayMs: 5 });
  [t, browser] = await Promise.all([
    build({
      env: {
        EMAIL_PROVIDER: 'sendgrid',
        SMS_PROVIDER: 'twilio',
        SENDGRID_API_KEY: SENDGRID.apiKey,
        SENDGRID_FROM_EMAIL: 'helpdesk@acme.example',
        SENDGRID_BASE_URL: providers.url,
        SENDGRID_WEBHOOK_PUBLIC_KEY: providers.sendgridPublicKey,
        TWILIO_ACCOUNT_SID: TWILIO.accountSid,
        TWILIO_AUTH_TOKEN: TWILIO.authToken,
        TWILIO_FROM: '+15005550006',
        TWILIO_BASE_URL: providers.url,
      },
    }),
    launchChromium(),
  ]);
  await t.startWorker({ pollInterval: 50 });
  tickets = incidents(t);
  // A data policy refusing the write (403): dead-lettered at once (R2).
  t.standin.hooks.beforeWrite((ctx) =>
    ctx.table === 'incident' && ctx.op === 'update' && refusing.has(String(ctx.record.sys_id))
      ? {
          abort: {
            message: 'Operation Failed',
            detail: 'Data Policy Exception: Resolution code is mandatory',
          },
        }
      : undefined,
  );
  admin = await consoleUser(t, 'admin', { name: 'Ada Admin' });
  operator = await consoleUser(t, 'operator', { name: 'Otto Operator' });
  // Deliveries of the last days for the figures.
  const now = Date.now();
  for (const [channel, status, hoursAgo, errorCode] of [
    ['email', 'delivered', 2, undefined],
    ['email', 'delivered', 30, undefined],
    ['email', 'failed', 5, 'bounce'],
    ['email', 'sent', 1, undefined],
    ['sms', 'delivered', 3, undefined],
    ['sms', 'failed', 50, '30003'],
  ] as const) {
    const v = await insertVerificationRow(t, { createdAt: new Date(now - hoursAgo * HOUR) });
    await insertDeliveryRow(t, {
      verificationId: v.id,
      status,
      channel,
      provider: channel === 'email' ? 'sendgrid' : 'twilio',
      ...(errorCode ? { errorCode } : {}),
      createdAt: new Date(now - hoursAgo * HOUR),
    });
  }
}, 90_000);
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await t?.close();
  await providers?.close();
});
jest.setTimeout(90_000);

/** Dead letters made for real: decided verifications whose outcome ServiceNow refuses. */
async function deadLetters(n: number) {
  const made = [];
  for (let i = 0; i < n; i++) {
    const ticket = tickets.shift()!;
    refusing.add(ticket);
    const v = await passedVerification(t, ticket);
    const event = await recordEvent(t, v, 'outcome');
    made.push({ v, event, ticket });
  }
  for (const m of made)
    await waitFor('dead-lettered', async () => (await eventRow(t, m.event.id)).status === 'dead');
  refusing = new Set(); // the cause is fixed: ServiceNow accepts the writes again
  return made;
}

const signedIn = (user: TestConsoleUser, opts: typeof PHONE) =>
  consoleSignedIn(browser, t, user, opts, contexts);

describe('failed ticket updates (browser)', () => {
  it('R2/R3 operator at 375 px: the dead letter listed; Tab to Retry, Enter, "Queued again: 1"; delivered once', async () => {
    const { v, event } = (await deadLetters(1))[0]!;
    const page = await signedIn(operator, PHONE);
    await page.goto('/console/settings/dead-letters');
    const row = page.locator(`tr[data-id="${event.id}"]`);
    expect(await row.locator('a').getAttribute('href')).toBe(`/console/verifications/${v.publicId}`);
    expect(await row.textContent()).toContain('http 403');
    await record(page, 'console-dead-letters-phone');
    expect(await fitsTheScreen(page)).toBe(true);

    await page.locator('h1').first().click();
    await tabTo(page, `tr[data-id="${event.id}"] form.dead-letter-retry button`);
    await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
    const notice = page.locator('.dead-letters-queued');
    expect(await notice.getAttribute('data-queued')).toBe('1');
    expect(await notice.textContent()).toContain('Queued again: 1.');
    await record(page, 'console-dead-letters-queued-phone');
    expect(await fitsTheScreen(page)).toBe(true);

    await waitFor('delivered', async () => (await eventRow(t, event.id)).status === 'delivered');
    expect(notesWithMarker(t, v, event.seq)).toBe(1);
    await page.reload();
    expect(await page.locator(`tr[data-id="${event.id}"]`).count()).toBe(0);
  });

  it('admin on a desktop: "Retry all shown" by keyboard queues every row of the page', async () => {
    const made = await deadLetters(2);
    const page = await signedIn(admin, DESKTOP);
    await page.goto('/console/settings/dead-letters');
    expect(await page.locator('table.dead-letters tbody tr').count()).toBe(2);
    expect(await page.locator('table.dead-letters thead th').count()).toBe(7);
    await record(page, 'console-dead-letters-desktop');
    expect(await fitsTheScreen(page)).toBe(true);

    await page.locator('h1').first().click();
    await tabTo(page, 'form.dead-letters-retry-all button');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Retry all shown (2)');
    await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
    expect(await page.locator('.dead-letters-queued').getAttribute('data-queued')).toBe('2');
    await record(page, 'console-dead-letters-queued-desktop');
    for (const m of made) {
      await waitFor('delivered', async () => (await eventRow(t, m.event.id)).status === 'delivered');
      expect(notesWithMarker(t, m.v, m.event.seq)).toBe(1);
    }
  });
});

describe('providers (browser)', () => {
  for (const [name, opts] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    it(`F8 ${name}: the providers, two delivery charts with their tables; Tab to "Check now", Enter, the answers`, async () => {
      const page = await signedIn(admin, opts);
      await page.goto('/console/settings/providers');
      expect(await page.locator('svg.chart[role="img"]').filter({ visible: true }).count()).toBe(2);
      expect(
        await page.locator('#deliveries-email tr[data-count="total"] td[data-period="week"]').textContent(),
      ).toBe('4');
      expect(await page.locator('#deliveries-sms .last-failure').getAttribute('data-last-failure')).toBe(
        '30003',
      );
      expect(await page.locator('#provider-sms [data-fact="from"] dd').textContent()).toBe('+•••••••0006');
      const html = await page.content();
      for (const secret of [SENDGRID.apiKey, TWILIO.authToken]) expect(html).not.toContain(secret);
      await record(page, `console-providers-${name}`);
      expect(await fitsTheScreen(page)).toBe(true);
      const overflowing = await page.evaluate(() =>
        [...document.querySelectorAll('svg.chart, .provider-card')].filter(
          (s) => s.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5,
        ),
      );
      expect(overflowing).toHaveLength(0);

      await page.locator('h1').first().click();
      await tabTo(page, 'form[action="/console/settings/providers/check"] button');
      await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
      const checks = page.locator('.provider-check');
      expect(await checks.count()).toBe(2);
      expect(await checks.evaluateAll((els) => els.map((e) => e.getAttribute('data-outcome')))).toEqual([
        'ok',
        'ok',
      ]);
      expect(await page.content()).not.toContain(TWILIO.authToken);
      await record(page, `console-providers-checked-${name}`);
      expect(await fitsTheScreen(page)).toBe(true);
    });
  }

  it('an operator is refused the providers page (403) and does not see it in the settings', async () => {
    const page = await signedIn(operator, DESKTOP);
    const res = await page.goto('/console/settings/providers');
    expect(res?.status()).toBe(403);
    await page.goto('/console/settings');
    expect(await page.locator('a[href="/console/settings/providers"]').count()).toBe(0);
    expect(await page.locator('a[href="/console/settings/dead-letters"]').count()).toBeGreaterThan(0);
  });
});
