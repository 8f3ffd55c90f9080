// Business rule "imper.ai - apply category policy" (before insert/update on task): a ticket created in, or moved
// into, a category whose policy requires verification gets status `required`, the requested action and the
// "imper.ai - Send Verification link"; moving out before anything was sent clears those fields; other
// categories are left alone.
import type { GlideRecord } from '@servicenow/glide';
import { COLUMNS, type Action } from './constants';
import { launchLinkFor } from './instance';
import { policyForTicket, type PolicyDecision } from './policy';

export type PolicyChange = { kind: 'none' } | { kind: 'require'; action: Action } | { kind: 'clear' };

/** Pure: what the rule does to a ticket. `status` is the ticket's current verification status. */
export function planPolicyChange(input: {
  isInsert: boolean;
  recategorised: boolean;
  status: string;
  decision: PolicyDecision;
}): PolicyChange {
  if (!input.isInsert && !input.recategorised) return { kind: 'none' };
  if (input.decision.required) {
    // A verification already under way (or done) is never reset by a category change.
    if (input.status && input.status !== 'required') return { kind: 'none' };
    return { kind: 'require', action: input.decision.action };
  }
  return input.status === 'required' ? { kind: 'clear' } : { kind: 'none' };
}

export function applyCategoryPolicy(current: GlideRecord, previous: GlideRecord | null): void {
  const isInsert = !previous || current.operation() === 'insert';
  const recategorised =
    !isInsert &&
    !!previous &&
    ((previous.getValue('category') || '') !== (current.getValue('category') || '') ||
      (previous.getValue('subcategory') || '') !== (current.getValue('subcategory') || ''));
  if (!isInsert && !recategorised) return;
  const change = planPolicyChange({
    isInsert,
    recategorised,
    status: current.getValue(COLUMNS.status) || '',
    decision: policyForTicket(current),
  });
  if (change.kind === 'require') {
    current.setValue(COLUMNS.status, 'required');
    current.setValue(COLUMNS.verification, launchLinkFor(current.getTableName(), current.getUniqueValue()));
    current.setValue(COLUMNS.action, change.action);
    current.setValue(COLUMNS.actionStatus, change.action === 'none' ? '' : 'not_started');
  } else if (change.kind === 'clear') {
    for (const column of [COLUMNS.status, COLUMNS.verification, COLUMNS.action, COLUMNS.actionStatus])
      current.setValue(column, '');
  }
}
