// The devices requesters use, as Chromium browser contexts: user agent, viewport and touch, locale, time zone and
// the client address presented in X-Forwarded-For (the service trusts loopback as a proxy, as in the demo).
//
// What the evaluation assumes (README "Evaluation"): a genuine employee uses their own, ordinary browser. The
// harness can only drive Debian's headless Chromium, so for genuine people (and for human attackers at their own
// machine) it removes what headless automation adds and a person's browser lacks: it launches without
// `--enable-automation` and with `--disable-blink-features=AutomationControlled` (no navigator.webdriver), presents
// a regular, non-headless Chrome user agent of the same major version (so client hints agree), and an init script
// makes WebGL report a real GPU instead of SwiftShader and keeps navigator.plugins non-empty on desktop Chrome. Bots
// get none of this: plain headless Chromium defaults.
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions } from 'playwright-core';

const REQUIRED_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browsers {
  /** For people: no automation switches (see the header) */
  person: Browser;
  /** For bots: headless Chromium exactly as automation launches it */
  bot: Browser;
  chromeMajor: string;
  close(): Promise<void>;
}

export async function launchBrowsers(): Promise<Browsers> {
  const executablePath = '/usr/bin/chromium';
  const person = await chromium.launch({
    executablePath,
    args: [...REQUIRED_ARGS, '--disable-blink-features=AutomationControlled'],
    ignoreDefaultArgs: ['--enable-automation'],
  });
  const bot = await chromium.launch({ executablePath, args: REQUIRED_ARGS });
  const chromeMajor = person.version().split('.')[0] ?? '0';
  return {
    person,
    bot,
    chromeMajor,
    async close() {
      await person.close();
      await bot.close();
    },
  };
}

export type Country = 'US' | 'GB' | 'DE';
export const LOCALE: Record<Country, { locale: string; timezoneId: string }> = {
  US: { locale: 'en-US', timezoneId: 'America/New_York' },
  GB: { locale: 'en-GB', timezoneId: 'Europe/London' },
  DE: { locale: 'de-DE', timezoneId: 'Europe/Berlin' },
};

export type DeviceKind = 'phone' | 'desktop' | 'headless-bot' | 'disguised-bot';

export interface Device {
  kind: DeviceKind;
  ip: string;
  locale: string;
  timezoneId: string;
}

const GPUS = {
  desktop: 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 (0x00002504) Direct3D11 vs_5_0 ps_5_0, D3D11)',
  phone: 'Adreno (TM) 740',
};

/** What a real browser reports where headless Chromium differs (see the header). Runs before any page script. */
function personInitScript(gpu: string, desktop: boolean): string {
  return `(() => {
  const gpu = ${JSON.stringify(gpu)};
  for (const proto of [WebGLRenderingContext.prototype, typeof WebGL2RenderingContext === 'undefined' ? null : WebGL2RenderingContext.prototype]) {
    if (!proto) continue;
    const original = proto.getParameter;
    proto.getParameter = function (p) {
      if (p === 0x9246) return gpu; // UNMASKED_RENDERER_WEBGL
      if (p === 0x9245) return ${JSON.stringify(desktop ? 'Google Inc. (NVIDIA)' : 'Qualcomm')}; // UNMASKED_VENDOR_WEBGL
      return original.call(this, p);
    };
  }
  if (${desktop} && navigator.plugins.length === 0) {
    const names = ['PDF Viewer', 'Chrome PDF Viewer', 'Chromium PDF Viewer', 'Microsoft Edge PDF Viewer', 'WebKit built-in PDF'];
    const list = names.map((name) => ({ name, filename: 'internal-pdf-viewer', description: 'Portable Document Format', length: 0 }));
    Object.defineProperty(Navigator.prototype, 'plugins', { get: () => Object.assign(list, { item: (i) => list[i] ?? null, namedItem: (n) => list.find((p) => p.name === n) ?? null, refresh: () => {} }) });
  }
})();`;
}

/** A browser context for one person on one device. */
export async function newDeviceContext(browsers: Browsers, d: Device): Promise<BrowserContext> {
  const v = browsers.chromeMajor;
  const base: BrowserContextOptions = {
    locale: d.locale,
    timezoneId: d.timezoneId,
    extraHTTPHeaders: { 'x-forwarded-for': d.ip },
  };
  if (d.kind === 'headless-bot') {
    // Plain defaults: headless user agent, 1280×720, navigator.webdriver, SwiftShader.
    return browsers.bot.newContext(base);
  }
  const phone = d.kind === 'phone';
  const context = await browsers.person.newContext({
    ...base,
    ...(phone
      ? {
          userAgent: `Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v}.0.0.0 Mobile Safari/537.36`,
          viewport: { width: 412, height: 915 },
          screen: { width: 412, height: 915 },
          deviceScaleFactor: 2.625,
          isMobile: true,
          hasTouch: true,
        }
      : {
          userAgent: `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v}.0.0.0 Safari/537.36`,
          viewport: { width: 1536, height: 864 },
          screen: { width: 1920, height: 1080 },
          deviceScaleFactor: 1.25,
        }),
  });
  await context.addInitScript(personInitScript(phone ? GPUS.phone : GPUS.desktop, !phone));
  return context;
}
