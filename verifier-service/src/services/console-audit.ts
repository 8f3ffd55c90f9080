// The console's audit log and its "Verify chain" (S21, S18). The hash chain is ONE chain over every tenant's events
// (repositories/audit.ts appends under one lock), so verifying means walking all of it — the same check as
// `npm run audit:verify` (audit/verify.ts). What a tenant's staff see of the result stays theirs: the count and the
// position of their own events, the id of a broken event only when it is theirs; a break elsewhere in the chain is
// only counted.
import type { Deps } from '../context';
import { verifyAuditChain } from '../audit/verify';
import type { ChainProblem } from '../domain/audit-chain';
import { listTenantAuditEvents, type AuditFilter } from '../repositories/console-audit';

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

interface ChainWalk {
  /** Every problem with its tenant and its 1-based position among that tenant's events */
  problems: Array<ChainProblem & { tenantId: string | null; position: number }>;
  /** Each tenant's number of events */
  counts: Map<string | null, number>;
}

/** The walk in progress per database: requests that come while one runs share it (one walk, not one per click). */
const running = new WeakMap<object, Promise<ChainWalk>>();

async function walkChain(deps: Pick<Deps, 'db'>): Promise<ChainWalk> {
  const counts = new Map<string | null, number>();
  const problems: ChainWalk['problems'] = [];
  await verifyAuditChain(deps.db, (e, found) => {
    const position = (counts.get(e.tenantId) ?? 0) + 1;
    counts.set(e.tenantId, position);
    for (const p of found) problems.push({ ...p, tenantId: e.tenantId, position });
  });
  return { problems, counts };
}

export async function verifyTenantChain(deps: Pick<Deps, 'db'>, tenantId: string): Promise<ChainReport> {
  let walk = running.get(deps.db);
  if (!walk) {
    walk = walkChain(deps).finally(() => running.delete(deps.db));
    running.set(deps.db, walk);
  }
  const { problems, counts } = await walk;
  const own = problems
    .filter((p) => p.tenantId === tenantId)
    .map((p) => ({ id: p.id, position: p.position, problem: p.problem }));
  return {
    intact: problems.length === 0,
    events: counts.get(tenantId) ?? 0,
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
