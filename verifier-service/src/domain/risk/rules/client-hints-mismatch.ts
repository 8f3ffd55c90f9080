import { defineRule } from './base';

/** The user agent string is easy to fake; the client hints a Chromium browser sends along rarely get faked with
 * it. A disagreement means the claimed device is not the real one. */
export const clientHintsMismatch = defineRule({
  id: 'client-hints-mismatch',
  category: 'endpoint',
  weight: 4,
  evaluate: (ctx, { weight }) => {
    const m = ctx.device.clientHintsMismatches;
    if (m.length === 0) return null;
    return {
      points: weight,
      explanation: `The user agent and the browser's client hints disagree: ${m.join('; ')}.`,
    };
  },
});
