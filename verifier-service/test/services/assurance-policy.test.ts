// Issue 9 §5: thresholds per tenant and per request category. The tenant's settings (TENANTS[].risk) are checked
// at boot — every combination must be a policy the engine can use — and a verification is decided with the
// defaults, then the tenant's own settings, then its category's.
import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig, type TenantConfig } from '../../src/config';
import { policyFor } from '../../src/services/assurance';
import type { TenantRegistry } from '../../src/services/tenants';
import { DEFAULT_POLICY } from '../../src/domain/risk/policy';

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

const registry = (t: TenantConfig): Pick<TenantRegistry, 'byId'> =>
  ({ byId: (id: string) => (id === 't1' ? { instanceUrl: t.instanceUrl } : undefined) }) as never;

describe('issue 9 §5: risk thresholds per tenant and per category', () => {
  it('decides with the defaults, then the tenant, then the request category', () => {
    const config = loadConfig(
      env({
        thresholds: { medium: 2, high: 6 },
        categories: { password_reset: { thresholds: { medium: 1, high: 4 }, stepUp: { atMedium: false } } },
      }),
    );
    const deps = { config, tenants: registry(config.tenants[0]!) as TenantRegistry };
    const reset = policyFor(deps, { tenantId: 't1', ticketCategory: 'password_reset' });
    const other = policyFor(deps, { tenantId: 't1', ticketCategory: 'software' });
    expect(reset.thresholds).toEqual({ medium: 1, high: 4 });
    expect(reset.stepUp).toEqual({ ...DEFAULT_POLICY.stepUp, atMedium: false });
    expect(other.thresholds).toEqual({ medium: 2, high: 6 });
    expect(other.stepUp).toEqual(DEFAULT_POLICY.stepUp);
    // Everything the tenant did not set stays as the defaults are.
    expect(other.challenge).toEqual(DEFAULT_POLICY.challenge);
  });

  it('without settings a tenant gets the defaults', () => {
    const config = loadConfig(env(undefined));
    const p = policyFor(
      { config, tenants: registry(config.tenants[0]!) as TenantRegistry },
      { tenantId: 't1', ticketCategory: 'access' },
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
