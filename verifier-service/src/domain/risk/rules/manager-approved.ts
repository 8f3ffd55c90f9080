import { defineRule } from './base';
import { DESTINATION_NOT_ON_FILE } from './destination-not-on-file';

/** The requester's manager attested the request. What that does is explicit in the policy
 * (`stepUp.typedDestinationApprovedUpTo`):
 * - 'verified' (default): the attestation stands in for the missing on-file possession, so it lifts the
 *   destination-not-on-file signal (points and floor). Every other signal still counts: a bot or a wrong call code
 *   stays High.
 * - 'medium': the attestation satisfies the step-up (the engine passes at Medium) but lifts nothing.
 * Either way it adds no points and never lowers other signals. */
export const managerApproved = defineRule({
  id: 'manager-approved',
  category: 'persona',
  weight: 0,
  evaluate: (ctx, { policy }) => {
    if (ctx.stepUp.managerAttestation !== 'approved') return null;
    const lifts = policy.stepUp.typedDestinationApprovedUpTo === 'verified' && !ctx.request.destinationOnFile;
    return {
      points: 0,
      ...(lifts ? { waives: [DESTINATION_NOT_ON_FILE] } : {}),
      explanation: lifts
        ? "The requester's manager attested the request, which stands in for the destination not being on file."
        : "The requester's manager attested the request.",
    };
  },
});
