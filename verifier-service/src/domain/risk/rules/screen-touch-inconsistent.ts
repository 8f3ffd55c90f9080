import { defineRule } from './base';

/** Screen and touch that do not fit the claimed device: touch on a desktop user agent, no touch on a phone, a 0×0
 * screen (headless or emulated). */
export const screenTouchInconsistent = defineRule({
  id: 'screen-touch-inconsistent',
  category: 'endpoint',
  weight: 2,
  evaluate: (ctx, { weight }) => {
    const issues = ctx.device.screenTouchIssues;
    if (issues.length === 0) return null;
    return { points: weight, explanation: `Screen and touch do not fit the device: ${issues.join('; ')}.` };
  },
});
