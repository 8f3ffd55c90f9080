// Configuration (STYLE.md "Config"): a missing or malformed variable stops boot with a message naming it and never
// echoing a secret; production refuses the dev transport, demo secrets and a plain-http public URL.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { loadConfig, ConfigError } from '../../src/config';

const KEY = randomBytes(32).toString('base64');
const LAUNCH = randomBytes(32).toString('base64');
const tenant = (over: Record<string, unknown> = {}) =>
  JSON.stringify([
    {
      slug: 'acme',
      name: 'Acme IT',
      instanceUrl: 'https://acme.service-now.com',
      auth: { type: 'basic', username: 'u', password: 'tenant-password-secret' },
      launchSecret: LAUNCH,
      ...over,
    },
  ]);
const base = { APP_ENV: 'test', DATA_ENCRYPTION_KEY: KEY, TENANTS: tenant() };
const prod = {
  APP_ENV: 'production',
  DATA_ENCRYPTION_KEY: KEY,
  TENANTS: tenant(),
  PUBLIC_BASE_URL: 'https://verify.example.com',
  DATABASE_URL: 'postgres://app:db-password-secret@db/imper',
  EMAIL_PROVIDER: 'sendgrid',
  SENDGRID_API_KEY: 'SG.sendgrid-api-key-secret',
  SENDGRID_FROM_EMAIL: 'helpdesk@example.com',
  SENDGRID_WEBHOOK_PUBLIC_KEY: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE-public-key',
  SMS_PROVIDER: 'twilio',
  TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
  TWILIO_AUTH_TOKEN: 'twilio-auth-token-secret',
  TWILIO_FROM: '+15005550006',
};

function problems(env: Record<string, string | undefined>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).message;
  }
  throw new Error('loadConfig accepted the configuration');
}

describe('loadConfig', () => {
  it('accepts a minimal valid configuration and a complete production one', () => {
    expect(loadConfig(base)).toMatchObject({
      env: 'test',
      devTransport: true,
      writebackRetryHorizonHours: 72,
    });
    expect(loadConfig({ ...base, WRITEBACK_RETRY_HORIZON_HOURS: '168' }).writebackRetryHorizonHours).toBe(
      168,
    );
    expect(loadConfig(prod)).toMatchObject({
      env: 'production',
      devTransport: false,
      cookieSecure: true,
      publicBaseUrl: 'https://verify.example.com',
    });
  });

  it.each<[string, Record<string, string | undefined>, string, string[]]>([
    ['missing DATA_ENCRYPTION_KEY', { ...base, DATA_ENCRYPTION_KEY: undefined }, 'DATA_ENCRYPTION_KEY', []],
    [
      'DATA_ENCRYPTION_KEY too short',
      { ...base, DATA_ENCRYPTION_KEY: 'short-data-key-secret' },
      'DATA_ENCRYPTION_KEY',
      ['short-data-key-secret'],
    ],
    [
      'DATA_ENCRYPTION_KEY not 32 bytes',
      { ...base, DATA_ENCRYPTION_KEY: randomBytes(40).toString('base64') },
      'DATA_ENCRYPTION_KEY',
      [],
    ],
    ['no tenants', { ...base, TENANTS: undefined }, 'TENANTS', []],
    [
      'TENANTS not JSON',
      { ...base, TENANTS: '{"password":"tenant-password-secret"' },
      'TENANTS',
      ['tenant-password-secret'],
    ],
    [
      'a tenant launch secret too short',
      { ...base, TENANTS: tenant({ launchSecret: 'tiny-launch-secret' }) },
      'TENANTS',
      ['tiny-launch-secret', 'tenant-password-secret'],
    ],
    ['PORT not a number', { ...base, PORT: 'eighty' }, 'PORT', []],
    ['PORT out of range', { ...base, PORT: '70000' }, 'PORT', []],
    ['LOG_LEVEL unknown', { ...base, LOG_LEVEL: 'loud' }, 'LOG_LEVEL', []],
    [
      'PUBLIC_BASE_URL with a path',
      { ...base, PUBLIC_BASE_URL: 'https://x.example/app' },
      'PUBLIC_BASE_URL',
      [],
    ],
    [
      'DATABASE_URL of another database, with a password',
      { ...base, DATABASE_URL: 'mysql://app:db-password-secret@db/imper' },
      'DATABASE_URL',
      ['db-password-secret'],
    ],
    ['SendGrid without its API key', { ...prod, SENDGRID_API_KEY: undefined }, 'SENDGRID_API_KEY', []],
    [
      'SendGrid without the webhook key',
      { ...prod, SENDGRID_WEBHOOK_PUBLIC_KEY: undefined },
      'SENDGRID_WEBHOOK_PUBLIC_KEY',
      [],
    ],
    [
      'Twilio auth token too short',
      { ...prod, TWILIO_AUTH_TOKEN: 'tok-sec' },
      'TWILIO_AUTH_TOKEN',
      ['tok-sec'],
    ],
    ['Twilio account SID malformed', { ...prod, TWILIO_ACCOUNT_SID: 'AC123' }, 'TWILIO_ACCOUNT_SID', []],
    ['Twilio without a sender', { ...prod, TWILIO_FROM: undefined }, 'TWILIO_FROM', []],
    [
      'RATE_LIMIT_PER_IP_PER_MINUTE zero',
      { ...base, RATE_LIMIT_PER_IP_PER_MINUTE: '0' },
      'RATE_LIMIT_PER_IP_PER_MINUTE',
      [],
    ],
    [
      'production with the dev transport',
      { ...prod, EMAIL_PROVIDER: 'dev' },
      'dev transport is refused in production',
      ['twilio-auth-token-secret'],
    ],
    [
      'production with DEMO_LAUNCH_SECRET',
      { ...prod, DEMO_LAUNCH_SECRET: 'demo-launch-secret-value' },
      'DEMO_LAUNCH_SECRET',
      ['demo-launch-secret-value'],
    ],
    [
      'production over plain http',
      { ...prod, PUBLIC_BASE_URL: 'http://verify.example.com' },
      'PUBLIC_BASE_URL: must be https in production',
      [],
    ],
    [
      'production without PUBLIC_BASE_URL',
      { ...prod, PUBLIC_BASE_URL: undefined },
      'PUBLIC_BASE_URL: required in production',
      [],
    ],
    ['production with insecure cookies', { ...prod, COOKIE_SECURE: 'false' }, 'COOKIE_SECURE', []],
    [
      'WRITEBACK_RETRY_HORIZON_HOURS zero',
      { ...base, WRITEBACK_RETRY_HORIZON_HOURS: '0' },
      'WRITEBACK_RETRY_HORIZON_HOURS',
      [],
    ],
    [
      'WRITEBACK_RETRY_HORIZON_HOURS not a whole number',
      { ...base, WRITEBACK_RETRY_HORIZON_HOURS: '1.5' },
      'WRITEBACK_RETRY_HORIZON_HOURS',
      [],
    ],
  ])('%s: stops with a message naming it, without echoing secrets', (_name, env, names, secrets) => {
    const message = problems(env);
    expect(message).toContain(names);
    for (const s of [
      ...secrets,
      KEY,
      LAUNCH,
      'tenant-password-secret',
      'db-password-secret',
      'SG.sendgrid-api-key-secret',
      'twilio-auth-token-secret',
    ]) {
      expect(message).not.toContain(s);
    }
  });

  it('issue 8 finding 3: TRUST_PROXY is a hop count or a list of proxy addresses/CIDRs, and trusts nobody by default, production included', () => {
    expect(loadConfig(base).trustProxy).toBeNull();
    expect(loadConfig(prod).trustProxy).toBeNull();
    expect(loadConfig({ ...prod, TRUST_PROXY: '0' }).trustProxy).toBeNull();
    expect(loadConfig({ ...prod, TRUST_PROXY: '2' }).trustProxy).toEqual({ hops: 2 });
    expect(loadConfig({ ...prod, TRUST_PROXY: '10.0.0.0/8, 192.168.1.7,::1,fd00::/8' }).trustProxy).toEqual({
      proxies: ['10.0.0.0/8', '192.168.1.7', '::1', 'fd00::/8'],
    });
    for (const bad of [
      'true',
      'yes',
      '10.0.0.0/33',
      '10.0.0.1/8/1',
      '::1/129',
      '10.0.0',
      '10.0.0.1,,',
      '11',
    ]) {
      expect(problems({ ...prod, TRUST_PROXY: bad })).toContain('TRUST_PROXY');
    }
  });

  it('issue 8 finding 6: DOCS_ENABLED defaults to off in production and on elsewhere, and can be set either way', () => {
    expect(loadConfig(prod).docsEnabled).toBe(false);
    expect(loadConfig({ ...prod, DOCS_ENABLED: 'true' }).docsEnabled).toBe(true);
    expect(loadConfig(base).docsEnabled).toBe(true);
    expect(loadConfig({ ...base, DOCS_ENABLED: 'false' }).docsEnabled).toBe(false);
    expect(problems({ ...prod, DOCS_ENABLED: 'yes' })).toContain('DOCS_ENABLED');
  });

  it('the server entry point exits non-zero with the message when the configuration is bad', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, '../../src/server.ts')], {
      env: {
        PATH: process.env.PATH,
        APP_ENV: 'production',
        TENANTS: tenant(),
        DATA_ENCRYPTION_KEY: 'short-data-key-secret',
      },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('DATA_ENCRYPTION_KEY');
    expect(run.stderr).not.toContain('short-data-key-secret');
    expect(run.stderr).not.toContain('tenant-password-secret');
  });
});
