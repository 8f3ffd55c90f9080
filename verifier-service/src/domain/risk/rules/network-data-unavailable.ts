import { defineRule } from './base';

/** Missing network data is a signal of its own, never "clean" (authentik's GeoIP policy refuses to pass). A
 * loopback/private address counts as missing too unless the policy says requesters may be internal. */
export const networkDataUnavailable = defineRule({
  id: 'network-data-unavailable',
  category: 'network',
  weight: 2,
  evaluate: (ctx, { weight, policy }) => {
    const { status } = ctx.network;
    if (status === 'unavailable') {
      return {
        points: weight,
        missingData: true,
        explanation:
          'Network data was unavailable (the IP could not be read or the lookup data failed to load), so the ' +
          'network checks could not be made.',
      };
    }
    if (status === 'reserved' && policy.reservedAddresses === 'missing') {
      return {
        points: weight,
        missingData: true,
        explanation: `The client address (${ctx.network.ip ?? 'unknown'}) is a loopback, private or documentation address, so the network checks could not be made.`,
      };
    }
    return null;
  },
});
