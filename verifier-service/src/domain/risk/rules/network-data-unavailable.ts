import { defineRule } from './base';

/** Missing network data is a signal of its own, never "clean" (authentik's GeoIP policy refuses to pass). */
export const networkDataUnavailable = defineRule({
  id: 'network-data-unavailable',
  category: 'network',
  weight: 2,
  evaluate: (ctx, { weight }) =>
    ctx.network.status === 'unavailable'
      ? {
          points: weight,
          missingData: true,
          explanation:
            'Network data was unavailable (the IP could not be read or the lookup data failed to load), so the ' +
            'network checks could not be made.',
        }
      : null,
});
