import { defineRule } from './base';

/** Answers faster than a person can read the question and its choices: a script, or answers relayed ready-made. */
export const answersTooFast = defineRule({
  id: 'answers-too-fast',
  category: 'challenge',
  weight: 3,
  evaluate: (ctx, { weight, policy }) => {
    const times = ctx.behaviour.fastestAnswerTimesMs ?? ctx.behaviour.answerTimesMs;
    const fast = times.filter((t) => t < policy.challenge.tooFastMs).length;
    if (fast === 0) return null;
    return {
      points: weight * Math.max(0.5, fast / times.length),
      explanation: `${fast} of ${times.length} answers came faster than a person can read the question (under ${policy.challenge.tooFastMs} ms).`,
    };
  },
});
