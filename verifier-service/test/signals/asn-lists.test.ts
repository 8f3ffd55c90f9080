import data from '../../data/asn-lists.json';
import { ASN_LISTS } from '../../src/signals/asn-lists';

describe('data/asn-lists.json (a reviewed starting point)', () => {
  it('says it is a starting point and when it was last reviewed', () => {
    expect(data.note).toMatch(/starting point/i);
    expect(data.reviewed).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it.each(['hosting', 'vpn', 'tor'] as const)(
    '%s: every entry has a valid ASN, a name and a source',
    (list) => {
      expect(data[list].length).toBeGreaterThan(3);
      for (const e of data[list]) {
        expect(Number.isInteger(e.asn) && e.asn > 0 && e.asn < 2 ** 32).toBe(true);
        expect(e.name.trim().length).toBeGreaterThan(2);
        expect(e.source.trim().length).toBeGreaterThan(5);
      }
    },
  );

  it('no ASN is listed twice, nor in two lists', () => {
    const all = [...data.hosting, ...data.vpn, ...data.tor].map((e) => e.asn);
    expect(new Set(all).size).toBe(all.length);
  });

  it('holds the providers the issue names', () => {
    for (const asn of [
      16509, 14618, 396982, 15169, 8075, 14061, 16276, 24940, 63949, 20473, 31898, 45102, 51167, 12876, 60781,
      28753,
    ]) {
      expect(ASN_LISTS.hosting.has(asn)).toBe(true);
    }
    for (const asn of [9009, 60068, 147049, 39351, 202425, 212238, 209103])
      expect(ASN_LISTS.vpn.has(asn)).toBe(true);
  });
});
