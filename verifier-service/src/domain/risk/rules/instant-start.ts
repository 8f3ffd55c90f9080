import { defineRule } from './base';

/** Start pressed faster than a person can read the page that explains who is asking and why: a script driving the
 * link. The threshold is deliberately far below human speed. */
export const INSTANT_START_MS = 400;

export const instantStart = defineRule({
  id: 'instant-start',
  category: 'endpoint',
  weight: 2,
  evaluate: (ctx, { weight }) => {
    const t = ctx.behaviour.openToStartMs;
    if (t === null || t >= INSTANT_START_MS) return null;
    return {
      points: weight,
      explanation: `Start was pressed ${t} ms after the page opened, faster than a person can read it.`,
    };
  },
});
