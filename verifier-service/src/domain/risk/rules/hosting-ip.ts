import { asnLabel, defineRule } from './base';

/** People reach a helpdesk link from home, office or mobile networks, not from cloud servers. */
export const hostingIp = defineRule({
  id: 'hosting-ip',
  category: 'network',
  weight: 3,
  evaluate: (ctx, { weight }) =>
    ctx.network.hosting
      ? {
          points: weight,
          explanation: `The connection came from a hosting or data-centre network (${asnLabel(ctx.network)}).`,
        }
      : null,
});
