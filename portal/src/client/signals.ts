/// <reference lib="dom" />
// The requester's browser collector: gathers the silent device and browser signals the risk engine reads
// (SignalsPayload in @imper/shared, validated by the service's route). No dependencies, no inline script, nothing
// stored on the device; every value is clamped to the schema's limits here so a real browser never fails it.
// requester.ts posts `collectSignals()` with Start, as JSON in the start form's hidden `signals` field.
import type { SignalsPayload } from '@imper/shared';

// eslint-disable-next-line no-control-regex -- stripping control characters is the point (the schema refuses them)
const CONTROL = /[\u0000-\u001f\u007f]/g;
const str = (v: unknown, max: number): string =>
  typeof v === 'string' ? v.replace(CONTROL, '').slice(0, max) : '';
const int = (v: unknown, min: number, max: number): number => {
  const n = Math.round(Number(v));
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : min;
};
const ms = (v: unknown) => int(v, 0, 86_400_000);

interface NavigatorUAData {
  brands?: { brand?: unknown; version?: unknown }[];
  mobile?: unknown;
  platform?: unknown;
}

function webglRenderer(): string | null {
  try {
    const canvas = document.createElement('canvas');
    const gl = (canvas.getContext('webgl') ??
      canvas.getContext('experimental-webgl')) as WebGLRenderingContext | null;
    if (!gl) return null;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const r: unknown = gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER);
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return typeof r === 'string' ? str(r, 256) : null;
  } catch {
    return null;
  }
}

function timeZone(): string | null {
  try {
    const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    return typeof tz === 'string' && /^[A-Za-z0-9_+/-]{1,64}$/.test(tz) ? tz : null;
  } catch {
    return null;
  }
}

function userAgentData(nav: Navigator): SignalsPayload['userAgentData'] {
  const d = (nav as Navigator & { userAgentData?: NavigatorUAData }).userAgentData;
  if (!d || typeof d !== 'object') return null;
  return {
    brands: (Array.isArray(d.brands) ? d.brands : [])
      .slice(0, 10)
      .map((b) => ({ brand: str(b?.brand, 100), version: str(b?.version, 40) })),
    mobile: d.mobile === true,
    platform: str(d.platform, 40),
  };
}

function domInteractive(): number | null {
  try {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    return nav && nav.domInteractive > 0 ? ms(nav.domInteractive) : null;
  } catch {
    return null;
  }
}

/** Reads the signals once; never throws (a missing API gives its "unknown" value). */
export function collectSignals(): SignalsPayload {
  const t0 = performance.now();
  const nav = navigator;
  const scr = typeof screen === 'undefined' ? undefined : screen;
  const languages = (Array.isArray(nav.languages) ? nav.languages : [])
    .filter((l): l is string => typeof l === 'string' && /^[A-Za-z0-9-]{1,35}$/.test(l))
    .slice(0, 20);
  const payload: SignalsPayload = {
    v: 1,
    userAgent: str(nav.userAgent, 512),
    webdriver: typeof nav.webdriver === 'boolean' ? nav.webdriver : null,
    languages,
    timeZone: timeZone(),
    screen: {
      w: int(scr?.width, 0, 100_000),
      h: int(scr?.height, 0, 100_000),
      dpr: Math.min(20, Math.max(0, Number(window.devicePixelRatio) || 0)),
    },
    maxTouchPoints: int(nav.maxTouchPoints, 0, 256),
    pluginsCount: int(nav.plugins?.length, 0, 1_000),
    webglRenderer: webglRenderer(),
    userAgentData: userAgentData(nav),
    hardwareConcurrency:
      typeof nav.hardwareConcurrency === 'number' ? int(nav.hardwareConcurrency, 0, 1_024) : null,
    timings: { sinceNavigationMs: ms(t0), domInteractiveMs: domInteractive(), collectMs: 0 },
  };
  payload.timings.collectMs = ms(performance.now() - t0);
  return payload;
}
