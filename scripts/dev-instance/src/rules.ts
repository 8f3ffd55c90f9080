// The platform behaviour the stand-in builds in (what an out-of-the-box instance does before any app):
// incident priority from impact × urgency, state bookkeeping, the resolve data policy and who may close.
// The scoped app's own business rules are not here; they plug in through `Hooks`.

import type { Schema } from './schema';
import type { Rec, User } from './store';
import { formatGlideDateTime } from './query';

export const INCIDENT_STATES = {
  new: '1',
  inProgress: '2',
  onHold: '3',
  resolved: '6',
  closed: '7',
  canceled: '8',
} as const;

/**
 * Roles allowed to set an incident to Closed (7) through the Table API (an ACL on an instance: out of the box
 * `itil_admin`, and admin). Not `itil`, and not the app's integration role: the integration user closes through
 * the app's scripted REST route `POST /api/x_imper_verify/imper/close`, whose `GlideRecord` writes evaluate no ACLs.
 */
export const CLOSE_ROLES = ['admin', 'itil_admin'];

/** Mandatory when an incident is Resolved or Closed (the OOB data policy), with their labels. */
export const RESOLVE_MANDATORY = ['close_code', 'close_notes'] as const;

/** ServiceNow's default priority lookup: 1+1 → 1 Critical … 3+3 → 5 Planning. */
export function computePriority(impact: string, urgency: string): string | null {
  const i = Number(impact);
  const u = Number(urgency);
  if (![1, 2, 3].includes(i) || ![1, 2, 3].includes(u)) return null;
  return String(i + u - 1);
}

/** Derived fields on task tables; runs on every write that runs rules, before the app's hooks. */
export function applyTaskRules(
  schema: Schema,
  table: string,
  record: Rec,
  previous: Rec | null,
  user: User,
  now: number,
): void {
  if (!schema.isA(table, 'task')) return;
  const stamp = formatGlideDateTime(now);
  if (!previous) {
    if (!record.opened_at) record.opened_at = stamp;
    if (!record.opened_by && user.sysId) record.opened_by = user.sysId;
  }
  const priority = computePriority(record.impact ?? '', record.urgency ?? '');
  if (priority) record.priority = priority;

  const stateChanged = !previous || previous.state !== record.state;
  if (schema.isA(table, 'incident')) {
    if (stateChanged && record.state === INCIDENT_STATES.resolved) {
      record.resolved_at = stamp;
      if (user.sysId) record.resolved_by = user.sysId;
    }
    if (
      stateChanged &&
      (record.state === INCIDENT_STATES.closed || record.state === INCIDENT_STATES.canceled)
    ) {
      record.closed_at = stamp;
      if (user.sysId) record.closed_by = user.sysId;
      if (!record.resolved_at && record.state === INCIDENT_STATES.closed) record.resolved_at = stamp;
    }
    if (stateChanged) record.active = record.state === '7' || record.state === '8' ? 'false' : 'true';
  } else if (stateChanged) {
    // task states: 3 Closed Complete, 4 Closed Incomplete, 7 Closed Skipped
    const closed = ['3', '4', '7'].includes(record.state ?? '');
    record.active = closed ? 'false' : 'true';
    if (closed) {
      record.closed_at = stamp;
      if (user.sysId) record.closed_by = user.sysId;
    }
  }
}

/** The resolve data policy: the 403 detail when violated, else null. */
export function dataPolicyViolation(schema: Schema, table: string, record: Rec): string | null {
  if (!schema.isA(table, 'incident')) return null;
  if (record.state !== INCIDENT_STATES.resolved && record.state !== INCIDENT_STATES.closed) return null;
  const missing = RESOLVE_MANDATORY.filter((name) => !(record[name] ?? '').trim());
  if (missing.length === 0) return null;
  const labels = missing.map((name) => schema.field(table, name)?.label ?? name);
  return `Data Policy Exception: \n The following fields are mandatory: ${labels.join(', ')}`;
}

/** Closing needs a role that may close: the 403 detail when refused, else null. */
export function closeViolation(
  schema: Schema,
  table: string,
  record: Rec,
  previous: Rec | null,
  user: User,
): string | null {
  if (!schema.isA(table, 'incident')) return null;
  if (record.state !== INCIDENT_STATES.closed || previous?.state === INCIDENT_STATES.closed) return null;
  if (user.roles.some((r) => CLOSE_ROLES.includes(r))) return null;
  return `Security constraints prevent closing ${record.number ?? 'this record'}: requires one of the roles ${CLOSE_ROLES.join(', ')}`;
}
