// The console's audit log (F8): one tenant's events, newest first, filtered, keyset-paged by id (S18: every query
// is bound to the tenant). The chain itself is global (repositories/audit.ts); see services/console-audit.ts.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';

export interface AuditFilter {
  /** Events whose type starts with this, e.g. `verification.` */
  typePrefix?: string;
  verificationPublicId?: string;
  /** Events whose actor starts with this */
  actor?: string;
  from?: Date;
  /** exclusive */
  to?: Date;
}

export interface ConsoleAuditEvent {
  id: string;
  type: string;
  actor: string;
  verificationPublicId: string | null;
  data: Record<string, unknown>;
  createdAt: Date;
}

const likePrefix = (s: string) => `${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function listTenantAuditEvents(
  db: Kysely<Database>,
  tenantId: string,
  filter: AuditFilter,
  page: { before?: string; limit: number },
): Promise<{ items: ConsoleAuditEvent[]; nextCursor: string | null }> {
  let q = db
    .selectFrom('audit_events as a')
    .leftJoin('verifications as v', (j) =>
      j.onRef('v.id', '=', 'a.verification_id').on('v.tenant_id', '=', tenantId),
    )
    .select(['a.id', 'a.type', 'a.actor', 'a.data', 'a.created_at', 'v.public_id'])
    .where('a.tenant_id', '=', tenantId);
  if (filter.typePrefix) q = q.where(sql<boolean>`a.type like ${likePrefix(filter.typePrefix)}`);
  if (filter.actor) q = q.where(sql<boolean>`a.actor like ${likePrefix(filter.actor)}`);
  if (filter.verificationPublicId) q = q.where('v.public_id', '=', filter.verificationPublicId);
  if (filter.from) q = q.where('a.created_at', '>=', filter.from);
  if (filter.to) q = q.where('a.created_at', '<', filter.to);
  if (page.before) q = q.where('a.id', '<', page.before);
  const rows = await q
    .orderBy('a.id', 'desc')
    .limit(page.limit + 1)
    .execute();
  const items = rows.slice(0, page.limit).map((r) => ({
    id: String(r.id),
    type: r.type,
    actor: r.actor,
    verificationPublicId: r.public_id ?? null,
    data: r.data as unknown as Record<string, unknown>,
    createdAt: r.created_at,
  }));
  return { items, nextCursor: rows.length > page.limit ? items[items.length - 1]!.id : null };
}
