import { defineRule } from './base';

/** Opened on one device and started on another: the link was forwarded (or read out) to someone else. Mail
 * scanners fetch links too, so the lifecycle counts only browser opens. */
export const openedOnOtherDevice = defineRule({
  id: 'opened-on-other-device',
  category: 'persona',
  weight: 3,
  evaluate: (ctx, { weight }) =>
    ctx.request.openedOnOtherDevice
      ? { points: weight, explanation: 'The link was opened on one device and started on another.' }
      : null,
});
