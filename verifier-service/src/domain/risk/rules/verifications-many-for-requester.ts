import { defineRule } from './base';

/** Many verifications lately for this requester: someone retrying until one gets through. */
export const verificationsManyForRequester = defineRule({
  id: 'verifications-many-for-requester',
  category: 'persona',
  weight: 2,
  evaluate: (ctx, { weight, policy }) => {
    const n = ctx.request.recentVerificationsForRequester;
    const limit = policy.context.manyForRequester;
    if (n < limit) return null;
    return {
      points: n >= limit * 2 ? weight * 1.5 : weight,
      explanation: `${n} verifications for this requester lately (the policy flags ${limit} or more).`,
    };
  },
});
