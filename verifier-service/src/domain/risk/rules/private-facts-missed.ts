import { defineRule } from './base';

/** Manager, department and location can be found on social networks; groups, assets and recent tickets cannot.
 * Missing those while knowing the public ones is how an informed outsider looks. */
export const PRIVATE_KINDS = new Set(['group', 'asset', 'recent_ticket']);

export const privateFactsMissed = defineRule({
  id: 'private-facts-missed',
  category: 'challenge',
  weight: 2,
  evaluate: (ctx, { weight }) => {
    const missed = ctx.challenge.missedKinds.filter((k) => PRIVATE_KINDS.has(k));
    if (missed.length === 0) return null;
    return {
      points: weight,
      explanation: `Questions only the requester would know were missed (${[...new Set(missed)].join(', ')}).`,
    };
  },
});
