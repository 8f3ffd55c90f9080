// The console's audit log and its "Verify chain" (S21, S18). The hash chain is ONE chain over every tenant's events
// (repositories/audit.ts appends under one lock), so verifying means walking all of it — the same check as
// `npm run audit:verify` (audit/verify.ts). What a tenant's staff see of the result stays theirs: the count and the
// position of their own events, the id of a broken event only when it is theirs; a break elsewhere in the chain is
// only counted.
import type { Deps } from '../context';
import { verifyAuditChain } from '../audit/verify';
import type { ChainProblem } from '../domain/audit-chain';
import { listTenantAuditEvents, tenantAuditIds, type AuditFilter } from '../repositories/console-audit';

export const AUDIT_PAGE_SIZE = 50;

export function listAudit(
  deps: Deps,
  tenantId: string,
  filter: AuditFilter,
  page: { cursor?: string; limit?: number },
) {
  return listTenantAuditEvents(deps.db, tenantId, filter, {
    ...(page.cursor ? { before: page.cursor } : {}),
    limit: Math.min(Math.max(page.limit ?? AUDIT_PAGE_SIZE, 1), 200),
  });
}

export interface ChainReport {
  intact: boolean;
  /** The tenant's own events in the chain */
  events: number;
  /** The tenant's broken events, first first: id, 1-based position among the tenant's events, and what is wrong */
  problems: Array<{ id: string; position: number; problem: ChainProblem['problem'] }>;
  /** Problems in other tenants' events (not named) */
  elsewhere: number;
}

export async function verifyTenantChain(deps: Deps, tenantId: string): Promise<ChainReport> {
  const [{ problems }, ids] = await Promise.all([
    verifyAuditChain(deps.db),
    tenantAuditIds(deps.db, tenantId),
  ]);
  const position = new Map(ids.map((id, i) => [id, i + 1]));
  const own = problems
    .filter((p) => position.has(p.id))
    .map((p) => ({ id: p.id, position: position.get(p.id)!, problem: p.problem }));
  return {
    intact: problems.length === 0,
    events: ids.length,
    problems: own,
    elsewhere: problems.length - own.length,
  };
}

/** `YYYY-MM-DD` (a whole UTC day) or an ISO date-time; `end` = the day after a date (exclusive bound). */
export function parseDateBound(value: string | undefined, end: boolean): Date | undefined {
  if (!value) return undefined;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const d = new Date(dateOnly ? `${value}T00:00:00.000Z` : value);
  if (Number.isNaN(d.getTime())) return undefined;
  if (dateOnly && end) d.setUTCDate(d.getUTCDate() + 1);
  return d;
}
