import { defineRule } from './base';

/** Likely language of a country (CLDR likely subtags, built into Intl): und-DE → de. */
const likelyLanguage = (country: string): string | null => {
  try {
    return new Intl.Locale('und', { region: country }).maximize().language;
  } catch {
    return null;
  }
};

/** The browser's languages fit neither the network's country nor the requester's location. English is used
 * everywhere, so it never counts as inconsistent; the weight stays low (people set their own languages). */
export const languageInconsistent = defineRule({
  id: 'language-inconsistent',
  category: 'endpoint',
  weight: 1,
  evaluate: (ctx, { weight }) => {
    const langs = ctx.device.languages;
    if (langs.length === 0) return null; // no languages is an automation marker, reported there
    const countries = [
      ctx.network.status === 'ok' ? ctx.network.country : null,
      ctx.network.requesterLocationCountry,
    ].filter((c): c is string => !!c);
    if (countries.length === 0) return null;
    const expected = new Set(countries.map(likelyLanguage).filter((l): l is string => !!l));
    const fits = langs.some((tag) => {
      const [lang = '', ...rest] = tag.toLowerCase().split('-');
      const region = rest.find((s) => /^[a-z]{2}$/.test(s))?.toUpperCase();
      return lang === 'en' || expected.has(lang) || (region !== undefined && countries.includes(region));
    });
    if (fits) return null;
    return {
      points: weight,
      explanation: `The browser's languages (${langs.slice(0, 5).join(', ')}) fit neither the network's country nor the requester's location (${countries.join(', ')}).`,
    };
  },
});
