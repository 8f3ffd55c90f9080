// The console's audit log query (filters, keyset paging, newest first, one tenant: S18) and its chain check
// (S21): a row altered straight in the database is found and named, with its position among the tenant's events.
import { sql } from 'kysely';
import { build, type TestApp } from '../helper';
import { insertVerificationRow, otherTenant } from '../console/rows';
import { appendAuditEvents } from '../../src/repositories/audit';
import { listAudit, verifyTenantChain } from '../../src/services/console-audit';

let t: TestApp;
let tenantId: string;
let other: string;
let vPublicId: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await build();
  tenantId = t.deps.tenants.all()[0]!.id;
  other = await otherTenant(t);
  const v = await insertVerificationRow(t, { createdAt: new Date('2026-04-01T09:00:00Z') });
  vPublicId = v.publicId;
  const ev = (
    tenant: string,
    type: string,
    actor: string,
    day: string,
    verificationId: string | null = null,
  ) => ({
    tenantId: tenant,
    verificationId,
    type,
    actor,
    data: { note: `${type} by ${actor}` },
    createdAt: new Date(`2026-04-${day}T10:00:00Z`),
  });
  await t.db.db
    .transaction()
    .execute((trx) =>
      appendAuditEvents(trx, [
        ev(tenantId, 'verification.created', 'agent:beth', '01', v.id),
        ev(other, 'verification.created', 'agent:other', '01'),
        ev(tenantId, 'verification.passed', 'requester', '02', v.id),
        ev(tenantId, 'console.login', 'console:alice', '03'),
        ev(tenantId, 'console.user_created', 'console:alice', '04'),
        ev(other, 'console.login', 'console:other', '04'),
      ]),
    );
  const rows = await t.db.db
    .selectFrom('audit_events')
    .select(['id', 'type', 'tenant_id'])
    .orderBy('id')
    .execute();
  for (const r of rows) if (r.tenant_id === tenantId) ids[r.type] = String(r.id);
});
afterAll(() => t.close());

const types = (items: Array<{ type: string }>) => items.map((i) => i.type);

describe('audit log query', () => {
  it("lists only the tenant's events, newest first (S18)", async () => {
    const { items, nextCursor } = await listAudit(t.deps, tenantId, {}, {});
    expect(types(items)).toEqual([
      'console.user_created',
      'console.login',
      'verification.passed',
      'verification.created',
    ]);
    expect(items.every((i) => !i.actor.includes('other'))).toBe(true);
    expect(nextCursor).toBeNull();
    expect(items[3]!.verificationPublicId).toBe(vPublicId);
  });

  it('filters by type prefix, verification, actor and dates', async () => {
    const q = (f: Parameters<typeof listAudit>[2]) =>
      listAudit(t.deps, tenantId, f, {}).then((r) => types(r.items));
    expect(await q({ typePrefix: 'verification.' })).toEqual(['verification.passed', 'verification.created']);
    expect(await q({ typePrefix: 'console.l' })).toEqual(['console.login']);
    expect(await q({ typePrefix: '%' })).toEqual([]); // LIKE wildcards are literal
    expect(await q({ verificationPublicId: vPublicId })).toEqual([
      'verification.passed',
      'verification.created',
    ]);
    expect(await q({ actor: 'console:' })).toEqual(['console.user_created', 'console.login']);
    expect(await q({ from: new Date('2026-04-02T00:00:00Z'), to: new Date('2026-04-04T00:00:00Z') })).toEqual(
      ['console.login', 'verification.passed'],
    );
  });

  it('pages with a keyset cursor', async () => {
    const p1 = await listAudit(t.deps, tenantId, {}, { limit: 3 });
    expect(types(p1.items)).toEqual(['console.user_created', 'console.login', 'verification.passed']);
    expect(p1.nextCursor).toBe(ids['verification.passed']);
    const p2 = await listAudit(t.deps, tenantId, {}, { limit: 3, cursor: p1.nextCursor! });
    expect(types(p2.items)).toEqual(['verification.created']);
    expect(p2.nextCursor).toBeNull();
  });
});

describe('verify chain (S21)', () => {
  it('reports the chain intact with the tenant’s event count', async () => {
    expect(await verifyTenantChain(t.deps, tenantId)).toEqual({
      intact: true,
      events: 4,
      problems: [],
      elsewhere: 0,
    });
  });

  it('clicks that come while a walk runs share it: one pass over the chain, each tenant its own view', async () => {
    // The database handle counts the walk's reads (one batch holds this chain's few events).
    let reads = 0;
    const db = new Proxy(t.deps.db, {
      get(target, prop) {
        if (prop === 'selectFrom') reads++;
        const v = Reflect.get(target, prop, target) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    const deps = { db };
    const [mine, theirs] = await Promise.all([
      verifyTenantChain(deps, tenantId),
      verifyTenantChain(deps, other),
    ]);
    expect(reads).toBe(1);
    expect([mine.events, theirs.events]).toEqual([4, 2]);
    // The walk is over: the next click walks again (it sees a change made meanwhile).
    await verifyTenantChain(deps, tenantId);
    expect(reads).toBe(2);
  });

  it('names a row altered in the database, and only counts another tenant’s', async () => {
    const target = ids['verification.passed']!;
    // Someone with superuser rights disables the append-only triggers and edits history.
    await sql`alter table audit_events disable trigger user`.execute(t.db.db);
    await t.db.db
      .updateTable('audit_events')
      .set({ data: JSON.stringify({ note: 'rewritten' }) })
      .where('id', '=', target)
      .execute();
    await sql`alter table audit_events enable trigger user`.execute(t.db.db);
    const r = await verifyTenantChain(t.deps, tenantId);
    expect(r.intact).toBe(false);
    expect(r.problems).toEqual([{ id: target, position: 2, problem: 'hash_mismatch' }]);
    expect(r.elsewhere).toBe(0);
    // The other tenant sees the chain broken but not our event's id.
    const theirs = await verifyTenantChain(t.deps, other);
    expect(theirs).toEqual({ intact: false, events: 2, problems: [], elsewhere: 1 });
  });
});
