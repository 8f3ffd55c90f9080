// Fixture contexts for the rules and the engine: a genuine employee, and deep overrides to build each attack.
import type { RiskContext } from '../../../src/domain/risk/context';
import { DEFAULT_POLICY, type RiskPolicy } from '../../../src/domain/risk/policy';
import type { RiskRule, RuleVerdict } from '../../../src/domain/risk/rules/base';

export type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends unknown[] ? T[K] : T[K] extends object | null ? DeepPartial<T[K]> : T[K];
};

const isPlain = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function merge<T>(base: T, over: unknown): T {
  if (!isPlain(over) || !isPlain(base)) return (over === undefined ? base : over) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = merge(out[k], v);
  return out as T;
}

/** A genuine employee in the UK on a home broadband line, Chrome on Windows, link by SMS to the mobile on file, four
 * right answers at a reading pace, the call code right. */
export const genuine = (): RiskContext => ({
  network: {
    status: 'ok',
    ip: '81.2.69.160',
    country: 'GB',
    asn: 2856,
    asnOrg: 'British Telecommunications PLC',
    hosting: false,
    vpn: false,
    tor: false,
    requesterLocationCountry: 'GB',
    otherRequestersSameIp: 0,
  },
  device: {
    collected: true,
    userAgent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
    browser: { name: 'Chrome', version: '130.0.0.0' },
    os: { name: 'Windows', version: 'NT 10.0' },
    platformType: 'desktop',
    clientHints: { present: true, mobile: false, platform: 'Windows', brands: ['Google Chrome', 'Chromium'] },
    clientHintsMismatches: [],
    automation: {
      webdriver: false,
      headlessUserAgent: false,
      softwareRenderer: false,
      noLanguages: false,
      noPluginsOnDesktopChrome: false,
    },
    timeZone: 'Europe/London',
    timeZoneCountries: ['GB', 'GG', 'IM', 'JE'],
    languages: ['en-GB', 'en'],
    screen: { w: 1920, h: 1080, dpr: 1 },
    maxTouchPoints: 0,
    screenTouchIssues: [],
    webglRenderer: 'ANGLE (Intel, Intel(R) UHD Graphics 620 Direct3D11 vs_5_0 ps_5_0, D3D11)',
    hardwareConcurrency: 8,
  },
  behaviour: {
    deliveryToOpenMs: 40_000,
    openToStartMs: 6_000,
    answerTimesMs: [4_200, 5_100, 3_900, 6_000],
    answerChanges: 0,
  },
  request: {
    initiatedBy: 'agent',
    channel: 'sms',
    destinationOnFile: true,
    destinationTypedByAgent: false,
    phoneChangedDaysAgo: 400,
    contactHistoryKnown: true,
    emailChangedDaysAgo: null,
    recentVerificationsForRequester: 0,
    recentVerificationsForDestination: 0,
    recentVerificationsByAgent: 6,
    destinationUsedForOtherRequester: false,
    openedOnOtherDevice: false,
  },
  challenge: {
    asked: 4,
    correct: 4,
    wrong: 0,
    skipped: 0,
    missedKinds: [],
    notEnoughQuestions: false,
    callCode: { asked: true, correct: true },
  },
  stepUp: { managerAttestation: 'not_requested' },
});

export const ctxWith = (over: DeepPartial<RiskContext> = {}): RiskContext => merge(genuine(), over);

export const policyWith = (over: DeepPartial<RiskPolicy> = {}): RiskPolicy => merge(DEFAULT_POLICY, over);

/** Runs one rule the way the engine does (its default weight unless the policy overrides it). */
export function run(
  rule: RiskRule,
  over: DeepPartial<RiskContext> = {},
  policy: RiskPolicy = DEFAULT_POLICY,
): RuleVerdict | null {
  return rule.evaluate(ctxWith(over), { weight: policy.weights[rule.id] ?? rule.weight, policy });
}
