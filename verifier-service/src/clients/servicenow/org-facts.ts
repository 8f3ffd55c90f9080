// What the organisation's own ServiceNow data says about a requester, and real records to draw decoys from, for
// the knowledge challenge and the S10 contact-change signal (issue 9). Small reads only (SERVICENOW.md "good
// integration manners"): `sysparm_fields`, `sysparm_exclude_reference_link=true` and `sysparm_no_count=true`
// (the client sets both), dot-walked fields instead of extra calls, small limits, a few calls at a time. Every
// call goes through the client, so its retries, backoff and Retry-After budget apply.
//
// Rows are mapped to the challenge's domain objects here; no snake_case goes further.
//
// The integration user needs read access to: sys_user, cmn_department, cmn_location, sys_user_group,
// sys_user_grmember, alm_hardware, incident, sc_req_item (optional: an instance without it gives no requests)
// and sys_audit (optional: without it `contactHistoryAvailable` is false).

import type {
  ContactChange,
  DecoyPools,
  HardwareRecord,
  LocationRecord,
  NamedRecord,
  OrgFacts,
  PersonRecord,
  TicketRecord,
} from '../../domain/challenge/facts';
import type { ServiceNowClient, SnRecord } from './client';
import { encodedQuery, SYS_ID, assertSysId, type QueryTerm } from './encoded-query';
import { isServiceNowError } from './errors';
import { snDateTimeToIso } from './ticket-context';

export interface OrgFactsOptions {
  /** The ticket being verified: left out of the requester's recent tickets. */
  currentTicket?: { table: string; sysId: string } | null;
  /** How far back "recent" tickets go; default 90 days. */
  recentDays?: number;
  /** Requests in flight at once; default 4. */
  concurrency?: number;
  now?: () => number;
}

export interface OrgFactsResult {
  facts: OrgFacts;
  pools: DecoyPools;
}

const DAY_MS = 86_400_000;

const LIMITS = {
  groups: 50,
  hardware: 20,
  ownTickets: 10,
  auditRows: 20,
  managersAtLocation: 200,
  managersAnywhere: 300,
  departments: 100,
  locations: 200,
  groupPool: 200,
  hardwarePool: 60,
  ticketPool: 150,
  requestPool: 50,
} as const;

const USER_FIELDS = [
  'sys_id',
  'name',
  'title',
  'vip',
  'manager',
  'manager.name',
  'manager.location',
  'manager.department',
  'department',
  'department.name',
  'location',
  'location.name',
  'location.city',
  'location.country',
] as const;

const HARDWARE_FIELDS = ['sys_id', 'display_name', 'model_category', 'model'] as const;
const INCIDENT_FIELDS = ['sys_id', 'number', 'short_description', 'category', 'opened_at'] as const;
const REQUEST_FIELDS = ['sys_id', 'number', 'short_description', 'opened_at'] as const;

const str = (r: SnRecord, k: string): string => (r[k] ?? '').trim();
const isId = (v: string): boolean => SYS_ID.test(v);

/** `YYYY-MM-DD HH:MM:SS` (UTC), as encoded queries compare dates. */
export function snDateTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** Runs the tasks with at most `n` in flight; results in order. */
async function limited<T>(n: number, tasks: Array<() => Promise<T>>): Promise<T[]> {
  const out = new Array<T>(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await (tasks[i] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(n, tasks.length)) }, worker));
  return out;
}

/** An optional table: an instance without it (400 "Invalid table") or refusing it (403) has no rows of it. */
async function optional(read: () => Promise<SnRecord[]>): Promise<SnRecord[] | null> {
  try {
    return await read();
  } catch (e) {
    if (isServiceNowError(e) && (e.status === 400 || e.status === 403)) return null;
    throw e;
  }
}

const uniqueBy = <T>(list: T[], key: (t: T) => string): T[] => {
  const seen = new Set<string>();
  return list.filter((x) => {
    const k = key(x);
    if (!k || seen.has(k)) return false;
    seen.add(k);
    return true;
  });
};

function hardwareOf(r: SnRecord): HardwareRecord {
  return {
    id: str(r, 'sys_id'),
    displayName: str(r, 'display_name'),
    modelCategory: str(r, 'model_category'),
    model: str(r, 'model'),
  };
}

function incidentOf(r: SnRecord): TicketRecord {
  return {
    id: str(r, 'sys_id'),
    table: 'incident',
    number: str(r, 'number'),
    shortDescription: str(r, 'short_description'),
    category: str(r, 'category'),
    openedAt: snDateTimeToIso(r.opened_at),
  };
}

function requestOf(r: SnRecord): TicketRecord {
  return {
    id: str(r, 'sys_id'),
    table: 'sc_req_item',
    number: str(r, 'number'),
    shortDescription: str(r, 'short_description'),
    category: '',
    openedAt: snDateTimeToIso(r.opened_at),
  };
}

/** Managers named by a page of sys_user rows read with `manager`, `manager.name`, … fields. */
function managersOf(rows: SnRecord[]): PersonRecord[] {
  return rows
    .filter((r) => isId(str(r, 'manager')) && str(r, 'manager.name'))
    .map((r) => ({
      id: str(r, 'manager'),
      name: str(r, 'manager.name'),
      locationId: str(r, 'manager.location'),
      departmentId: str(r, 'manager.department'),
    }));
}

/**
 * Reads the requester's facts and the decoy pools. Null when the user does not exist or is hidden from the
 * integration user.
 */
export async function fetchOrgFacts(
  client: ServiceNowClient,
  personId: string,
  opts: OrgFactsOptions = {},
): Promise<OrgFactsResult | null> {
  assertSysId(personId);
  const now = (opts.now ?? Date.now)();
  const recentDays = opts.recentDays ?? 90;
  const since = snDateTime(now - recentDays * DAY_MS);
  const current = opts.currentTicket ?? null;
  if (current) assertSysId(current.sysId);

  const u = await client.get('sys_user', personId, { fields: USER_FIELDS });
  if (u === null) return null;

  const locationId = isId(str(u, 'location')) ? str(u, 'location') : '';
  const query = (table: string, terms: QueryTerm[], fields: readonly string[], limit: number) => async () =>
    (await client.query(table, { query: encodedQuery(...terms), fields, limit })).records;

  // The requester's own records first, then the pools: whatever the pools need from them is known by then.
  const excludeCurrent = (table: string): QueryTerm[] =>
    current && current.table === table ? [['sys_id', '!=', current.sysId]] : [];
  let contactHistoryAvailable = false;
  const [memberships = [], ownHardware = [], ownIncidents = [], ownRequests = [], audit = []] = await limited(
    opts.concurrency ?? 4,
    [
      query(
        'sys_user_grmember',
        [['user', '=', personId]],
        ['group', 'group.name', 'group.active'],
        LIMITS.groups,
      ),
      query(
        'alm_hardware',
        [['assigned_to', '=', personId], ['install_status', '!=', '7'], { orderBy: 'display_name' }],
        HARDWARE_FIELDS,
        LIMITS.hardware,
      ),
      query(
        'incident',
        [
          ['caller_id', '=', personId],
          ['opened_at', '>=', since],
          ...excludeCurrent('incident'),
          { orderByDesc: 'opened_at' },
        ],
        INCIDENT_FIELDS,
        LIMITS.ownTickets,
      ),
      async () =>
        (await optional(
          query(
            'sc_req_item',
            [
              ['requested_for', '=', personId],
              ['opened_at', '>=', since],
              ...excludeCurrent('sc_req_item'),
              { orderByDesc: 'opened_at' },
            ],
            REQUEST_FIELDS,
            LIMITS.ownTickets,
          ),
        )) ?? [],
      async () => {
        const rows = await optional(
          query(
            'sys_audit',
            [
              ['tablename', '=', 'sys_user'],
              ['documentkey', '=', personId],
              ['fieldname', 'IN', ['mobile_phone', 'email']],
              { orderByDesc: 'sys_created_on' },
            ],
            ['fieldname', 'sys_created_on'],
            LIMITS.auditRows,
          ),
        );
        contactHistoryAvailable = rows !== null;
        return rows ?? [];
      },
    ],
  );

  const hardware = uniqueBy(ownHardware.map(hardwareOf), (h) => h.id).filter((h) => h.displayName);
  const categories = [...new Set(hardware.map((h) => h.modelCategory).filter((c) => c && !c.includes(',')))];

  const [
    managersHere = [],
    managersAnywhere = [],
    departments = [],
    locations = [],
    groups = [],
    otherIncidents = [],
    otherRequests = [],
    ...hwPools
  ] = await limited(opts.concurrency ?? 4, [
    locationId
      ? query(
          'sys_user',
          [
            ['location', '=', locationId],
            ['active', '=', 'true'],
            ['manager.active', '=', 'true'],
            ['sys_id', '!=', personId],
          ],
          ['manager', 'manager.name', 'manager.location', 'manager.department'],
          LIMITS.managersAtLocation,
        )
      : async () => [],
    query(
      'sys_user',
      [
        ['active', '=', 'true'],
        ['manager.active', '=', 'true'],
        ['sys_id', '!=', personId],
        { orderBy: 'sys_id' },
      ],
      ['manager', 'manager.name', 'manager.location', 'manager.department'],
      LIMITS.managersAnywhere,
    ),
    query('cmn_department', [{ orderBy: 'name' }], ['sys_id', 'name'], LIMITS.departments),
    query('cmn_location', [{ orderBy: 'name' }], ['sys_id', 'name', 'city', 'country'], LIMITS.locations),
    query(
      'sys_user_group',
      [['active', '=', 'true'], { orderBy: 'name' }],
      ['sys_id', 'name'],
      LIMITS.groupPool,
    ),
    query(
      'incident',
      [
        ['caller_id', '!=', personId],
        ['caller_id', 'ISNOTEMPTY'],
        ['opened_at', '>=', since],
        { orderBy: 'sys_id' },
      ],
      INCIDENT_FIELDS,
      LIMITS.ticketPool,
    ),
    async () =>
      (await optional(
        query(
          'sc_req_item',
          [['requested_for', '!=', personId], ['opened_at', '>=', since], { orderBy: 'sys_id' }],
          REQUEST_FIELDS,
          LIMITS.requestPool,
        ),
      )) ?? [],
    // Other devices of the same categories as the requester's (laptops for a laptop, phones for a phone).
    ...categories
      .slice(0, 3)
      .map((category) =>
        query(
          'alm_hardware',
          [
            ['model_category', '=', category],
            ['assigned_to', 'ISNOTEMPTY'],
            ['assigned_to', '!=', personId],
            { orderBy: 'sys_id' },
          ],
          HARDWARE_FIELDS,
          LIMITS.hardwarePool,
        ),
      ),
  ]);

  const lastChange = (field: ContactChange['field']): ContactChange | null => {
    const row = audit.find((r) => str(r, 'fieldname') === field);
    const changedAt = row ? snDateTimeToIso(row.sys_created_on) : '';
    if (!changedAt) return null;
    return { field, changedAt, daysAgo: Math.max(0, Math.floor((now - Date.parse(changedAt)) / DAY_MS)) };
  };

  const manager: PersonRecord | null = isId(str(u, 'manager'))
    ? {
        id: str(u, 'manager'),
        name: str(u, 'manager.name'),
        locationId: str(u, 'manager.location'),
        departmentId: str(u, 'manager.department'),
      }
    : null;
  const named = (id: string, name: string): NamedRecord | null => (isId(id) && name ? { id, name } : null);
  const location: LocationRecord | null = locationId
    ? {
        id: locationId,
        name: str(u, 'location.name'),
        city: str(u, 'location.city'),
        country: str(u, 'location.country'),
      }
    : null;

  const recentTickets = [...ownIncidents.map(incidentOf), ...ownRequests.map(requestOf)]
    .filter((t) => t.shortDescription && !(current && t.id === current.sysId))
    .sort((a, b) => (a.openedAt < b.openedAt ? 1 : a.openedAt > b.openedAt ? -1 : 0));

  const facts: OrgFacts = {
    personId,
    name: str(u, 'name'),
    title: str(u, 'title'),
    vip: str(u, 'vip').toLowerCase() === 'true',
    manager: manager && manager.name ? manager : null,
    department: named(str(u, 'department'), str(u, 'department.name')),
    location: location && location.name ? location : null,
    groups: uniqueBy(
      memberships
        .filter((m) => str(m, 'group.active').toLowerCase() !== 'false')
        .map((m) => named(str(m, 'group'), str(m, 'group.name')))
        .filter((g): g is NamedRecord => g !== null),
      (g) => g.id,
    ),
    hardware,
    recentTickets,
    lastPhoneChange: lastChange('mobile_phone'),
    lastEmailChange: lastChange('email'),
    contactHistoryAvailable,
  };

  const pools: DecoyPools = {
    // Managers at the requester's location first; the generator ranks by plausibility anyway.
    managers: uniqueBy([...managersOf(managersHere), ...managersOf(managersAnywhere)], (m) => m.id),
    departments: departments
      .map((d) => named(str(d, 'sys_id'), str(d, 'name')))
      .filter((d): d is NamedRecord => d !== null),
    locations: locations
      .filter((l) => isId(str(l, 'sys_id')) && str(l, 'name'))
      .map((l) => ({
        id: str(l, 'sys_id'),
        name: str(l, 'name'),
        city: str(l, 'city'),
        country: str(l, 'country'),
      })),
    groups: groups
      .map((g) => named(str(g, 'sys_id'), str(g, 'name')))
      .filter((g): g is NamedRecord => g !== null),
    hardware: uniqueBy(hwPools.flat().map(hardwareOf), (h) => h.id).filter((h) => h.displayName),
    tickets: [...otherIncidents.map(incidentOf), ...otherRequests.map(requestOf)].filter(
      (t) => t.shortDescription,
    ),
  };
  return { facts, pools };
}
