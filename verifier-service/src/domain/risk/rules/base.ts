// The shared base of every risk rule (logto's adaptive-MFA `base-rule.ts` shape): an id, the category it is
// reported under, a default weight, and a pure `evaluate` over the enriched context that returns a verdict with
// its reason in plain words, or null when it does not fire. Explanations are English for the console's analysis
// report; they never reach agents or requesters.
import type { RiskLevel } from '@imper/shared';
import type { RiskContext } from '../context';
import type { RiskCategory, RiskPolicy } from '../policy';

export interface RuleVerdict {
  /** Points this rule adds to its category (0–10; usually its weight, or a share of it) */
  points: number;
  explanation: string;
  /** The best risk level the result can reach while this rule fires ('medium' = never Verified, 'high' = always
   * High). Decisive rules use 'high'. */
  floor?: Exclude<RiskLevel, 'verified'>;
  /** This verdict reports missing data (handled per `policy.missingData`) */
  missingData?: boolean;
  /** Ids of other rules whose points and floor this verdict lifts (manager attestation) */
  waives?: string[];
}

export interface RuleInput {
  /** The rule's effective weight (its default, or the policy's override) */
  weight: number;
  policy: RiskPolicy;
}

export interface RiskRule {
  id: string;
  category: RiskCategory;
  /** Default weight: the points it adds at full strength */
  weight: number;
  /** Decisive rules cannot be switched off by a policy */
  decisive?: boolean;
  evaluate(ctx: RiskContext, input: RuleInput): RuleVerdict | null;
}

export const defineRule = (rule: RiskRule): RiskRule => rule;

/** Points rounded to one decimal, within 0–10. */
export const points = (n: number): number => Math.round(Math.min(10, Math.max(0, n)) * 10) / 10;

/** "AS16509 Amazon.com, Inc." for explanations */
export const asnLabel = (n: { asn: number | null; asnOrg: string | null }): string =>
  `AS${n.asn ?? '?'}${n.asnOrg ? ` ${n.asnOrg}` : ''}`;
