// The policy the engine decides with: thresholds, caps, weights and the step-up and missing-data choices. One
// policy per tenant, optionally overridden per request category (password reset may be stricter than an access
// request): `mergePolicy(tenant, categoryOverride)`.
import type { RiskLevel } from '@imper/shared';

export const RISK_CATEGORIES = ['network', 'endpoint', 'persona', 'challenge'] as const;
/** As imper.ai reports them; device metadata is reported with endpoint. */
export type RiskCategory = (typeof RISK_CATEGORIES)[number];

export interface RiskPolicy {
  /** score >= medium → Medium; score >= high → High (score 0–10) */
  thresholds: { medium: number; high: number };
  /** The most one category may add to the score (a noisy category cannot decide alone) */
  categoryCaps: Record<RiskCategory, number>;
  /** Weight overrides by rule id (see each rule's default weight) */
  weights: Record<string, number>;
  /** Rules switched off for this tenant/category (by id). Decisive rules (call code wrong, manager denied,
   * destination used for another requester) cannot be switched off. */
  disabledRules: string[];
  /** Silent signals (network + endpoint) count as clean below this many points: Verified needs them clean */
  silentCleanBelow: number;
  challenge: {
    /** Verified needs at least this many knowledge questions asked and answered right… */
    minCorrect: number;
    /** …and at most this many wrong or skipped */
    allowedMisses: number;
    /** Answers faster than this (ms) are below human reading time */
    tooFastMs: number;
    /** Answers slower than this (ms) leave time to look the answer up */
    tooSlowMs: number;
  };
  context: {
    /** S10: a phone/email change within this many days is a risk signal */
    recentContactChangeDays: number;
    /** Verifications lately from which the count is a signal */
    manyForRequester: number;
    manyForDestination: number;
    manyByAgent: number;
  };
  stepUp: {
    /** Medium asks the requester's manager to attest before passing (PRODUCT F4). When false, Medium passes at
     * Medium (never allowing an automated action). A typed destination not on file always needs attestation. */
    atMedium: boolean;
    /** What an approved attestation does to an agent-typed destination that is not on file: 'verified' lifts that
     * signal entirely (the rest of the checks still have to be clean), 'medium' satisfies the step-up but keeps the
     * result at Medium (passed, no automated action). */
    typedDestinationApprovedUpTo: Extract<RiskLevel, 'verified' | 'medium'>;
  };
  /** Missing data (network lookup unavailable, collector did not run): 'medium' = it adds its points and the
   * result cannot be Verified (authentik: refuse to pass without data); 'points' = it only adds its points. */
  missingData: 'medium' | 'points';
  /** A loopback/private/documentation client address has no geo data. 'missing' (default): treat it as missing
   * network data (behind a misconfigured proxy every requester would look internal, and the network checks must not
   * pass silently). 'internal': the tenant serves requesters on its own network (or it is the demo), so such an
   * address is no signal. */
  reservedAddresses: 'missing' | 'internal';
}

export const DEFAULT_POLICY: RiskPolicy = {
  thresholds: { medium: 3, high: 7 },
  categoryCaps: { network: 7, endpoint: 10, persona: 10, challenge: 10 },
  weights: {},
  disabledRules: [],
  silentCleanBelow: 3,
  challenge: { minCorrect: 3, allowedMisses: 0, tooFastMs: 1500, tooSlowMs: 45_000 },
  context: { recentContactChangeDays: 14, manyForRequester: 3, manyForDestination: 3, manyByAgent: 25 },
  stepUp: { atMedium: true, typedDestinationApprovedUpTo: 'verified' },
  missingData: 'medium',
  reservedAddresses: 'missing',
};

export type PolicyOverride = {
  [K in keyof RiskPolicy]?: RiskPolicy[K] extends unknown[]
    ? RiskPolicy[K]
    : RiskPolicy[K] extends object
      ? Partial<RiskPolicy[K]>
      : RiskPolicy[K];
};

/** The tenant's policy with a request category's override on top (one level deep; arrays replace). */
export function mergePolicy(base: RiskPolicy, ...overrides: (PolicyOverride | undefined)[]): RiskPolicy {
  let out: RiskPolicy = base;
  for (const o of overrides) {
    if (!o) continue;
    const next = { ...out } as Record<string, unknown>;
    for (const [k, v] of Object.entries(o)) {
      if (v === undefined) continue;
      const cur = (out as unknown as Record<string, unknown>)[k];
      next[k] =
        typeof v === 'object' && v !== null && !Array.isArray(v) && typeof cur === 'object'
          ? { ...(cur as object), ...v }
          : v;
    }
    out = next as unknown as RiskPolicy;
  }
  return out;
}

/** Refuses a policy that cannot work (thresholds out of order or out of 0–10, negative weights). */
export function assertValidPolicy(p: RiskPolicy): void {
  const { medium, high } = p.thresholds;
  if (!(medium > 0 && medium < high && high <= 10)) {
    throw new Error(`risk policy: thresholds must satisfy 0 < medium < high <= 10 (got ${medium}, ${high})`);
  }
  for (const [id, w] of Object.entries(p.weights)) {
    if (!(Number.isFinite(w) && w >= 0 && w <= 10))
      throw new Error(`risk policy: weight of ${id} must be 0–10`);
  }
  for (const [c, cap] of Object.entries(p.categoryCaps)) {
    if (!(Number.isFinite(cap) && cap >= 0 && cap <= 10))
      throw new Error(`risk policy: cap of ${c} must be 0–10`);
  }
}
