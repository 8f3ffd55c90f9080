// Issue 9 §5 and issue 11 §6: thresholds per tenant and per request category. The tenant's settings
// (TENANTS[].risk) are checked at boot — every combination must be a policy the engine can use — and the console's
// (risk_threshold_overrides, in a real migrated database) are layered in: defaults → reserved addresses →
// configuration for all requests → console for all requests → configuration of the category → console for the
// category, the most specific winning.
import { randomBytes } from 'node:crypto';
import { createTestDatabase } from '../db';
import { ConfigError, loadConfig, type TenantConfig } from '../../src/config';
import { openDatabase, type DatabaseHandle } from '../../src/db/connect';
import { migrateToLatest } from '../../src/db/migrate';
import { policyFor } from '../../src/services/assurance';
import { effectiveThresholds } from '../../src/services/risk-settings';
import type { TenantRegistry } from '../../src/services/tenants';
import { DEFAULT_POLICY } from '../../src/domain/risk/policy';
import { findThresholdOverridesFor, upsertThresholdOverride } from '../../src/repositories/risk-thresholds';

const secret = () => randomBytes(32).toString('base64');
const tenant = (risk: unknown): Record<string, unknown> => ({
  slug: 'acme',
  name: 'Acme IT',
  instanceUrl: 'https://acme.service-now.com',
  auth: { type: 'basic', username: 'u', password: 'p' },
  launchSecret: secret(),
  ...(risk === undefined ? {} : { risk }),
});
const env = (risk: unknown) => ({
  APP_ENV: 'test',
  DATA_ENCRYPTION_KEY: secret(),
  TENANTS: JSON.stringify([tenant(risk)]),
});
const problems = (risk: unknown): string => {
  try {
    loadConfig(env(risk));
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('the configuration was accepted');
};

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let handle: DatabaseHandle;
let t1: string;

beforeAll(async () => {
  database = await createTestDatabase();
  handle = await openDatabase({ databaseUrl: database.url, poolSize: 2, embeddedDir: '' });
  await migrateToLatest(handle.db, handle.pool);
  const row = await handle.db
    .insertInto('tenants')
    .values({
      slug: 'acme',
      name: 'Acme IT',
      instance_url: 'https://acme.service-now.com',
      auth_type: 'basic',
      credentials_sealed: 'x',
      launch_secret_sealed: 'x',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  t1 = row.id;
}, 60_000);
afterAll(async () => {
  await handle?.close();
  await database?.drop();
});

const registry = (t: TenantConfig): TenantRegistry =>
  ({ byId: (id: string) => (id === t1 ? { instanceUrl: t.instanceUrl } : undefined) }) as never;

const setInConsole = (category: string, medium: number, high: number) =>
  upsertThresholdOverride(handle.db, {
    tenantId: t1,
    category,
    medium,
    high,
    updatedBy: 'rita',
    updatedAt: new Date(),
  });

describe('issue 9 §5: risk thresholds per tenant and per category', () => {
  it('decides with the defaults, then the tenant, then the request category', async () => {
    const config = loadConfig(
      env({
        thresholds: { medium: 2, high: 6 },
        categories: { password_reset: { thresholds: { medium: 1, high: 4 }, stepUp: { atMedium: false } } },
      }),
    );
    const deps = { config, tenants: registry(config.tenants[0]!) };
    const reset = await policyFor(handle.db, deps, { tenantId: t1, ticketCategory: 'password_reset' });
    const other = await policyFor(handle.db, deps, { tenantId: t1, ticketCategory: 'software' });
    expect(reset.thresholds).toEqual({ medium: 1, high: 4 });
    expect(reset.stepUp).toEqual({ ...DEFAULT_POLICY.stepUp, atMedium: false });
    expect(other.thresholds).toEqual({ medium: 2, high: 6 });
    expect(other.stepUp).toEqual(DEFAULT_POLICY.stepUp);
    // Everything the tenant did not set stays as the defaults are.
    expect(other.challenge).toEqual(DEFAULT_POLICY.challenge);
  });

  it('without settings a tenant gets the defaults', async () => {
    const config = loadConfig(env(undefined));
    const p = await policyFor(
      handle.db,
      { config, tenants: registry(config.tenants[0]!) },
      { tenantId: t1, ticketCategory: 'access' },
    );
    expect(p.thresholds).toEqual(DEFAULT_POLICY.thresholds);
  });

  it('refuses to boot with thresholds out of order, for the tenant or one category', () => {
    expect(problems({ thresholds: { medium: 8, high: 7 } })).toMatch(/TENANTS \(acme\) risk: thresholds/);
    expect(problems({ categories: { password_reset: { thresholds: { medium: 5, high: 5 } } } })).toMatch(
      /risk\.categories\.password_reset: thresholds/,
    );
    expect(problems({ weights: { 'hosting-ip': 11 } })).toMatch(/weight of hosting-ip must be 0–10/);
    expect(problems({ unknownSetting: true })).toMatch(/TENANTS/);
  });
});

describe('issue 11 §6: the console’s thresholds, layered with the configuration', () => {
  afterEach(() => handle.db.deleteFrom('risk_threshold_overrides').execute());

  it('most specific wins: config all → console all → config category → console category', async () => {
    const config = loadConfig(
      env({
        thresholds: { medium: 2, high: 6 },
        categories: {
          password_reset: { thresholds: { medium: 1, high: 4 }, stepUp: { atMedium: false } },
          hardware: { stepUp: { atMedium: false } },
        },
      }),
    );
    const deps = { config, tenants: registry(config.tenants[0]!) };
    const risk = config.tenants[0]!.risk;
    const decided = async (ticketCategory: string) => {
      const p = await policyFor(handle.db, deps, { tenantId: t1, ticketCategory });
      // The page's "where it comes from" is computed from the same layers as the decision's policy.
      const shown = effectiveThresholds(
        risk,
        await findThresholdOverridesFor(handle.db, t1, ticketCategory),
        ticketCategory,
      );
      expect({ medium: shown.medium, high: shown.high }).toEqual(p.thresholds);
      return { thresholds: p.thresholds, source: shown.source, inherited: shown.inherited, stepUp: p.stepUp };
    };

    // The console for all requests beats the configuration for all requests…
    await setInConsole('', 2.5, 5.5);
    expect(await decided('software')).toMatchObject({
      thresholds: { medium: 2.5, high: 5.5 },
      source: 'console',
      inherited: true,
    });
    expect(await decided('')).toMatchObject({ thresholds: { medium: 2.5, high: 5.5 }, inherited: false });
    // …but not the configuration of a category, which is more specific
    expect(await decided('password_reset')).toMatchObject({
      thresholds: { medium: 1, high: 4 },
      source: 'configuration',
    });
    // A category configured without thresholds keeps its other settings and the all-requests pair.
    expect(await decided('hardware')).toMatchObject({
      thresholds: { medium: 2.5, high: 5.5 },
      stepUp: { atMedium: false },
    });
    // The console for the category beats them all, and the category's other configured settings stay.
    await setInConsole('password_reset', 1.5, 3.5);
    expect(await decided('password_reset')).toEqual({
      thresholds: { medium: 1.5, high: 3.5 },
      source: 'console',
      inherited: false,
      stepUp: { ...DEFAULT_POLICY.stepUp, atMedium: false },
    });
    // A category only the console knows
    await setInConsole('access', 4, 8);
    expect(await decided('access')).toMatchObject({ thresholds: { medium: 4, high: 8 }, source: 'console' });
    expect(await decided('software')).toMatchObject({ thresholds: { medium: 2.5, high: 5.5 } });
  });

  it('reads the overrides with the transaction it is given (the decision’s own)', async () => {
    const config = loadConfig(env(undefined));
    const deps = { config, tenants: registry(config.tenants[0]!) };
    const v = { tenantId: t1, ticketCategory: 'software' };
    await handle.db
      .transaction()
      .execute(async (trx) => {
        await upsertThresholdOverride(trx, {
          tenantId: t1,
          category: 'software',
          medium: 1,
          high: 2,
          updatedBy: 'rita',
          updatedAt: new Date(),
        });
        expect((await policyFor(trx, deps, v)).thresholds).toEqual({ medium: 1, high: 2 });
        // Not yet committed: another connection still decides with the defaults
        expect((await policyFor(handle.db, deps, v)).thresholds).toEqual(DEFAULT_POLICY.thresholds);
        throw new Error('rollback');
      })
      .catch((err: Error) => expect(err.message).toBe('rollback'));
    expect((await policyFor(handle.db, deps, v)).thresholds).toEqual(DEFAULT_POLICY.thresholds);
  });

  it('the table refuses a pair the engine cannot use', async () => {
    await expect(setInConsole('software', 5, 5)).rejects.toThrow(/risk_threshold_overrides_order/);
    await expect(setInConsole('software', 0, 5)).rejects.toThrow(/risk_threshold_overrides_order/);
    await expect(setInConsole('software', 5, 10.5)).rejects.toThrow();
    await expect(setInConsole('bad/name', 1, 5)).rejects.toThrow(/risk_threshold_overrides_category/);
  });
});
