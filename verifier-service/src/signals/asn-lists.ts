// The ASN lists (data/asn-lists.json) as typed sets. The lists are a reviewed starting point kept in the repo.
import data from '../../data/asn-lists.json';

export interface AsnListEntry {
  asn: number;
  name: string;
  source: string;
}

export interface AsnLists {
  hosting: ReadonlyMap<number, AsnListEntry>;
  vpn: ReadonlyMap<number, AsnListEntry>;
  tor: ReadonlyMap<number, AsnListEntry>;
}

const toMap = (entries: AsnListEntry[]) => new Map(entries.map((e) => [e.asn, e]));

export const ASN_LIST_DATA: { hosting: AsnListEntry[]; vpn: AsnListEntry[]; tor: AsnListEntry[] } = data;

export const ASN_LISTS: AsnLists = {
  hosting: toMap(data.hosting),
  vpn: toMap(data.vpn),
  tor: toMap(data.tor),
};
