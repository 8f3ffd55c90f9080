import { defineRule } from './base';

/** Too few answerable questions: knowledge could not be checked. The engine makes this Incomplete (PRODUCT F4). */
export const NOT_ENOUGH_QUESTIONS = 'not-enough-questions';

export const notEnoughQuestions = defineRule({
  id: NOT_ENOUGH_QUESTIONS,
  category: 'challenge',
  weight: 1,
  evaluate: (ctx, { weight }) =>
    ctx.challenge.notEnoughQuestions
      ? {
          points: weight,
          floor: 'medium',
          missingData: true,
          explanation: 'Not enough answerable questions could be generated for this requester.',
        }
      : null,
});
