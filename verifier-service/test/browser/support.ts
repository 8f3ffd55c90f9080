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

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Headless Chromium as automation drives it: the service (rightly) sees the automation markers. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/**
 * The same Chromium without the marks automation leaves (no `--enable-automation`, `navigator.webdriver` false),
 * for the contexts of `disguisedPhone`: what a genuine employee's own browser looks like to the service.
 */
export function launchDisguisedChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    ignoreDefaultArgs: ['--enable-automation'],
    args: [...CHROMIUM_ARGS, '--disable-blink-features=AutomationControlled'],
  });
}

/** A residential address and what goes with it, per country the stand-in's people live in. */
const HOMES = {
  US: { ip: '73.10.77.20', timezoneId: 'America/New_York', locale: 'en-US' }, // Comcast
  GB: { ip: '86.150.77.20', timezoneId: 'Europe/London', locale: 'en-GB' }, // BT
  DE: { ip: '84.128.77.20', timezoneId: 'Europe/Berlin', locale: 'de-DE' }, // Deutsche Telekom
} as const;

/**
 * Context options for an Android phone's Chrome at home in `country` (a browser from `launchDisguisedChromium`):
 * a Chrome (not HeadlessChrome) user agent of the real engine's version, so that the client hints Chromium sends
 * agree with it; the home's time zone and language; the home address presented through the trusted test proxy's
 * X-Forwarded-For. `disguise(context)` then hides the software renderer.
 */
export function disguisedPhone(
  browser: Browser,
  country: keyof typeof HOMES = 'US',
  opts: BrowserContextOptions = {},
): BrowserContextOptions {
  const major = browser.version().split('.')[0];
  const home = HOMES[country];
  return {
    ...PHONE,
    userAgent: `Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0 Mobile Safari/537.36`,
    locale: home.locale,
    timezoneId: home.timezoneId,
    extraHTTPHeaders: { 'x-forwarded-for': home.ip },
    ...opts,
  };
}

/** A phone's GPU for WebGL (headless Chromium renders in software, SwiftShader) and a non-empty plugin list. */
export async function disguise(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const RENDERER = 'ANGLE (Qualcomm, Adreno (TM) 740, OpenGL ES 3.2)';
    const UNMASKED_RENDERER = 0x9246; // WEBGL_debug_renderer_info.UNMASKED_RENDERER_WEBGL
    for (const proto of [WebGLRenderingContext.prototype, WebGL2RenderingContext.prototype]) {
      const get = proto.getParameter;
      proto.getParameter = function (this: WebGLRenderingContext, p: number) {
        return p === UNMASKED_RENDERER || p === this.RENDERER ? RENDERER : get.call(this, p);
      } as typeof get;
    }
    if (navigator.plugins.length === 0)
      Object.defineProperty(Navigator.prototype, 'plugins', { get: () => ({ length: 5 }) });
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

/** True when nothing on the page scrolls sideways (a 375 px phone included). */
export const fitsTheScreen = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

/** Presses Tab until `selector` has the focus (date inputs take a Tab per part in Chromium). */
export async function tabTo(page: Page, selector: string, max = 120): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`the keyboard never reached ${selector}`);
}

/** A new context signed in to the console as `user` through the sign-in form; kept in `contexts` for closing. */
export async function consoleSignedIn(
  browser: Browser,
  t: TestApp,
  user: { username: string; password: string },
  opts: BrowserContextOptions,
  contexts: BrowserContext[],
): Promise<Page> {
  const context = await newContext(browser, t, opts);
  contexts.push(context);
  const page = await context.newPage();
  await page.goto('/console/login');
  await page.locator('input[name="username"]').fill(user.username);
  await page.locator('input[name="password"]').fill(user.password);
  await Promise.all([
    page.waitForEvent('load'),
    page.locator('#console-login button[type="submit"]').click(),
  ]);
  expect(new URL(page.url()).pathname).toBe('/console');
  return page;
}
