import { asnLabel, defineRule } from './base';

/** Commercial VPNs hide where the requester really is. */
export const vpnIp = defineRule({
  id: 'vpn-ip',
  category: 'network',
  weight: 3,
  evaluate: (ctx, { weight }) =>
    ctx.network.vpn
      ? {
          points: weight,
          explanation: `The connection came from a network known for commercial VPN services (${asnLabel(ctx.network)}).`,
        }
      : null,
});
