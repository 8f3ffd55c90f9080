// Which category policy a ticket falls under (CONTRACTS.md "Category policy"): the active policies of its task
// table whose category matches and whose subcategory is empty (any) or equal, the lowest `order` first, an exact
// subcategory before an empty one at the same order. Pure: the rows come from the policy table.
import { ACTIONS, type Action } from '@imper/shared';

export interface CategoryPolicyRow {
  taskTable: string;
  category: string;
  subcategory: string;
  action: string;
  autoClose: boolean;
  active: boolean;
  order: number;
}

export interface TicketPolicy {
  action: Action;
  autoClose: boolean;
}

export const NO_ACTION: TicketPolicy = { action: 'none', autoClose: false };

export function policyForTicket(
  rows: readonly CategoryPolicyRow[],
  ticket: { table: string; category: string; subcategory: string },
): TicketPolicy {
  const match = rows
    .filter(
      (p) =>
        p.active &&
        (p.taskTable || 'incident') === ticket.table &&
        p.category === ticket.category &&
        (p.subcategory === '' || p.subcategory === ticket.subcategory),
    )
    .sort((a, b) => a.order - b.order || (b.subcategory ? 1 : 0) - (a.subcategory ? 1 : 0))[0];
  if (!match) return NO_ACTION;
  const action = (ACTIONS as readonly string[]).includes(match.action) ? (match.action as Action) : 'none';
  return { action, autoClose: action !== 'none' && match.autoClose };
}
