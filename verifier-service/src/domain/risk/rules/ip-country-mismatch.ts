import { defineRule } from './base';

/** Mild on purpose: a traveller on a foreign network should still pass when everything else is clean. */
export const ipCountryMismatch = defineRule({
  id: 'ip-country-mismatch',
  category: 'network',
  weight: 1,
  evaluate: (ctx, { weight }) => {
    const { country, requesterLocationCountry: home, status } = ctx.network;
    if (status !== 'ok' || !country || !home || country === home) return null;
    return {
      points: weight,
      explanation: `The connection came from ${country}, while the requester's location on file is in ${home}.`,
    };
  },
});
