// User agent → device (bowser, MIT; ua-parser-js 2.x is AGPL), compared with the browser's client hints
// (Sec-CH-UA* headers and/or the collector's navigator.userAgentData), plus the collector's payload, into the
// device part of the risk context. Pure functions: the route passes the headers and the validated payload.
import Bowser from 'bowser';
import { getTimezone } from 'countries-and-timezones';
import type { SignalsPayload, UserAgentData } from '@imper/shared';
import type { DeviceContext, PlatformType } from '../domain/risk/context';

export interface DeviceHeaders {
  userAgent?: string | undefined;
  /** Sec-CH-UA, e.g. `"Chromium";v="130", "Google Chrome";v="130", "Not?A_Brand";v="99"` */
  secChUa?: string | undefined;
  /** Sec-CH-UA-Mobile: `?0` / `?1` */
  secChUaMobile?: string | undefined;
  /** Sec-CH-UA-Platform, e.g. `"Windows"` */
  secChUaPlatform?: string | undefined;
  acceptLanguage?: string | undefined;
}

export interface ClientHints {
  brands: { brand: string; version: string }[];
  mobile: boolean | null;
  platform: string | null;
}

export interface ParsedUserAgent {
  browser: { name: string | null; version: string | null };
  os: { name: string | null; version: string | null };
  platformType: PlatformType;
  engine: string | null;
}

const orNull = (s: string | undefined) => (s ? s : null);

export function parseUserAgent(ua: string | null | undefined): ParsedUserAgent {
  if (!ua)
    return {
      browser: { name: null, version: null },
      os: { name: null, version: null },
      platformType: 'unknown',
      engine: null,
    };
  const r = Bowser.parse(ua);
  const t = r.platform.type;
  return {
    browser: { name: orNull(r.browser.name), version: orNull(r.browser.version) },
    os: { name: orNull(r.os.name), version: orNull(r.os.version) },
    platformType: t === 'mobile' || t === 'tablet' || t === 'desktop' ? t : 'unknown',
    engine: orNull(r.engine.name),
  };
}

/** Sec-CH-UA structured header: a list of `"brand";v="version"`. Greased brands ("Not?A_Brand") are dropped. */
export function parseSecChUa(value: string): { brand: string; version: string }[] {
  const out: { brand: string; version: string }[] = [];
  for (const m of value.matchAll(/"((?:[^"\\]|\\.)*)"\s*;\s*v\s*=\s*"((?:[^"\\]|\\.)*)"/g)) {
    const brand = m[1]!.slice(0, 100);
    if (!isGrease(brand)) out.push({ brand, version: m[2]!.slice(0, 40) });
    if (out.length >= 10) break;
  }
  return out;
}

const isGrease = (brand: string) => /not.?a.?brand/i.test(brand) || /^[\s\W]*$/.test(brand);
const unquote = (s: string) => s.trim().replace(/^"(.*)"$/, '$1');

/** The client hints as the headers give them, else as the collector read them; null when neither has any. */
export function clientHintsFrom(h: DeviceHeaders, uad: UserAgentData | null | undefined): ClientHints | null {
  if (h.secChUa || h.secChUaMobile || h.secChUaPlatform) {
    return {
      brands: h.secChUa ? parseSecChUa(h.secChUa) : [],
      mobile: h.secChUaMobile === '?1' ? true : h.secChUaMobile === '?0' ? false : null,
      platform: h.secChUaPlatform ? unquote(h.secChUaPlatform) || null : null,
    };
  }
  if (uad) {
    return {
      brands: uad.brands.filter((b) => !isGrease(b.brand)),
      mobile: uad.mobile,
      platform: uad.platform || null,
    };
  }
  return null;
}

const normOs = (s: string) => s.toLowerCase().replace(/[\s_-]/g, '');
const CHROMIUM_BROWSERS = /chrome|chromium|edge|opera|samsung|vivaldi|brave|yandex|whale|electron/i;

/** Why the user agent and the client hints disagree (empty when they agree, or when there are no hints). */
export function compareClientHints(
  ua: string | null,
  parsed: ParsedUserAgent,
  hints: ClientHints | null,
  jsHints?: UserAgentData | null,
): string[] {
  const out: string[] = [];
  if (!hints) return out;
  if (hints.mobile !== null && parsed.platformType !== 'unknown') {
    if (hints.mobile && parsed.platformType !== 'mobile') {
      out.push(`the user agent claims a ${parsed.platformType} device, the client hints say mobile`);
    }
    if (!hints.mobile && parsed.platformType === 'mobile') {
      out.push('the user agent claims a mobile device, the client hints say not mobile');
    }
  }
  if (hints.platform && hints.platform !== 'Unknown' && parsed.os.name) {
    const a = normOs(hints.platform);
    const b = normOs(parsed.os.name);
    if (a !== b) out.push(`the user agent claims ${parsed.os.name}, the client hints say ${hints.platform}`);
  }
  const chromium = hints.brands.find((b) => /^chromium$/i.test(b.brand));
  if (hints.brands.length > 0 && parsed.browser.name && !CHROMIUM_BROWSERS.test(parsed.browser.name)) {
    out.push(
      `the user agent claims ${parsed.browser.name}, but the client hints come from a Chromium browser`,
    );
  } else if (chromium && ua) {
    const m = /(?:Chrome|HeadlessChrome|CriOS)\/(\d+)/.exec(ua);
    const major = chromium.version.split('.')[0];
    if (m && major && m[1] !== major) {
      out.push(`the user agent claims Chrome ${m[1]}, the client hints say Chromium ${major}`);
    }
  }
  if (jsHints && hints !== null && jsHints.mobile !== hints.mobile && hints.mobile !== null) {
    out.push('the client hints in the request differ from those the page reads');
  }
  return out;
}

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software rasterizer|mesa offscreen/i;
const HEADLESS_UA = /headless|phantomjs|slimerjs/i;

/** Countries that use an IANA time zone, null when unknown or not tied to a country (UTC, Etc/…). */
export function timeZoneCountries(tz: string | null): string[] | null {
  if (!tz) return null;
  const z = getTimezone(tz);
  if (!z) return null;
  const countries =
    z.countries.length > 0 ? z.countries : z.aliasOf ? (getTimezone(z.aliasOf)?.countries ?? []) : [];
  return countries.length > 0 ? [...countries] : null;
}

/** Accept-Language → tags, best first (used only when the collector did not run). */
export function parseAcceptLanguage(v: string | undefined): string[] {
  if (!v) return [];
  return v
    .split(',')
    .map((p) => p.split(';')[0]!.trim())
    .filter((t) => /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(t))
    .slice(0, 20);
}

/** The device part of the risk context from the request headers and the collector's payload (null when the
 * collector did not run or its payload was invalid). */
export function deviceContext(h: DeviceHeaders, payload: SignalsPayload | null): DeviceContext {
  const headerUa = h.userAgent?.slice(0, 512) || null;
  const ua = headerUa ?? payload?.userAgent ?? null;
  const parsed = parseUserAgent(ua);
  const hints = clientHintsFrom(h, payload?.userAgentData);
  const mismatches = compareClientHints(ua, parsed, hints, payload?.userAgentData);
  if (payload && headerUa && payload.userAgent && payload.userAgent !== headerUa) {
    mismatches.push('the user agent sent with the request differs from the one the page reads');
  }

  let platformType = parsed.platformType;
  const touch = payload?.maxTouchPoints ?? null;
  // iPadOS Safari presents itself as a Mac; a touch "Mac" is an iPad.
  if (parsed.os.name === 'macOS' && touch !== null && touch > 1) platformType = 'tablet';

  const issues: string[] = [];
  if (payload) {
    const { w, h: ht } = payload.screen;
    const short = Math.min(w, ht);
    if (w === 0 || ht === 0) issues.push(`the screen is ${w}×${ht}`);
    if (platformType === 'mobile' && touch === 0) issues.push('a phone user agent without touch support');
    if (platformType === 'mobile' && short >= 1000)
      issues.push(`a phone user agent with a ${w}×${ht} screen`);
    if (platformType === 'desktop' && touch !== null && touch > 0 && short > 0 && short < 500) {
      issues.push(`a desktop user agent on a ${w}×${ht} touch screen`);
    }
  }

  const languages = payload ? payload.languages : parseAcceptLanguage(h.acceptLanguage);
  const tz = payload?.timeZone ?? null;
  return {
    collected: payload !== null,
    userAgent: ua,
    browser: parsed.browser,
    os: parsed.os,
    platformType,
    clientHints: hints
      ? {
          present: true,
          mobile: hints.mobile,
          platform: hints.platform,
          brands: hints.brands.map((b) => b.brand),
        }
      : { present: false, mobile: null, platform: null, brands: [] },
    clientHintsMismatches: mismatches,
    automation: {
      webdriver: payload?.webdriver === true,
      headlessUserAgent: !!ua && HEADLESS_UA.test(ua),
      softwareRenderer: !!payload?.webglRenderer && SOFTWARE_RENDERER.test(payload.webglRenderer),
      noLanguages: payload !== null && payload.languages.length === 0,
      noPluginsOnDesktopChrome:
        payload !== null &&
        parsed.browser.name === 'Chrome' &&
        platformType === 'desktop' &&
        payload.pluginsCount === 0,
    },
    timeZone: tz,
    timeZoneCountries: timeZoneCountries(tz),
    languages,
    screen: payload ? { ...payload.screen } : null,
    maxTouchPoints: touch,
    screenTouchIssues: issues,
    webglRenderer: payload?.webglRenderer ?? null,
    hardwareConcurrency: payload?.hardwareConcurrency ?? null,
  };
}
