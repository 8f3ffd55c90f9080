import { defineRule } from './base';

/** No browser signals at all (scripts blocked, or a client that is not a browser): the endpoint checks could not
 * be made, which must not read as "clean". */
export const collectorMissing = defineRule({
  id: 'collector-missing',
  category: 'endpoint',
  weight: 2,
  evaluate: (ctx, { weight }) =>
    ctx.device.collected
      ? null
      : {
          points: weight,
          missingData: true,
          explanation:
            "The browser checks did not run (no device signals were received), so the requester's device could " +
            'not be checked.',
        },
});
