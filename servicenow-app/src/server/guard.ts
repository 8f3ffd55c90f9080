// Business rule "imper.ai - verification guard" (before update on task): while the guard property is on, a
// ticket whose policy required verification cannot be resolved or closed until the verification passed.
// Admins may override (recorded in a work note); the integration user's automated close is allowed once the
// requested action completed.
import { gs, type GlideRecord } from '@servicenow/glide';
import { COLUMNS, PROPERTIES, ROLES } from './constants';

export type GuardDecision =
  { allow: true; override: boolean; reason: string } | { allow: false; reason: string };

export interface GuardInput {
  guardEnabled: boolean;
  /** The update moves the ticket into a resolved or closed state. */
  closing: boolean;
  status: string;
  actionStatus: string;
  isAdmin: boolean;
  isIntegration: boolean;
}

export const GUARD_MESSAGE =
  'imper.ai: this ticket requires a passed identity verification before it can be resolved or closed. Send the verification link first, or ask an admin to override.';

/** Pure guard decision. */
export function guardDecision(i: GuardInput): GuardDecision {
  if (!i.guardEnabled || !i.closing) return { allow: true, override: false, reason: 'not guarded' };
  if (!i.status) return { allow: true, override: false, reason: 'no verification required' };
  if (i.status === 'passed') return { allow: true, override: false, reason: 'verification passed' };
  if (i.isIntegration && i.actionStatus === 'completed')
    return { allow: true, override: false, reason: 'automated action completed' };
  if (i.isAdmin) return { allow: true, override: true, reason: 'admin override' };
  return { allow: false, reason: GUARD_MESSAGE };
}

/** States that resolve or close a ticket: incident 6 Resolved / 7 Closed, task 3/4/7 Closed Complete/Incomplete/Skipped. */
export function isResolvingState(table: string, state: string): boolean {
  if (table === 'incident' || table === 'problem') return state === '6' || state === '7';
  return state === '3' || state === '4' || state === '7';
}

const propertyOn = (value: string) => value !== 'false' && value !== '0';

export function guardResolveClose(current: GlideRecord, previous: GlideRecord | null): void {
  const state = current.getValue('state') || '';
  const wasState = previous ? previous.getValue('state') || '' : '';
  const table = current.getTableName();
  const closing = state !== wasState && isResolvingState(table, state) && !isResolvingState(table, wasState);
  const isAdmin = gs.hasRole('admin') || gs.hasRole(ROLES.admin);
  const decision = guardDecision({
    guardEnabled: propertyOn(gs.getProperty(PROPERTIES.guardEnabled, 'true') || 'true'),
    closing,
    status: current.getValue(COLUMNS.status) || '',
    actionStatus: current.getValue(COLUMNS.actionStatus) || '',
    // hasRole is true for admin on every role, so the integration role counts only for non-admins.
    isAdmin,
    isIntegration: !isAdmin && gs.hasRole(ROLES.integration),
  });
  if (!decision.allow) {
    gs.addErrorMessage(decision.reason);
    current.setAbortAction(true);
    return;
  }
  if (decision.override) {
    current.setValue(
      'work_notes',
      `imper.ai: ${gs.getUserDisplayName()} (${gs.getUserName()}) resolved/closed this ticket without a passed verification (status "${current.getValue(COLUMNS.status) || ''}") by admin override.`,
    );
  }
}
