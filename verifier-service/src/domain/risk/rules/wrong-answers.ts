import { defineRule } from './base';

/** Wrong answers, scaled by the share of questions missed: one of four is a slip (Medium through the challenge
 * gate), three of four is what a blind guesser gets (High). */
export const wrongAnswers = defineRule({
  id: 'wrong-answers',
  category: 'challenge',
  weight: 10,
  evaluate: (ctx, { weight }) => {
    const { wrong, asked } = ctx.challenge;
    if (wrong < 1 || asked < 1) return null;
    return {
      points: (weight * wrong) / asked,
      explanation: `${wrong} of ${asked} knowledge question${asked === 1 ? ' was' : 's were'} answered wrong.`,
    };
  },
});
