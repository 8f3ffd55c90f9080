// IP → country and ASN from offline data shipped in npm packages, then the network part of the risk context.
//
// - Country: `@ip-location-db/geo-whois-asn-country-mmdb` (CC0; one mmdb for IPv4 and IPv6) read with `maxmind`.
// - ASN and its organisation: `@ip-location-db/asn` (CC BY 4.0, RouteViews + NRO + DB-IP). There is no mmdb
//   build of it on the npm registry, so its numeric CSV is read once into sorted typed arrays (about 0.5 M ranges,
//   under a second at open) and searched by bisection.
// - Hosting / VPN / Tor: the ASN lists in data/asn-lists.json.
//
// Open once (`openNetworkLookup`, or the shared `sharedNetworkLookup()`), then `lookup(ip)` is synchronous and
// fast. Loopback, private and documentation addresses answer `reserved`, never a crash. If the data fails to
// load, every lookup answers `unavailable` (never "clean"): the risk engine counts that as missing data.
import { readFile } from 'node:fs/promises';
import { BlockList, isIP } from 'node:net';
import { Reader, type CountryResponse } from 'maxmind';
import type { NetworkContext, NetworkStatus } from '../domain/risk/context';
import { ASN_LISTS, type AsnLists } from './asn-lists';

export interface NetworkLookupResult {
  status: NetworkStatus;
  /** The address as read (IPv4-mapped IPv6 unwrapped), null when it was not an IP address */
  ip: string | null;
  country: string | null;
  asn: number | null;
  asnOrg: string | null;
  hosting: boolean;
  vpn: boolean;
  tor: boolean;
  /** Why the status is not ok, for logs and the report */
  reason?: string;
}

export interface NetworkLookup {
  lookup(ip: string): NetworkLookupResult;
  /** Set when the data failed to load: every lookup then answers `unavailable` */
  readonly loadError: string | null;
}

export interface NetworkDataPaths {
  countryMmdb: string;
  asnIpv4Csv: string;
  asnIpv6Csv: string;
}

export const defaultNetworkDataPaths = (): NetworkDataPaths => ({
  countryMmdb: require.resolve('@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb'),
  asnIpv4Csv: require.resolve('@ip-location-db/asn/asn-ipv4-num.csv'),
  asnIpv6Csv: require.resolve('@ip-location-db/asn/asn-ipv6-num.csv'),
});

// Addresses no geo data exists for: this host, private networks, link-local, CGNAT, documentation, benchmarking,
// multicast and reserved (RFC 6890 special-purpose registries).
const RESERVED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  RESERVED.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  RESERVED.addSubnet(net, prefix, 'ipv6');
}

/** Reads an address the way a request gives it: trims, drops an IPv6 zone, unwraps IPv4-mapped IPv6. */
export function normaliseIp(raw: string): { ip: string; family: 4 | 6 } | null {
  let ip = raw.trim();
  if (ip.startsWith('[') && ip.endsWith(']')) ip = ip.slice(1, -1);
  const zone = ip.indexOf('%');
  if (zone >= 0) ip = ip.slice(0, zone);
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) ip = mapped[1]!;
  const family = isIP(ip);
  return family === 4 || family === 6 ? { ip: ip.toLowerCase(), family } : null;
}

export function isReservedIp(raw: string): boolean {
  const n = normaliseIp(raw);
  return !!n && RESERVED.check(n.ip, n.family === 4 ? 'ipv4' : 'ipv6');
}

const ipv4ToNumber = (ip: string): number => ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);

export function ipv6ToBigInt(ip: string): bigint {
  let text = ip;
  const v4 = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (v4) {
    const n = ipv4ToNumber(v4[1]!);
    text = `${text.slice(0, v4.index)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((n, g) => (n << 16n) + BigInt(parseInt(g || '0', 16)), 0n);
}

interface AsnTable<T extends number | bigint> {
  starts: ArrayLike<T>;
  ends: ArrayLike<T>;
  asns: Uint32Array;
}

/** One line of the numeric CSV: start,end,asn,org (org may be quoted, with "" for a quote). */
function parseAsnCsv<T extends number | bigint>(
  text: string,
  parse: (s: string) => T,
  make: (n: number) => { starts: T[] | Float64Array; ends: T[] | Float64Array },
  orgs: Map<number, string>,
): AsnTable<T> {
  const lines = text.split('\n');
  const { starts, ends } = make(lines.length);
  const asns = new Uint32Array(lines.length);
  let k = 0;
  for (const line of lines) {
    if (!line) continue;
    const a = line.indexOf(',');
    const b = line.indexOf(',', a + 1);
    const c = line.indexOf(',', b + 1);
    if (a < 0 || b < 0 || c < 0) throw new Error(`malformed ASN row: ${line.slice(0, 80)}`);
    const asn = Number(line.slice(b + 1, c));
    starts[k] = parse(line.slice(0, a));
    ends[k] = parse(line.slice(a + 1, b));
    asns[k] = asn;
    if (k > 0 && starts[k]! < starts[k - 1]!) throw new Error('ASN data is not sorted by range start');
    if (!orgs.has(asn)) {
      let org = line.slice(c + 1).trim();
      if (org.startsWith('"') && org.endsWith('"')) org = org.slice(1, -1).replace(/""/g, '"');
      orgs.set(asn, org);
    }
    k++;
  }
  if (k === 0) throw new Error('ASN data is empty');
  return {
    starts: (Array.isArray(starts) ? starts.slice(0, k) : starts.subarray(0, k)) as ArrayLike<T>,
    ends: (Array.isArray(ends) ? ends.slice(0, k) : ends.subarray(0, k)) as ArrayLike<T>,
    asns: asns.subarray(0, k),
  };
}

function findAsn<T extends number | bigint>(t: AsnTable<T>, ip: T): number | null {
  let lo = 0;
  let hi = t.starts.length - 1;
  let at = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (t.starts[mid]! <= ip) {
      at = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return at >= 0 && t.ends[at]! >= ip ? t.asns[at]! : null;
}

const empty = (ip: string | null, status: NetworkStatus, reason?: string): NetworkLookupResult => ({
  status,
  ip,
  country: null,
  asn: null,
  asnOrg: null,
  hosting: false,
  vpn: false,
  tor: false,
  ...(reason ? { reason } : {}),
});

/** A lookup whose data could not be loaded: every answer is `unavailable`. */
export function unavailableNetworkLookup(loadError: string): NetworkLookup {
  return {
    loadError,
    lookup: (raw) =>
      empty(normaliseIp(raw)?.ip ?? null, 'unavailable', `network data unavailable: ${loadError}`),
  };
}

/** Opens the data once. Never throws: on failure it returns a lookup that answers `unavailable`. */
export async function openNetworkLookup(
  paths: NetworkDataPaths = defaultNetworkDataPaths(),
  lists: AsnLists = ASN_LISTS,
): Promise<NetworkLookup> {
  try {
    const [mmdb, v4, v6] = await Promise.all([
      readFile(paths.countryMmdb),
      readFile(paths.asnIpv4Csv, 'utf8'),
      readFile(paths.asnIpv6Csv, 'utf8'),
    ]);
    const reader = new Reader<CountryResponse & { country_code?: string }>(mmdb);
    const orgs = new Map<number, string>();
    const asn4 = parseAsnCsv(
      v4,
      Number,
      (n) => ({ starts: new Float64Array(n), ends: new Float64Array(n) }),
      orgs,
    );
    const asn6 = parseAsnCsv(
      v6,
      BigInt,
      (n) => ({ starts: new Array<bigint>(n), ends: new Array<bigint>(n) }),
      orgs,
    );
    return {
      loadError: null,
      lookup(raw) {
        const n = normaliseIp(raw);
        if (!n) return empty(null, 'unavailable', 'not an IP address');
        if (RESERVED.check(n.ip, n.family === 4 ? 'ipv4' : 'ipv6')) {
          return empty(n.ip, 'reserved', 'loopback, private or documentation address');
        }
        const rec = reader.get(n.ip);
        const cc = rec?.country_code ?? rec?.country?.iso_code ?? null;
        const asn = n.family === 4 ? findAsn(asn4, ipv4ToNumber(n.ip)) : findAsn(asn6, ipv6ToBigInt(n.ip));
        return {
          status: 'ok',
          ip: n.ip,
          country: cc ? cc.toUpperCase() : null,
          asn,
          asnOrg: asn === null ? null : (orgs.get(asn) ?? null),
          hosting: asn !== null && lists.hosting.has(asn),
          vpn: asn !== null && lists.vpn.has(asn),
          tor: asn !== null && lists.tor.has(asn),
        };
      },
    };
  } catch (err) {
    return unavailableNetworkLookup(err instanceof Error ? err.message : String(err));
  }
}

let shared: Promise<NetworkLookup> | undefined;
/** The process-wide lookup, opened on first use (no I/O at import time). */
export function sharedNetworkLookup(): Promise<NetworkLookup> {
  shared ??= openNetworkLookup();
  return shared;
}

/** The network part of the risk context, from a lookup and what the lifecycle knows. */
export function networkContext(
  r: NetworkLookupResult,
  known: { requesterLocationCountry: string | null; otherRequestersSameIp: number },
): NetworkContext {
  return {
    status: r.status,
    ip: r.ip,
    country: r.country,
    asn: r.asn,
    asnOrg: r.asnOrg,
    hosting: r.hosting,
    vpn: r.vpn,
    tor: r.tor,
    requesterLocationCountry: known.requesterLocationCountry?.toUpperCase() ?? null,
    otherRequestersSameIp: known.otherRequestersSameIp,
  };
}
