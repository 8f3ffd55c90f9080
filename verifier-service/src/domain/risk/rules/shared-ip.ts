import { defineRule } from './base';

/** One address verifying several different people is how an attacker working through a list looks. Offices
 * share one address too, so one other requester counts little and the points grow with the count. */
export const sharedIp = defineRule({
  id: 'shared-ip',
  category: 'network',
  weight: 3,
  evaluate: (ctx, { weight }) => {
    const n = ctx.network.otherRequestersSameIp;
    if (n < 1) return null;
    return {
      points: Math.min(weight, (weight * n) / 3),
      explanation: `The same IP address was used lately to verify ${n} other requester${n === 1 ? '' : 's'}.`,
    };
  },
});
