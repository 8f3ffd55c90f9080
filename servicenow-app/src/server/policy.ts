// Category policy (CONTRACTS.md "Category policy"): which tickets need a verification and which automated
// action follows. The first active row, by `order`, whose table, category and subcategory cover the ticket
// decides; a row with `requires_verification = false` can so exempt a subcategory from a broader rule.
import { GlideRecord, GlideTableHierarchy } from '@servicenow/glide';
import { POLICY_TABLE, type Action } from './constants';

export interface PolicyRow {
  sysId: string;
  taskTable: string;
  category: string;
  subcategory: string;
  requiresVerification: boolean;
  action: Action;
  autoClose: boolean;
  active: boolean;
  order: number;
}

export interface TicketRef {
  /** The ticket's table and its parents, most specific first (incident, task). */
  tables: string[];
  category: string;
  subcategory: string;
}

export interface PolicyDecision {
  required: boolean;
  action: Action;
  autoClose: boolean;
  policySysId: string | null;
}

export const NOT_REQUIRED: PolicyDecision = {
  required: false,
  action: 'none',
  autoClose: false,
  policySysId: null,
};

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Pure: picks the deciding row for a ticket. */
export function decidePolicy(rows: readonly PolicyRow[], ticket: TicketRef): PolicyDecision {
  if (!ticket.category) return NOT_REQUIRED;
  const deciding = rows
    .filter((r) => r.active)
    .filter((r) => ticket.tables.indexOf(r.taskTable || 'incident') >= 0)
    .filter((r) => same(r.category, ticket.category))
    .filter((r) => !r.subcategory || same(r.subcategory, ticket.subcategory))
    .sort((a, b) => a.order - b.order || specificity(b) - specificity(a))[0];
  if (!deciding || !deciding.requiresVerification) return NOT_REQUIRED;
  return {
    required: true,
    action: deciding.action,
    autoClose: deciding.autoClose,
    policySysId: deciding.sysId,
  };
}

/** At equal order a row naming the subcategory beats a catch-all row. */
const specificity = (r: PolicyRow) => (r.subcategory ? 1 : 0);

function asAction(value: string): Action {
  return value === 'password_reset' || value === 'account_unlock' || value === 'mfa_reset' ? value : 'none';
}

/** Reads the active rows for a category from the policy table. */
export function loadPolicyRows(category: string): PolicyRow[] {
  const rows: PolicyRow[] = [];
  const gr = new GlideRecord(POLICY_TABLE);
  gr.addQuery('active', true);
  gr.addQuery('category', category);
  gr.orderBy('order');
  gr.query();
  while (gr.next()) {
    rows.push({
      sysId: gr.getUniqueValue(),
      taskTable: gr.getValue('task_table') || 'incident',
      category: gr.getValue('category') || '',
      subcategory: gr.getValue('subcategory') || '',
      requiresVerification:
        gr.getValue('requires_verification') === '1' || gr.getValue('requires_verification') === 'true',
      action: asAction(gr.getValue('action') || ''),
      autoClose: gr.getValue('auto_close') === '1' || gr.getValue('auto_close') === 'true',
      active: true,
      order: parseInt(gr.getValue('order') || '0', 10) || 0,
    });
  }
  return rows;
}

/** The table and its ancestors, most specific first. */
export function tableAncestry(table: string): string[] {
  const tables = new GlideTableHierarchy(table).getTables();
  const list: string[] = [];
  for (let i = 0; i < tables.length; i++) list.push(String(tables[i]));
  if (list.indexOf(table) < 0) list.unshift(table);
  return list;
}

/** Decides for a ticket record (any task table). */
export function policyForTicket(ticket: GlideRecord): PolicyDecision {
  const category = ticket.getValue('category') || '';
  if (!category) return NOT_REQUIRED;
  return decidePolicy(loadPolicyRows(category), {
    tables: tableAncestry(ticket.getTableName()),
    category,
    subcategory: ticket.getValue('subcategory') || '',
  });
}
