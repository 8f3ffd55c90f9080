import { defineRule } from './base';

/** Questions left unanswered (time ran out): weaker than a wrong answer, but no proof either. */
export const skippedAnswers = defineRule({
  id: 'skipped-answers',
  category: 'challenge',
  weight: 5,
  evaluate: (ctx, { weight }) => {
    const { skipped, asked } = ctx.challenge;
    if (skipped < 1 || asked < 1) return null;
    return {
      points: (weight * skipped) / asked,
      explanation: `${skipped} of ${asked} knowledge question${asked === 1 ? ' was' : 's were'} left unanswered.`,
    };
  },
});
