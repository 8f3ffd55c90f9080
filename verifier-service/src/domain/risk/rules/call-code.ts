import { defineRule } from './base';

/** Call binding (number matching): the person on the phone with the agent must be the one holding the link. A wrong
 * code is decisive; a code asked and never answered keeps the result from Verified. */
export const callCode = defineRule({
  id: 'call-code',
  category: 'challenge',
  weight: 10,
  decisive: true,
  evaluate: (ctx, { weight }) => {
    const { asked, correct } = ctx.challenge.callCode;
    if (!asked || correct === true) return null;
    if (correct === false) {
      return {
        points: weight,
        floor: 'high',
        explanation:
          'The code the agent read out was entered wrong: the person on the phone may not hold the link.',
      };
    }
    return {
      points: weight * 0.3,
      floor: 'medium',
      explanation: 'The code the agent read out was asked for but never entered.',
    };
  },
});
