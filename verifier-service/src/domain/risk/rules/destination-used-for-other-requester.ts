import { defineRule } from './base';

/** The same phone or email was used lately to verify a different person: an attacker reuses their own phone. */
export const destinationUsedForOtherRequester = defineRule({
  id: 'destination-used-for-other-requester',
  category: 'persona',
  weight: 9,
  decisive: true,
  evaluate: (ctx, { weight }) =>
    ctx.request.destinationUsedForOtherRequester
      ? {
          points: weight,
          floor: 'high',
          explanation: 'The same destination was used lately to verify a different requester.',
        }
      : null,
});
