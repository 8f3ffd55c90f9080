import { defineRule } from './base';

/** The device's time zone fits neither the network's country nor the requester's location. A traveller's device
 * keeps one of the two (home zone, or the local zone it switched to), so only both failing counts. */
export const timezoneInconsistent = defineRule({
  id: 'timezone-inconsistent',
  category: 'endpoint',
  weight: 2,
  evaluate: (ctx, { weight }) => {
    const zones = ctx.device.timeZoneCountries;
    const tz = ctx.device.timeZone;
    if (!tz || !zones || zones.length === 0) return null;
    const known = [
      ctx.network.status === 'ok' ? ctx.network.country : null,
      ctx.network.requesterLocationCountry,
    ].filter((c): c is string => !!c);
    if (known.length === 0 || known.some((c) => zones.includes(c))) return null;
    return {
      points: weight,
      explanation: `The device's time zone (${tz}) fits neither the network's country nor the requester's location (${known.join(', ')}).`,
    };
  },
});
