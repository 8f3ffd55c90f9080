// What the knowledge challenge knows about a requester and the organisation around them: plain domain objects
// (camelCase), filled from ServiceNow by `clients/servicenow/org-facts.ts` and consumed by the generator.

/** Kinds of question drawn from organisation data. */
export const FACT_KINDS = ['recent_ticket', 'asset', 'group', 'location', 'manager', 'department'] as const;
export type FactKind = (typeof FACT_KINDS)[number];

/** Every question kind the requester's pages know (CONTRACTS.md "Requester challenge pages"). */
export type QuestionKind = FactKind | 'call_code';

export interface NamedRecord {
  /** sys_id */
  id: string;
  name: string;
}

export interface PersonRecord extends NamedRecord {
  /** sys_id of the person's `cmn_location`, '' if none. */
  locationId: string;
  /** sys_id of the person's `cmn_department`, '' if none. */
  departmentId: string;
}

export interface LocationRecord extends NamedRecord {
  city: string;
  country: string;
}

export interface HardwareRecord {
  id: string;
  /** The asset's display value (`display_name`), e.g. `P100123 - Dell Latitude 7440`. */
  displayName: string;
  /** e.g. `Computer`, `Monitor`, `Mobile Phone`; decoys come from the same category when possible. */
  modelCategory: string;
  model: string;
}

export interface TicketRecord {
  id: string;
  /** `incident`, `sc_req_item`, … */
  table: string;
  number: string;
  shortDescription: string;
  /** The incident category, '' for catalog items. */
  category: string;
  /** ISO 8601 UTC, '' if unknown. */
  openedAt: string;
}

export interface ContactChange {
  field: 'mobile_phone' | 'email';
  /** ISO 8601 UTC. */
  changedAt: string;
  /** Whole days between the change and the time the facts were read. */
  daysAgo: number;
}

/** The requester's own facts. Lists are empty when the instance holds nothing of that kind. */
export interface OrgFacts {
  personId: string;
  name: string;
  title: string;
  vip: boolean;
  manager: PersonRecord | null;
  department: NamedRecord | null;
  location: LocationRecord | null;
  groups: NamedRecord[];
  hardware: HardwareRecord[];
  /** Incidents the requester called in and items they requested, newest first, the current ticket excluded. */
  recentTickets: TicketRecord[];
  /** SECURITY.md S10: the latest change of the mobile phone / email on file, from `sys_audit`. */
  lastPhoneChange: ContactChange | null;
  lastEmailChange: ContactChange | null;
  /** False when the contact history could not be read (no sys_audit access): "no change" is then unknown. */
  contactHistoryAvailable: boolean;
}

/** Real records of the same tenant to draw decoys from (they may include the requester's own; the generator drops those). */
export interface DecoyPools {
  /** People who manage someone, those at the requester's location first. */
  managers: PersonRecord[];
  departments: NamedRecord[];
  locations: LocationRecord[];
  groups: NamedRecord[];
  hardware: HardwareRecord[];
  /** Other people's recent tickets. */
  tickets: TicketRecord[];
}

export const EMPTY_POOLS: DecoyPools = {
  managers: [],
  departments: [],
  locations: [],
  groups: [],
  hardware: [],
  tickets: [],
};
