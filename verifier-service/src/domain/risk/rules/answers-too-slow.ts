import { defineRule } from './base';

/** Very slow answers leave time to look the answer up or ask someone. People hesitate too, so it stays mild. */
export const answersTooSlow = defineRule({
  id: 'answers-too-slow',
  category: 'challenge',
  weight: 2,
  evaluate: (ctx, { weight, policy }) => {
    const times = ctx.behaviour.answerTimesMs;
    const slow = times.filter((t) => t > policy.challenge.tooSlowMs).length;
    if (slow === 0) return null;
    return {
      points: weight * Math.max(0.5, slow / times.length),
      explanation: `${slow} of ${times.length} answers took longer than ${Math.round(policy.challenge.tooSlowMs / 1000)} s, time enough to look them up.`,
    };
  },
});
