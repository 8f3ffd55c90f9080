// What the service needs to know about a ticket and its requester: two small reads, each limited with
// sysparm_fields (SERVICENOW.md "good integration manners").

import { cleanText, type Channel } from '@imper/shared';
import { assertSysId, assertTable, encodedQuery, SYS_ID } from './encoded-query';
import type { ServiceNowClient, SnRecord } from './client';

export interface TicketRef {
  table: string;
  sysId: string;
}

export interface Ticket {
  table: string;
  sysId: string;
  number: string;
  /** `short_description` */
  subject: string;
  description: string;
  category: string;
  subcategory: string;
  /** The raw choice value (incident: 1 New, 2 In Progress, 3 On Hold, 6 Resolved, 7 Closed, 8 Canceled). */
  state: string;
  /** The person the ticket is for (`caller_id`, else `requested_for`, else `opened_for`); '' if none. */
  requesterSysId: string;
}

export interface Requester {
  sysId: string;
  name: string;
  userName: string;
  email: string;
  mobilePhone: string;
  phone?: string;
  vip: boolean;
  lockedOut: boolean;
  /** sys_id of the `cmn_department`, '' if none. */
  department: string;
  departmentName?: string;
  /** sys_id of the manager's `sys_user`, '' if none. */
  manager: string;
  managerName?: string;
  /** `sys_updated_on` as ISO 8601 UTC (e.g. `2025-01-31T09:15:00Z`), '' if unknown. */
  updatedOn: string;
}

export interface TicketContext {
  ticket: Ticket;
  requester: Requester | null;
}

export interface ContactOnFile {
  key: 'email' | 'mobile_phone';
  channel: Channel;
  value: string;
}

/** Reference columns that name the requester, in order of preference; unknown ones are ignored by the API. */
const REQUESTER_COLUMNS = ['caller_id', 'requested_for', 'opened_for'] as const;

const TICKET_FIELDS = [
  'sys_id',
  'number',
  'short_description',
  'description',
  'category',
  'subcategory',
  'state',
  ...REQUESTER_COLUMNS,
];

const USER_FIELDS = [
  'sys_id',
  'name',
  'user_name',
  'email',
  'mobile_phone',
  'phone',
  'vip',
  'locked_out',
  'department',
  'department.name',
  'manager',
  'manager.name',
  'sys_updated_on',
];

/** ServiceNow's `YYYY-MM-DD HH:MM:SS` (UTC with display_value=false) as ISO 8601. */
export function snDateTimeToIso(v: string | undefined): string {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/.exec((v ?? '').trim());
  return m ? `${m[1]}T${m[2]}Z` : '';
}

// Every value is cleaned where it enters the service (S22): a NUL or other control character in a ServiceNow record
// must not make the ticket unverifiable (PostgreSQL refuses U+0000) nor reach a page or a message.
const str = (r: SnRecord, k: string): string => cleanText(r[k] ?? '').trim();
const bool = (r: SnRecord, k: string): boolean => str(r, k).toLowerCase() === 'true';

/**
 * Reads the ticket and its requester. Returns null when the ticket does not exist or the integration user
 * may not see it (ServiceNow answers 404 to both). `requester` is null when the ticket names nobody or the
 * user record cannot be read. `deadline` (the client's clock, ms) bounds both reads together.
 */
export async function fetchTicketContext(
  client: ServiceNowClient,
  ref: TicketRef,
  opts: { deadline?: number } = {},
): Promise<TicketContext | null> {
  assertTable(ref.table);
  assertSysId(ref.sysId);
  const within = opts.deadline !== undefined ? { deadline: opts.deadline } : {};
  const t = await client.get(ref.table, ref.sysId, { fields: TICKET_FIELDS, ...within });
  if (t === null) return null;

  const requesterSysId = REQUESTER_COLUMNS.map((c) => str(t, c)).find((v) => SYS_ID.test(v)) ?? '';
  const ticket: Ticket = {
    table: ref.table,
    sysId: ref.sysId,
    number: str(t, 'number'),
    subject: str(t, 'short_description'),
    description: cleanText(t.description ?? '', { multiline: true }),
    category: str(t, 'category'),
    subcategory: str(t, 'subcategory'),
    state: str(t, 'state'),
    requesterSysId,
  };
  if (!requesterSysId) return { ticket, requester: null };

  const u = await client.get('sys_user', requesterSysId, { fields: USER_FIELDS, ...within });
  if (u === null) return { ticket, requester: null };
  return { ticket, requester: requesterFromRecord(u) };
}

function requesterFromRecord(u: SnRecord): Requester {
  const requester: Requester = {
    sysId: str(u, 'sys_id'),
    name: str(u, 'name'),
    userName: str(u, 'user_name'),
    email: str(u, 'email'),
    mobilePhone: str(u, 'mobile_phone'),
    vip: bool(u, 'vip'),
    lockedOut: bool(u, 'locked_out'),
    department: str(u, 'department'),
    manager: str(u, 'manager'),
    updatedOn: snDateTimeToIso(str(u, 'sys_updated_on')),
  };
  if (str(u, 'phone')) requester.phone = str(u, 'phone');
  if (str(u, 'department.name')) requester.departmentName = str(u, 'department.name');
  if (str(u, 'manager.name')) requester.managerName = str(u, 'manager.name');
  return requester;
}

/**
 * The active account whose user name or email is `identifier` (F7: self-service and API start), or null when there
 * is none — or more than one, since a start must name exactly one person. A value the encoded query cannot carry
 * (`^`) names nobody.
 */
export async function findRequester(
  client: ServiceNowClient,
  identifier: string,
  opts: { deadline?: number } = {},
): Promise<Requester | null> {
  const id = cleanText(identifier).trim();
  if (!id || id.includes('^')) return null;
  const { records } = await client.query('sys_user', {
    query: encodedQuery(['active', '=', 'true'], {
      anyOf: [
        ['user_name', '=', id],
        ['email', '=', id],
      ],
    }),
    fields: USER_FIELDS,
    limit: 2,
    ...(opts.deadline !== undefined ? { deadline: opts.deadline } : {}),
  });
  if (records.length !== 1) return null;
  const u = records[0]!;
  return SYS_ID.test(str(u, 'sys_id')) ? requesterFromRecord(u) : null;
}

/** The requester's destinations on file (SECURITY.md S9), only the non-empty ones. */
export function contactsOnFile(requester: Requester | null): ContactOnFile[] {
  if (!requester) return [];
  const out: ContactOnFile[] = [];
  if (requester.email.trim()) out.push({ key: 'email', channel: 'email', value: requester.email.trim() });
  if (requester.mobilePhone.trim()) {
    out.push({ key: 'mobile_phone', channel: 'sms', value: requester.mobilePhone.trim() });
  }
  return out;
}
