import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import {
  defaultNetworkDataPaths,
  ipv6ToBigInt,
  isReservedIp,
  networkContext,
  openNetworkLookup,
  type NetworkLookup,
} from '../../src/signals/network';
import { decide } from '../../src/domain/risk/engine';
import { genuine } from '../domain/risk/fixtures';

describe('network signals: IP → country and ASN from the shipped data', () => {
  let lookup: NetworkLookup;
  beforeAll(async () => {
    lookup = await openNetworkLookup();
    expect(lookup.loadError).toBeNull();
  });

  it.each([
    ['8.8.8.8', 'US', 15169, 'Google LLC'],
    ['2001:4860:4860::8888', 'US', 15169, 'Google LLC'],
    ['52.95.110.1', 'US', 16509, 'Amazon.com, Inc.'],
    ['9.9.9.9', 'US', 19281, 'Quad9'],
    ['193.0.6.139', 'NL', 3333, undefined],
  ])('%s → %s, AS%d', (ip, country, asn, org) => {
    const r = lookup.lookup(ip);
    expect(r).toMatchObject({ status: 'ok', ip, country, asn });
    if (org) expect(r.asnOrg).toBe(org);
  });

  it('flags hosting, VPN and Tor networks from the ASN lists', () => {
    expect(lookup.lookup('52.95.110.1')).toMatchObject({ hosting: true, vpn: false, tor: false });
    expect(lookup.lookup('185.220.101.1')).toMatchObject({ asn: 60729, tor: true });
    expect(lookup.lookup('193.0.6.139')).toMatchObject({ hosting: false, vpn: false, tor: false });
  });

  it('reads IPv4-mapped IPv6 and bracketed/zoned forms', () => {
    expect(lookup.lookup('::ffff:8.8.4.4')).toMatchObject({ ip: '8.8.4.4', asn: 15169 });
    expect(lookup.lookup('[2001:4860:4860::8888]')).toMatchObject({ asn: 15169 });
  });

  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '192.168.1.10',
    '172.20.0.5',
    '203.0.113.7',
    '198.51.100.20',
    '192.0.2.1',
    '100.64.0.1',
    '::1',
    'fd12:3456::1',
    'fe80::1%eth0',
    '2001:db8::1',
    '::ffff:127.0.0.1',
  ])('a loopback/private/documentation address (%s) answers "reserved", not a crash', (ip) => {
    expect(lookup.lookup(ip)).toMatchObject({ status: 'reserved', country: null, asn: null });
    expect(isReservedIp(ip)).toBe(true);
  });

  it('something that is not an address answers "unavailable"', () => {
    expect(lookup.lookup('not-an-ip').status).toBe('unavailable');
    expect(lookup.lookup('').status).toBe('unavailable');
  });

  it('stays fast once open (well under 1 ms a lookup)', () => {
    const t = process.hrtime.bigint();
    for (let i = 0; i < 2000; i++) lookup.lookup(`${(i % 200) + 1}.${i % 256}.7.9`);
    const perLookupMs = Number(process.hrtime.bigint() - t) / 1e6 / 2000;
    expect(perLookupMs).toBeLessThan(1);
  });

  it('turns a lookup into the network part of the risk context', () => {
    const ctx = networkContext(lookup.lookup('8.8.8.8'), {
      requesterLocationCountry: 'gb',
      otherRequestersSameIp: 2,
    });
    expect(ctx).toMatchObject({
      country: 'US',
      requesterLocationCountry: 'GB',
      otherRequestersSameIp: 2,
      hosting: true,
    });
  });
});

describe('network signals: the data failing to load (authentik: refuse to pass without data)', () => {
  it('a missing data file gives a lookup that answers "unavailable" for every address', async () => {
    const l = await openNetworkLookup({
      ...defaultNetworkDataPaths(),
      countryMmdb: join(tmpdir(), 'no-such.mmdb'),
    });
    expect(l.loadError).toMatch(/ENOENT/);
    const r = l.lookup('8.8.8.8');
    expect(r).toMatchObject({
      status: 'unavailable',
      ip: '8.8.8.8',
      country: null,
      asn: null,
      hosting: false,
    });
  });

  it('a corrupt data file does too', async () => {
    const bad = join(tmpdir(), `corrupt-${process.pid}.mmdb`);
    writeFileSync(bad, 'not an mmdb');
    const l = await openNetworkLookup({ ...defaultNetworkDataPaths(), countryMmdb: bad });
    expect(l.loadError).not.toBeNull();
    expect(l.lookup('1.2.3.4').status).toBe('unavailable');
  });

  it('and the engine does not read it as clean: a genuine context with unavailable network data is not Verified', async () => {
    const l = await openNetworkLookup({
      ...defaultNetworkDataPaths(),
      asnIpv4Csv: join(tmpdir(), 'none.csv'),
    });
    const ctx = genuine();
    ctx.network = networkContext(l.lookup('81.2.69.160'), {
      requesterLocationCountry: 'GB',
      otherRequestersSameIp: 0,
    });
    expect(decide(ctx).riskLevel).not.toBe('verified');
  });
});

describe('ipv6ToBigInt', () => {
  it('expands :: and embedded IPv4', () => {
    expect(ipv6ToBigInt('::1')).toBe(1n);
    expect(ipv6ToBigInt('2001:db8::')).toBe(0x20010db8n << 96n);
    expect(ipv6ToBigInt('::ffff:1.2.3.4')).toBe(0xffff01020304n);
    expect(ipv6ToBigInt('1:2:3:4:5:6:7:8')).toBe(0x00010002000300040005000600070008n);
  });
});
