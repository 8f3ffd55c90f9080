import { defineRule } from './base';

/** The requester's manager says this request is not theirs: decisive. */
export const managerDenied = defineRule({
  id: 'manager-denied',
  category: 'persona',
  weight: 10,
  decisive: true,
  evaluate: (ctx, { weight }) =>
    ctx.stepUp.managerAttestation === 'denied'
      ? {
          points: weight,
          floor: 'high',
          explanation: "The requester's manager denied the request when asked to attest.",
        }
      : null,
});
