import { defineRule } from './base';

/** Many verifications lately to this destination: one phone or mailbox collecting links. */
export const verificationsManyForDestination = defineRule({
  id: 'verifications-many-for-destination',
  category: 'persona',
  weight: 2,
  evaluate: (ctx, { weight, policy }) => {
    const n = ctx.request.recentVerificationsForDestination;
    const limit = policy.context.manyForDestination;
    if (n < limit) return null;
    return {
      points: n >= limit * 2 ? weight * 1.5 : weight,
      explanation: `${n} verifications were sent to this destination lately (the policy flags ${limit} or more).`,
    };
  },
});
