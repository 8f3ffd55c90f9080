import type { SignalsPayload } from '@imper/shared';
import {
  clientHintsFrom,
  deviceContext,
  parseSecChUa,
  parseUserAgent,
  timeZoneCountries,
} from '../../src/signals/device';
import { automationMarkers } from '../../src/domain/risk/rules/automation-markers';
import { decide } from '../../src/domain/risk/engine';
import { DEFAULT_POLICY } from '../../src/domain/risk/policy';
import { genuine } from '../domain/risk/fixtures';
import {
  CHROME_ANDROID,
  CHROME_WIN,
  HEADLESS,
  SAFARI_IPHONE,
  SAFARI_MAC,
  chromeWinPayload,
} from './fixtures';

const DESKTOP_HINTS = {
  secChUa: '"Chromium";v="130", "Google Chrome";v="130", "Not?A_Brand";v="99"',
  secChUaMobile: '?0',
  secChUaPlatform: '"Windows"',
};

const payload = (over: Partial<SignalsPayload> = {}): SignalsPayload =>
  chromeWinPayload({
    webglRenderer: 'ANGLE (Intel, Intel(R) UHD Graphics 620 Direct3D11 vs_5_0 ps_5_0, D3D11)',
    userAgentData: {
      brands: [
        { brand: 'Chromium', version: '130' },
        { brand: 'Google Chrome', version: '130' },
        { brand: 'Not?A_Brand', version: '99' },
      ],
      mobile: false,
      platform: 'Windows',
    },
    hardwareConcurrency: 8,
    timings: { sinceNavigationMs: 900, domInteractiveMs: 400, collectMs: 12 },
    ...over,
  });

describe('device signals', () => {
  it('Chrome on Windows desktop with matching client hints: consistent, no markers', () => {
    const d = deviceContext({ userAgent: CHROME_WIN, ...DESKTOP_HINTS }, payload());
    expect(d).toMatchObject({
      collected: true,
      browser: { name: 'Chrome', version: '130.0.0.0' },
      os: { name: 'Windows' },
      platformType: 'desktop',
      clientHints: {
        present: true,
        mobile: false,
        platform: 'Windows',
        brands: ['Chromium', 'Google Chrome'],
      },
      clientHintsMismatches: [],
      screenTouchIssues: [],
      timeZoneCountries: expect.arrayContaining(['GB']),
    });
    expect(Object.values(d.automation).some(Boolean)).toBe(false);
    const ctx = genuine();
    ctx.device = d;
    expect(decide(ctx).riskLevel).toBe('verified');
  });

  it('Safari on iPhone (no client hints): a touch phone, consistent', () => {
    const d = deviceContext(
      { userAgent: SAFARI_IPHONE },
      payload({
        userAgent: SAFARI_IPHONE,
        userAgentData: null,
        screen: { w: 393, h: 852, dpr: 3 },
        maxTouchPoints: 5,
        pluginsCount: 0,
        webglRenderer: 'Apple GPU',
      }),
    );
    expect(d).toMatchObject({
      browser: { name: 'Safari' },
      os: { name: 'iOS' },
      platformType: 'mobile',
      clientHints: { present: false },
      clientHintsMismatches: [],
      screenTouchIssues: [],
    });
    expect(d.automation.noPluginsOnDesktopChrome).toBe(false);
  });

  it('HeadlessChrome with webdriver and SwiftShader: the automation markers a bot leaves', () => {
    const d = deviceContext(
      {
        userAgent: HEADLESS,
        secChUa: '"Chromium";v="130", "HeadlessChrome";v="130"',
        secChUaMobile: '?0',
        secChUaPlatform: '"Linux"',
      },
      payload({
        userAgent: HEADLESS,
        webdriver: true,
        languages: [],
        screen: { w: 800, h: 600, dpr: 1 },
        pluginsCount: 0,
        webglRenderer:
          'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)',
        userAgentData: null,
      }),
    );
    expect(d.automation).toEqual({
      webdriver: true,
      headlessUserAgent: true,
      softwareRenderer: true,
      noLanguages: true,
      noPluginsOnDesktopChrome: true,
    });
    expect(
      automationMarkers.evaluate({ ...genuine(), device: d }, { weight: 8, policy: DEFAULT_POLICY }),
    ).toMatchObject({
      floor: 'high',
    });
  });

  it('a spoofed mobile user agent with desktop client hints: mismatch, and a phone with no touch on a big screen', () => {
    const d = deviceContext(
      { userAgent: CHROME_ANDROID, ...DESKTOP_HINTS },
      payload({ userAgent: CHROME_ANDROID, screen: { w: 1920, h: 1080, dpr: 1 }, maxTouchPoints: 0 }),
    );
    expect(d.platformType).toBe('mobile');
    expect(d.clientHintsMismatches).toEqual(
      expect.arrayContaining([
        'the user agent claims a mobile device, the client hints say not mobile',
        'the user agent claims Android, the client hints say Windows',
      ]),
    );
    expect(d.screenTouchIssues).toEqual(
      expect.arrayContaining([
        'a phone user agent without touch support',
        'a phone user agent with a 1920×1080 screen',
      ]),
    );
  });

  it('a Safari user agent with Chromium client hints, or a stale Chrome version: mismatch', () => {
    expect(
      deviceContext({ userAgent: SAFARI_MAC, ...DESKTOP_HINTS, secChUaPlatform: '"macOS"' }, null)
        .clientHintsMismatches,
    ).toEqual(['the user agent claims Safari, but the client hints come from a Chromium browser']);
    const old = CHROME_WIN.replace('Chrome/130', 'Chrome/99');
    expect(deviceContext({ userAgent: old, ...DESKTOP_HINTS }, null).clientHintsMismatches).toEqual([
      'the user agent claims Chrome 99, the client hints say Chromium 130',
    ]);
  });

  it('the page reading a different user agent than the request sent: mismatch', () => {
    const d = deviceContext({ userAgent: CHROME_WIN }, payload({ userAgent: SAFARI_IPHONE }));
    expect(d.clientHintsMismatches).toContain(
      'the user agent sent with the request differs from the one the page reads',
    );
  });

  it('a 0×0 screen is flagged; a touch Mac is an iPad, not an issue', () => {
    expect(
      deviceContext({ userAgent: CHROME_WIN }, payload({ screen: { w: 0, h: 0, dpr: 1 } })).screenTouchIssues,
    ).toEqual(['the screen is 0×0']);
    const ipad = deviceContext(
      { userAgent: SAFARI_MAC },
      payload({
        userAgent: SAFARI_MAC,
        userAgentData: null,
        maxTouchPoints: 5,
        screen: { w: 820, h: 1180, dpr: 2 },
      }),
    );
    expect(ipad).toMatchObject({ platformType: 'tablet', screenTouchIssues: [] });
  });

  it('no collector payload: not collected, languages from Accept-Language, no automation verdicts', () => {
    const d = deviceContext({ userAgent: CHROME_WIN, acceptLanguage: 'de-DE,de;q=0.9,en;q=0.8' }, null);
    expect(d).toMatchObject({
      collected: false,
      languages: ['de-DE', 'de', 'en'],
      screen: null,
      timeZone: null,
    });
    expect(d.automation.noLanguages).toBe(false);
  });

  it('parses Sec-CH-UA without the greased brand, and falls back to navigator.userAgentData', () => {
    expect(parseSecChUa(DESKTOP_HINTS.secChUa)).toEqual([
      { brand: 'Chromium', version: '130' },
      { brand: 'Google Chrome', version: '130' },
    ]);
    expect(clientHintsFrom({}, payload().userAgentData)).toMatchObject({
      mobile: false,
      platform: 'Windows',
    });
    expect(clientHintsFrom({}, null)).toBeNull();
  });

  it('maps time zones to countries (and UTC to none)', () => {
    expect(timeZoneCountries('Europe/Madrid')).toEqual(['ES']);
    expect(timeZoneCountries('Asia/Calcutta')).toEqual(['IN']);
    expect(timeZoneCountries('UTC')).toBeNull();
    expect(timeZoneCountries('Mars/Olympus')).toBeNull();
  });

  it('parses an empty or odd user agent without throwing', () => {
    expect(parseUserAgent('')).toMatchObject({ platformType: 'unknown' });
    expect(parseUserAgent('curl/8.5.0').platformType).toBe('unknown');
  });
});
