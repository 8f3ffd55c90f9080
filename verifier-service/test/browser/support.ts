// Shared pieces of the browser tests: Debian's Chromium through playwright-core (one browser per test file),
// screenshots into test-artifacts/screenshots (git-ignored), and axe scans that must find nothing.
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import type { TestApp } from '../helper';

const root = join(__dirname, '..', '..', '..');
export const SCREENSHOTS = join(root, 'test-artifacts', 'screenshots');
export const PHONE: BrowserContextOptions = {
  viewport: { width: 375, height: 812 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};
export const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };

/** The page scripts must be built and current (scripts/launch.mjs builds them before the tests). */
export function requirePortalBuild(): void {
  const portal = join(root, 'portal');
  const built = ['agent.js', 'requester.js'].map((f) => join(portal, 'dist', f));
  if (!built.every(existsSync))
    throw new Error('portal scripts are not built: run `npm run build -w portal` (npm test does it)');
  // What the bundles are made of: the client code, the modules it shares with the server, the messages.
  const newestSource = [
    ...readdirSync(join(portal, 'src', 'client')).map((f) => join('src', 'client', f)),
    'src/i18n.ts',
    'src/status.ts',
    'messages/en.json',
    'messages/fr.json',
  ]
    .map((f) => join(portal, f))
    .reduce((max, f) => Math.max(max, statSync(f).mtimeMs), 0);
  const oldestBuild = Math.min(...built.map((f) => statSync(f).mtimeMs));
  if (oldestBuild < newestSource)
    throw new Error('portal scripts are older than their sources: run `npm run build -w portal`');
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A browser context for one person. The stand-in built by the test helper starts before the service has a port, so
 * its launch redirect names a placeholder service URL; the context points that one hop at the service under test.
 */
export async function newContext(
  browser: Browser,
  t: TestApp,
  opts: BrowserContextOptions = DESKTOP,
): Promise<BrowserContext> {
  const context = await browser.newContext({ ...opts, baseURL: t.url });
  await forwardLaunches(context, t);
  return context;
}

export async function forwardLaunches(context: BrowserContext, t: TestApp): Promise<void> {
  await context.route(`${t.standin.url}/**`, async (route) => {
    if (!route.request().isNavigationRequest()) return route.continue();
    const response = await route.fetch({ maxRedirects: 0 });
    const location = response.headers().location;
    const target = location ? new URL(location, t.standin.url) : null;
    if (
      !target ||
      target.origin === t.standin.url ||
      target.origin === t.url ||
      target.pathname !== '/agent/launch'
    )
      return route.fulfill({ response });
    return route.fulfill({
      response,
      headers: { ...response.headers(), location: `${t.url}${target.pathname}${target.search}` },
    });
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** WCAG 2.2 A/AA (and the 2.0/2.1 rules under it): no violations at all. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const result = await new AxeBuilder({ page })
    .setLegacyMode(true)
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .analyze();
  const violations = result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5),
  }));
  expect({ what, violations }).toEqual({ what, violations: [] });
}

/** Screenshot and axe scan of a page in one state. */
export async function record(page: Page, name: string): Promise<void> {
  const t0 = Date.now();
  await expectAccessible(page, name);
  const t1 = Date.now();
  await screenshot(page, name);
  if (process.env.BROWSER_TEST_TIMING)
    console.log(`${name}: axe ${t1 - t0} ms, screenshot ${Date.now() - t1} ms`);
}

/** Cumulative layout shift of the page so far (Chromium's Layout Instability API). */
export function layoutShift(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        let total = 0;
        new PerformanceObserver((list) => {
          for (const e of list.getEntries() as Array<
            PerformanceEntry & { value: number; hadRecentInput: boolean }
          >)
            if (!e.hadRecentInput) total += e.value;
        }).observe({ type: 'layout-shift', buffered: true });
        setTimeout(() => resolve(total), 300);
      }),
  );
}
