// The decision behind a verification. This first version weighs possession of the link together with context
// (is the destination a contact on file, did the requester's contacts change recently). The identity-assurance
// engine of a later issue replaces it by implementing the same interface.
import type { Outcome, RiskLevel } from '@imper/shared';

export interface DecisionInput {
  linkPossessed: boolean;
  destinationOnFile: boolean;
  channel: 'email' | 'sms';
  requesterContactChangedDaysAgo: number | null; // S10: a recent phone/email change is a risk signal
  openedFromSeveralDevices: boolean;
}

export interface Decision {
  outcome: Extract<Outcome, 'passed' | 'failed'>;
  riskLevel: RiskLevel;
  score: number; // 0..10
  reasons: string[]; // internal; never shown to agents or requesters
  recommendation: string; // what the agent reads on the ticket
}

export interface Decider {
  decide(input: DecisionInput): Decision;
}

export const RECOMMENDATIONS = {
  verified: 'User verified successfully - Proceed with action',
  medium: 'Medium risk - Confirm the request through another channel before proceeding',
  high: 'High risk detected - Reject this request',
} as const;

export interface Thresholds {
  medium: number; // score >= medium → medium
  high: number; // score >= high → high (failed)
}

export const DEFAULT_THRESHOLDS: Thresholds = { medium: 3, high: 7 };

export function createPossessionDecider(
  thresholds: Thresholds = DEFAULT_THRESHOLDS,
  recentChangeDays = 14,
): Decider {
  return {
    decide(input) {
      const reasons: string[] = [];
      let score = 0;
      if (!input.linkPossessed) {
        score += 10;
        reasons.push('link_not_possessed');
      }
      if (!input.destinationOnFile) {
        score += 5;
        reasons.push('destination_not_on_file');
      }
      if (
        input.requesterContactChangedDaysAgo !== null &&
        input.requesterContactChangedDaysAgo < recentChangeDays
      ) {
        score += input.channel === 'sms' ? 3 : 2;
        reasons.push('contact_changed_recently');
      }
      if (input.openedFromSeveralDevices) {
        score += 3;
        reasons.push('opened_from_several_devices');
      }
      score = Math.min(score, 10);
      const riskLevel: RiskLevel =
        score >= thresholds.high ? 'high' : score >= thresholds.medium ? 'medium' : 'verified';
      return {
        outcome: riskLevel === 'high' ? 'failed' : 'passed',
        riskLevel,
        score,
        reasons,
        recommendation: RECOMMENDATIONS[riskLevel],
      };
    },
  };
}
