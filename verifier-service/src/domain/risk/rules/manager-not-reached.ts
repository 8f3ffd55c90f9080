import { defineRule } from './base';

/** The step-up could not be completed: the manager did not answer in time, or there is no manager to ask. The
 * engine fails a result that needed it; this rule records why. */
export const managerNotReached = defineRule({
  id: 'manager-not-reached',
  category: 'persona',
  weight: 1,
  evaluate: (ctx, { weight }) => {
    const s = ctx.stepUp.managerAttestation;
    if (s !== 'timed_out' && s !== 'unavailable') return null;
    return {
      points: weight,
      explanation:
        s === 'timed_out'
          ? "The requester's manager did not answer the attestation request in time."
          : 'The requester has no manager on file to attest the request.',
    };
  },
});
