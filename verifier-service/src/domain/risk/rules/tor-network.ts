import { asnLabel, defineRule } from './base';

/** Tor hides the requester entirely; an employee verifying for the helpdesk has no reason to use it. */
export const torNetwork = defineRule({
  id: 'tor-network',
  category: 'network',
  weight: 6,
  evaluate: (ctx, { weight }) =>
    ctx.network.tor
      ? {
          points: weight,
          floor: 'medium',
          explanation: `The connection came from a network that hosts many Tor exit relays (${asnLabel(ctx.network)}).`,
        }
      : null,
});
