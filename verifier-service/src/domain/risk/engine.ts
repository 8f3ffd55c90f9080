// The identity-assurance decision: every rule over the enriched context, points per category (capped), a 0–10
// score, the tenant's thresholds, then the gates Verified needs and the step-up. Pure: no I/O, no clock.
//
// How a result is reached, in order:
// 1. Each rule that fires adds points to its category; a category adds at most its cap (policy.categoryCaps); the
//    score is their sum, at most 10. score >= thresholds.high → High, >= medium → Medium, else Verified.
// 2. Floors: a rule may say the result can be no better than Medium (typed destination, SMS after a phone change,
//    Tor, a call code never entered…) or must be High (call code wrong, manager denied, destination used for
//    another requester, webdriver/headless). Missing data (network lookup unavailable, collector did not run, not
//    enough questions) adds its points and, with policy.missingData = 'medium' (default), keeps the result from
//    Verified: data that is missing is never read as clean.
// 3. Verified needs all three proofs (NIST SP 800-63A-4: knowledge is never the only one): possession of an on-file
//    contact (or, for a typed destination, an approved manager attestation when the policy lets it stand in), a
//    passed challenge (enough right answers, at most policy.challenge.allowedMisses wrong or skipped, the call code
//    right when asked), and clean silent signals (network + endpoint points below policy.silentCleanBelow). A
//    Verified score that misses one of them becomes Medium.
// 4. Outcome: High → failed. Not enough questions → incomplete. A step-up is required for a typed destination not
//    on file (always, S9) and at Medium (policy.stepUp.atMedium): approved → passed at the level reached; timed out
//    or no manager → failed; not yet answered → 'needs_step_up' (the lifecycle pends and asks the manager, then
//    decides again with the answer in the context). Otherwise passed. Only passed at Verified allows an action.
import type { RiskLevel } from '@imper/shared';
import { RECOMMENDATIONS } from '../decision';
import type { RiskContext } from './context';
import { DEFAULT_POLICY, RISK_CATEGORIES, type RiskCategory, type RiskPolicy } from './policy';
import { points as roundPoints, type RiskRule } from './rules/base';
import { DESTINATION_NOT_ON_FILE } from './rules/destination-not-on-file';
import { RULES } from './rules';

export type RiskOutcome = 'passed' | 'failed' | 'incomplete' | 'needs_step_up';

export interface FiredSignal {
  id: string;
  category: RiskCategory;
  /** The rule's effective weight (full strength) */
  weight: number;
  /** Points it added (0 when waived) */
  points: number;
  explanation: string;
  floor?: Exclude<RiskLevel, 'verified'>;
  missingData?: boolean;
  /** Set when another signal (manager-approved) lifted this one */
  waivedBy?: string;
}

export interface CategoryResult {
  /** Points this category added to the score (after its cap) */
  score: number;
  cap: number;
  signals: FiredSignal[];
}

export type VerifiedGate = 'possession' | 'challenge' | 'silent_signals' | 'missing_data';

export interface RiskDecision {
  /** 0–10, one decimal */
  score: number;
  riskLevel: RiskLevel;
  outcome: RiskOutcome;
  categories: Record<RiskCategory, CategoryResult>;
  /** What the agent reads on the ticket */
  recommendation: string;
  /** The lifecycle must ask the requester's manager to attest, then decide again */
  needsStepUp: boolean;
  /** Why a step-up is (or was) required: 'typed_destination' and/or 'medium_risk' */
  stepUpReasons: ('typed_destination' | 'medium_risk')[];
  /** The proofs Verified needs that were missing (empty when none was) */
  verifiedBlockedBy: VerifiedGate[];
  /** Missing data reported by the signals (ids) */
  missingData: string[];
}

export const RISK_RECOMMENDATIONS = {
  verified: RECOMMENDATIONS.verified,
  medium: RECOMMENDATIONS.medium,
  high: RECOMMENDATIONS.high,
  needsStepUp: "Awaiting the requester's manager's attestation - Do not proceed yet",
  stepUpFailed: 'Manager attestation was not received - Do not proceed; verify the requester another way',
  incomplete: 'Verification incomplete - Verify the requester another way before proceeding',
} as const;

const LEVEL_ORDER: Record<RiskLevel, number> = { verified: 0, medium: 1, high: 2 };
const worse = (a: RiskLevel, b: RiskLevel): RiskLevel => (LEVEL_ORDER[b] > LEVEL_ORDER[a] ? b : a);
const round1 = (n: number) => Math.round(n * 10) / 10;

export function evaluateRules(
  ctx: RiskContext,
  policy: RiskPolicy,
  rules: readonly RiskRule[] = RULES,
): FiredSignal[] {
  const disabled = new Set(policy.disabledRules);
  const fired: (FiredSignal & { waives?: string[] })[] = [];
  for (const rule of rules) {
    if (disabled.has(rule.id) && !rule.decisive) continue;
    const weight = policy.weights[rule.id] ?? rule.weight;
    const v = rule.evaluate(ctx, { weight, policy });
    if (!v) continue;
    fired.push({
      id: rule.id,
      category: rule.category,
      weight,
      points: roundPoints(v.points),
      explanation: v.explanation,
      ...(v.floor ? { floor: v.floor } : {}),
      ...(v.missingData ? { missingData: true } : {}),
      ...(v.waives ? { waives: v.waives } : {}),
    });
  }
  const waivedBy = new Map<string, string>();
  for (const s of fired) for (const id of s.waives ?? []) waivedBy.set(id, s.id);
  return fired.map(({ waives: _waives, ...s }) => {
    const by = waivedBy.get(s.id);
    if (!by) return s;
    const { floor: _floor, ...rest } = s;
    return { ...rest, points: 0, waivedBy: by };
  });
}

export function decide(ctx: RiskContext, policy: RiskPolicy = DEFAULT_POLICY): RiskDecision {
  const signals = evaluateRules(ctx, policy);

  const categories = Object.fromEntries(
    RISK_CATEGORIES.map((c) => {
      const mine = signals.filter((s) => s.category === c);
      const cap = policy.categoryCaps[c];
      const sum = mine.reduce((n, s) => n + s.points, 0);
      return [c, { score: round1(Math.min(cap, sum)), cap, signals: mine }];
    }),
  ) as Record<RiskCategory, CategoryResult>;
  const score = round1(
    Math.min(
      10,
      RISK_CATEGORIES.reduce((n, c) => n + categories[c].score, 0),
    ),
  );

  let level: RiskLevel =
    score >= policy.thresholds.high ? 'high' : score >= policy.thresholds.medium ? 'medium' : 'verified';
  for (const s of signals) if (s.floor) level = worse(level, s.floor);

  const missingData = signals.filter((s) => s.missingData).map((s) => s.id);
  const { challenge: ch, request: rq } = ctx;
  const verifiedBlockedBy: VerifiedGate[] = [];
  const possession =
    rq.destinationOnFile || signals.some((s) => s.id === DESTINATION_NOT_ON_FILE && s.waivedBy !== undefined);
  if (!possession) verifiedBlockedBy.push('possession');
  const challengePassed =
    !ch.notEnoughQuestions &&
    ch.correct >= policy.challenge.minCorrect &&
    ch.wrong + ch.skipped <= policy.challenge.allowedMisses &&
    (!ch.callCode.asked || ch.callCode.correct === true);
  if (!challengePassed) verifiedBlockedBy.push('challenge');
  if (categories.network.score + categories.endpoint.score >= policy.silentCleanBelow) {
    verifiedBlockedBy.push('silent_signals');
  }
  if (missingData.length > 0 && policy.missingData === 'medium') verifiedBlockedBy.push('missing_data');
  if (verifiedBlockedBy.length > 0) level = worse(level, 'medium');

  const stepUpReasons: RiskDecision['stepUpReasons'] = [];
  if (!rq.destinationOnFile) stepUpReasons.push('typed_destination');
  if (level === 'medium' && policy.stepUp.atMedium) stepUpReasons.push('medium_risk');

  let outcome: RiskOutcome;
  const attestation = ctx.stepUp.managerAttestation;
  if (level === 'high') outcome = 'failed';
  else if (ch.notEnoughQuestions) outcome = 'incomplete';
  else if (stepUpReasons.length === 0) outcome = 'passed';
  else if (attestation === 'approved') outcome = 'passed';
  else if (attestation === 'timed_out' || attestation === 'unavailable') outcome = 'failed';
  else outcome = 'needs_step_up';

  const recommendation =
    outcome === 'passed'
      ? RISK_RECOMMENDATIONS[level === 'verified' ? 'verified' : 'medium']
      : outcome === 'failed'
        ? level === 'high'
          ? RISK_RECOMMENDATIONS.high
          : RISK_RECOMMENDATIONS.stepUpFailed
        : outcome === 'incomplete'
          ? RISK_RECOMMENDATIONS.incomplete
          : RISK_RECOMMENDATIONS.needsStepUp;

  return {
    score,
    riskLevel: level,
    outcome,
    categories,
    recommendation,
    needsStepUp: outcome === 'needs_step_up',
    stepUpReasons,
    verifiedBlockedBy,
    missingData,
  };
}
