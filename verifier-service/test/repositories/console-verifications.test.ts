// The console's name search (repositories/console-verifications.ts) on a real migrated PostgreSQL database and on
// the embedded one (PGlite): reading a prefix's distinct names one by one gives exactly the plain query's pages —
// same rows, same order, same next key — and the same capped count, with filters, in both directions, to the last
// page; surnames are found; wildcards are taken literally; another tenant's rows never show (S18).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { build, type TestApp } from '../helper';
import { otherTenant } from '../console/rows';
import {
  listConsoleVerifications,
  NAME_SEARCH_FILTERED_MAX_ROWS,
  NAME_SEARCH_MAX_NAMES,
  type ConsoleListFilter,
} from '../../src/repositories/console-verifications';
import {
  compareWithPlain,
  FILTERS,
  insertNameRows,
  plainNames,
  seedNameRows,
} from './console-name-search-cases';

let t: TestApp;
let tenantId: string;

beforeAll(async () => {
  t = await build();
  tenantId = t.deps.tenants.all()[0]!.id;
  await seedNameRows(t.db.db, tenantId, await otherTenant(t));
});
afterAll(() => t.close());

const search = (value: string, extra: Partial<ConsoleListFilter> = {}): ConsoleListFilter => ({
  tenantId,
  ...extra,
  search: { kind: 'prefix', value },
});

async function names(value: string) {
  const page = await listConsoleVerifications(t.db.db, search(value), { sort: 'newest', limit: 100 });
  return [...new Set(page.rows.map((r) => r.requesterName))].sort();
}

it('gives the plain query’s pages and count for every prefix, filter, direction and page size', async () => {
  const r = await compareWithPlain(t.db.db, tenantId, { limits: [7, 25] });
  expect(r.differences).toEqual([]);
  expect(r.pages).toBeGreaterThan(1000);
  expect(r.rows).toBeGreaterThan(5000);
}, 120_000);

it('covers both ways: a prefix with at most 50 names, and one with more', async () => {
  const surname = sql`lower(substr(requester_name, nullif(strpos(requester_name, ' '), 0) + 1))`;
  const distinct = async (prefix: string) => {
    const r = await sql<{ n: string; s: string }>`select
      (select count(distinct lower(requester_name)) from verifications
        where tenant_id = ${tenantId} and lower(requester_name) like ${prefix + '%'}) as n,
      (select count(distinct ${surname}) from verifications
        where tenant_id = ${tenantId} and ${surname} like ${prefix + '%'}) as s`.execute(t.db.db);
    return Number(r.rows[0]!.n) + Number(r.rows[0]!.s);
  };
  expect(NAME_SEARCH_MAX_NAMES).toBe(50);
  expect(await distinct('kay')).toBe(50);
  expect(await distinct('ka')).toBe(51);
  expect(await distinct('zed')).toBeGreaterThan(50);
});

it('gives the plain query’s pages with filters on a prefix of more rows than are read name by name', async () => {
  // 30 names × 170 rows: past NAME_SEARCH_FILTERED_MAX_ROWS, so with a status filter the plain query runs
  expect(NAME_SEARCH_FILTERED_MAX_ROWS).toBeLessThan(30 * 170);
  const names = Array.from({ length: 30 }, (_, i): [string, number] => [
    `Yuki ${String(i + 1).padStart(2, '0')}`,
    170,
  ]);
  await insertNameRows(t.db.db, tenantId, names, 100_000);
  const r = await compareWithPlain(t.db.db, tenantId, {
    limits: [50],
    prefixes: ['yuki', 'yuki 1', 'yuki 07'],
    filters: [FILTERS[0]!, FILTERS[1]!, FILTERS[2]!, FILTERS[5]!],
  });
  expect(r.differences).toEqual([]);
  expect(r.pages).toBeGreaterThan(100);
  await t.db.db.deleteFrom('verifications').where('requester_name', 'like', 'Yuki %').execute();
}, 120_000);

it('finds people by the start of their name or of their surname, case-insensitively', async () => {
  expect(await names('abel')).toEqual(['ABEL TUTER', 'Abel', 'Abel Tuter', 'Abel Tuterson']);
  expect(await names('tuter')).toEqual(['ABEL TUTER', 'Abel Tuter', 'Abel Tuterson', 'Zoe Tuter']);
  expect(await names('TU')).toEqual([
    'ABEL TUTER',
    'Abel Tuter',
    'Abel Tuterson',
    'Tuan Nguyen',
    'Tuesday Adams',
    'Zoe Tuter',
  ]);
  expect(await names('de la')).toEqual(['Ana de la Cruz']);
  expect(await names('é')).toEqual(['Élodie Martin']);
  expect(await names('ünal')).toEqual(['Abélard Ünal']);
  expect(await names('abel tuter')).toEqual(['ABEL TUTER', 'Abel Tuter', 'Abel Tuterson']);
  // the surname is the name without its first word
  expect(await names('cruz')).toEqual(['Cruz Delgado']);
  expect(await names('double')).toEqual([]);
  expect(await names('nobody')).toEqual([]);
  expect(await names('abel')).toEqual(await plainNames(t.db.db, tenantId, 'abel'));
});

it('takes %, _ and \\ in the search literally', async () => {
  expect(await names('100%')).toEqual(['100% Sure']);
  expect(await names('100')).toEqual(['100 Percent', '100% Sure', '100x Sure']);
  expect(await names('a_b')).toEqual(['A_B Jones', 'a_b Smith']);
  expect(await names('back\\s')).toEqual(['Back\\Slash Other', 'back\\slash Name']);
  expect(await names('%')).toEqual([]);
  expect(await names('_')).toEqual([]);
  expect(await names('\\')).toEqual([]);
});

it('never shows another tenant’s rows (S18)', async () => {
  const page = await listConsoleVerifications(t.db.db, search('a'), { sort: 'newest', limit: 1000 });
  expect(page.rows.length).toBeGreaterThan(0);
  const tenants = await t.db.db
    .selectFrom('verifications')
    .select('tenant_id')
    .distinct()
    .where(
      'id',
      'in',
      page.rows.map((r) => r.id),
    )
    .execute();
  expect(tenants).toEqual([{ tenant_id: tenantId }]);
});

it('gives the plain query’s pages on the embedded database (PGlite) too', async () => {
  const root = join(__dirname, '..', '..', '..');
  const { stdout } = await promisify(execFile)(
    join(root, 'node_modules', '.bin', 'tsx'),
    [join(__dirname, 'console-name-search-probe.ts')],
    { cwd: root, timeout: 170_000 },
  );
  const result = JSON.parse(stdout.trim().split('\n').pop()!) as {
    differences: string[];
    pages: number;
    surname: string[];
  };
  expect(result.differences).toEqual([]);
  expect(result.pages).toBeGreaterThan(100);
  expect(result.surname).toEqual(['ABEL TUTER', 'Abel Tuter', 'Abel Tuterson', 'Zoe Tuter']);
}, 180_000);
