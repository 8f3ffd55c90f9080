// Browsers as the signal tests see them: user agents, Chrome-on-Windows client hints, and the portal collector's
// payload from such a browser (London, en-GB by default; override what a test is about).
import type { SignalsPayload } from '@imper/shared';
import { deviceHeaders } from '../../src/signals';

export const CHROME_WIN =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36';
export const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
export const HEADLESS =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/130.0.0.0 Safari/537.36';
export const CHROME_ANDROID =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36';
export const SAFARI_MAC =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';

export const CHROME_WIN_HINTS = {
  'sec-ch-ua': '"Chromium";v="130", "Google Chrome";v="130", "Not?A_Brand";v="99"',
  'sec-ch-ua-mobile': '?0',
  'sec-ch-ua-platform': '"Windows"',
};

/** The request headers of Chrome on Windows, as `deviceHeaders` reads them. */
export const chromeWinHeaders = (acceptLanguage = 'en-GB,en;q=0.9') =>
  deviceHeaders({ 'user-agent': CHROME_WIN, ...CHROME_WIN_HINTS, 'accept-language': acceptLanguage });

/** The collector's payload from Chrome on a Windows desktop. */
export const chromeWinPayload = (over: Partial<SignalsPayload> = {}): SignalsPayload => ({
  v: 1,
  userAgent: CHROME_WIN,
  webdriver: false,
  languages: ['en-GB', 'en'],
  timeZone: 'Europe/London',
  screen: { w: 1920, h: 1080, dpr: 1 },
  maxTouchPoints: 0,
  pluginsCount: 5,
  webglRenderer: 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)',
  userAgentData: { brands: [{ brand: 'Chromium', version: '130' }], mobile: false, platform: 'Windows' },
  hardwareConcurrency: 12,
  timings: { sinceNavigationMs: 700, domInteractiveMs: 300, collectMs: 4 },
  ...over,
});
