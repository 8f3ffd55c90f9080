import { defineRule } from './base';

/** An unusual number of verifications started by one agent: a compromised or coerced agent account. Agents start
 * many on a normal day, so the policy's limit is high and the weight low. */
export const verificationsManyByAgent = defineRule({
  id: 'verifications-many-by-agent',
  category: 'persona',
  weight: 1,
  evaluate: (ctx, { weight, policy }) => {
    if (ctx.request.initiatedBy !== 'agent') return null;
    const n = ctx.request.recentVerificationsByAgent;
    const limit = policy.context.manyByAgent;
    if (n < limit) return null;
    return {
      points: n >= limit * 2 ? weight * 1.5 : weight,
      explanation: `${n} verifications were started by this agent lately (the policy flags ${limit} or more).`,
    };
  },
});
