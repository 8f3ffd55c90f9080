// Configuration, validated once at boot. A missing or malformed value stops the process with a message naming
// it; nothing here has side effects at import time. Every variable is documented in the README.
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { directoryConfigProblems } from './directories';
import { assertValidPolicy, DEFAULT_POLICY, mergePolicy, type PolicyOverride } from './domain/risk/policy';
import { isIP } from 'node:net';

const Bool = Type.Union([Type.Literal('true'), Type.Literal('false')]);
const Int = (min: number, max: number) => Type.String({ pattern: '^[0-9]+$', description: `${min}..${max}` });

const EnvSchema = Type.Object({
  APP_ENV: Type.Optional(
    Type.Union([Type.Literal('production'), Type.Literal('development'), Type.Literal('test')]),
  ),
  HOST: Type.Optional(Type.String({ minLength: 1 })),
  PORT: Type.Optional(Int(0, 65535)),
  PUBLIC_BASE_URL: Type.Optional(Type.String({ pattern: '^https?://[^/]+$' })),
  LOG_LEVEL: Type.Optional(
    Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l))),
  ),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  DATABASE_POOL_SIZE: Type.Optional(Int(1, 100)),
  EMBEDDED_DB_DIR: Type.Optional(Type.String({ minLength: 1 })),
  MIGRATE_ON_START: Type.Optional(Bool),
  RUN_WORKER: Type.Optional(Bool),
  WORKER_CONCURRENCY: Type.Optional(Int(1, 64)),
  DATA_ENCRYPTION_KEY: Type.String({ minLength: 44 }),
  TENANTS: Type.Optional(Type.String({ minLength: 2 })),
  TENANTS_FILE: Type.Optional(Type.String({ minLength: 1 })),
  LINK_TTL_MINUTES: Type.Optional(Int(2, 60)),
  VERIFICATION_TIMEOUT_MINUTES: Type.Optional(Int(2, 120)),
  AGENT_SESSION_MINUTES: Type.Optional(Int(5, 720)),
  COOKIE_SECURE: Type.Optional(Bool),
  EMAIL_PROVIDER: Type.Optional(Type.Union([Type.Literal('sendgrid'), Type.Literal('dev')])),
  SMS_PROVIDER: Type.Optional(Type.Union([Type.Literal('twilio'), Type.Literal('dev')])),
  SENDGRID_API_KEY: Type.Optional(Type.String({ minLength: 1 })),
  SENDGRID_FROM_EMAIL: Type.Optional(Type.String({ minLength: 3 })),
  SENDGRID_FROM_NAME: Type.Optional(Type.String({ minLength: 1 })),
  SENDGRID_BASE_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  SENDGRID_WEBHOOK_PUBLIC_KEY: Type.Optional(Type.String({ minLength: 20 })),
  TWILIO_ACCOUNT_SID: Type.Optional(Type.String({ pattern: '^AC[0-9a-fA-F]{32}$' })),
  TWILIO_AUTH_TOKEN: Type.Optional(Type.String({ minLength: 8 })),
  TWILIO_FROM: Type.Optional(Type.String({ minLength: 3 })),
  TWILIO_MESSAGING_SERVICE_SID: Type.Optional(Type.String({ pattern: '^MG[0-9a-fA-F]{32}$' })),
  TWILIO_BASE_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  DEMO_LAUNCH_SECRET: Type.Optional(Type.String()),
  RATE_LIMIT_PER_IP_PER_MINUTE: Type.Optional(Int(1, 100000)),
  RATE_LIMIT_SENDS_PER_AGENT_PER_HOUR: Type.Optional(Int(1, 10000)),
  RATE_LIMIT_SENDS_PER_RECIPIENT_PER_HOUR: Type.Optional(Int(1, 1000)),
  RATE_LIMIT_SENDS_PER_VERIFICATION: Type.Optional(Int(1, 100)),
  RATE_LIMIT_DIRECT_STARTS_PER_ACCOUNT_PER_HOUR: Type.Optional(Int(1, 100)),
  RATE_LIMIT_PER_API_KEY_PER_MINUTE: Type.Optional(Int(1, 100000)),
  RATE_LIMIT_SELF_SERVICE_PER_IP_PER_MINUTE: Type.Optional(Int(1, 10000)),
  WRITEBACK_RETRY_HORIZON_HOURS: Type.Optional(Int(1, 2160)),
  TRUST_PROXY: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
  SERVICENOW_REQUEST_BUDGET_MS: Type.Optional(Int(500, 25000)),
  DOCS_ENABLED: Type.Optional(Bool),
  RISK_RESERVED_ADDRESSES: Type.Optional(Type.Union([Type.Literal('missing'), Type.Literal('internal')])),
  CALL_CODE: Type.Optional(Type.Union([Type.Literal('agent'), Type.Literal('off')])),
  CHALLENGE_MAX_SUBMISSIONS_EXTRA: Type.Optional(Int(0, 10)),
  ACCOUNT_MAX_CONSECUTIVE_FAILURES: Type.Optional(Int(1, 100)),
  ATTESTATION_TIMEOUT_MINUTES: Type.Optional(Int(5, 1440)),
  ACTION_WINDOW_MINUTES: Type.Optional(Int(1, 60)),
  PASSWORD_MIN_LENGTH: Type.Optional(Int(8, 64)),
  CONSOLE_SESSION_IDLE_MINUTES: Type.Optional(Int(1, 1440)),
  CONSOLE_SESSION_MAX_HOURS: Type.Optional(Int(1, 168)),
  RATE_LIMIT_CONSOLE_LOGIN_PER_IP_PER_MINUTE: Type.Optional(Int(1, 10000)),
});

/** What a tenant may change of the risk policy (domain/risk/policy.ts), for all its requests or per category. */
const RiskOverrideFields = {
  thresholds: Type.Optional(
    Type.Object(
      { medium: Type.Number({ minimum: 0, maximum: 10 }), high: Type.Number({ minimum: 0, maximum: 10 }) },
      { additionalProperties: false },
    ),
  ),
  weights: Type.Optional(Type.Record(Type.String({ pattern: '^[a-z-]{1,60}$' }), Type.Number())),
  disabledRules: Type.Optional(Type.Array(Type.String({ pattern: '^[a-z-]{1,60}$' }), { maxItems: 50 })),
  stepUp: Type.Optional(
    Type.Object(
      {
        atMedium: Type.Optional(Type.Boolean()),
        typedDestinationApprovedUpTo: Type.Optional(
          Type.Union([Type.Literal('verified'), Type.Literal('medium')]),
        ),
      },
      { additionalProperties: false },
    ),
  ),
};
const RiskOverrideSchema = Type.Object(
  {
    ...RiskOverrideFields,
    /** Per request category (the ticket's `category` value), on top of the tenant's own */
    categories: Type.Optional(
      Type.Record(
        Type.String({ pattern: '^[A-Za-z0-9_ -]{1,80}$' }),
        Type.Object(RiskOverrideFields, { additionalProperties: false }),
      ),
    ),
  },
  { additionalProperties: false },
);
export type RiskOverrideConfig = Static<typeof RiskOverrideSchema>;

const TenantSchema = Type.Object(
  {
    slug: Type.String({ pattern: '^[a-z0-9-]{1,40}$' }),
    name: Type.String({ minLength: 1, maxLength: 120, description: 'Helpdesk name shown to requesters' }),
    instanceUrl: Type.String({ pattern: '^https?://[^/]+$' }),
    auth: Type.Union([
      Type.Object({
        type: Type.Literal('basic'),
        username: Type.String({ minLength: 1 }),
        password: Type.String({ minLength: 1 }),
      }),
      Type.Object({
        type: Type.Literal('oauth'),
        clientId: Type.String({ minLength: 1 }),
        clientSecret: Type.String({ minLength: 1 }),
      }),
    ]),
    launchSecret: Type.String({ minLength: 44, description: 'base64, at least 32 bytes' }),
    /** The tenant's risk thresholds, weights and step-up choices, optionally per request category */
    risk: Type.Optional(RiskOverrideSchema),
    /** Where the tenant's accounts live for the automated actions (default: its ServiceNow sys_user) */
    directory: Type.Optional(
      Type.Object(
        {
          kind: Type.Union([
            Type.Literal('servicenow'),
            Type.Literal('ldap'),
            Type.Literal('active_directory'),
            Type.Literal('entra'),
            Type.Literal('okta'),
          ]),
        },
        { additionalProperties: true },
      ),
    ),
  },
  { additionalProperties: false },
);
export type TenantConfig = Static<typeof TenantSchema>;

export interface Config {
  env: 'production' | 'development' | 'test';
  host: string;
  port: number;
  publicBaseUrl: string;
  logLevel: string;
  databaseUrl: string | null;
  databasePoolSize: number;
  embeddedDbDir: string;
  migrateOnStart: boolean;
  runWorker: boolean;
  workerConcurrency: number;
  dataEncryptionKey: Buffer;
  tenants: TenantConfig[];
  linkTtlMinutes: number;
  verificationTimeoutMinutes: number;
  agentSessionMinutes: number;
  cookieSecure: boolean;
  email:
    | { provider: 'dev' }
    | { provider: 'sendgrid'; apiKey: string; fromEmail: string; fromName: string; baseUrl?: string };
  sms:
    | { provider: 'dev' }
    | {
        provider: 'twilio';
        accountSid: string;
        authToken: string;
        from?: string;
        messagingServiceSid?: string;
        baseUrl?: string;
      };
  sendgridWebhookPublicKey: string | null;
  twilioAuthToken: string | null;
  devTransport: boolean;
  /** How long a write-back keeps being retried through ServiceNow failures before it is dead-lettered. */
  writebackRetryHorizonHours: number;
  rateLimits: {
    perIpPerMinute: number;
    sendsPerAgentPerHour: number;
    sendsPerRecipientPerHour: number;
    sendsPerVerification: number;
    /** Self-service and API starts for one account in an hour (each creates a ticket and sends a message) */
    directStartsPerAccountPerHour: number;
    /** Requests one API key may make in a minute (F7 API start), on top of the per-IP limit */
    perApiKeyPerMinute: number;
    /** Self-service requests (POST /self-service) per client IP per minute, whatever the identifier (S8, S16) */
    selfServicePerIpPerMinute: number;
    /** Console sign-in attempts (POST /console/login) per client IP per minute, on top of the per-account lock */
    consoleLoginPerIpPerMinute: number;
  };
  /**
   * Whose `X-Forwarded-For` is believed (S16, S21): null = nobody (the socket's address is the client); `hops` = that
   * many proxies in front, whatever their addresses; `proxies` = the addresses/CIDRs of the proxies in front.
   */
  trustProxy: null | { hops: number } | { proxies: string[] };
  /**
   * Total time, retries included, for the ServiceNow calls an agent's request waits on. Below the server's 30 s
   * request timeout, so the agent always gets the "did not answer in time" page rather than a dropped connection.
   * Worker jobs do not use it (they reschedule themselves).
   */
  servicenowRequestBudgetMs: number;
  /** Serve the OpenAPI UI and document at /docs (swagger-ui needs a weaker CSP there); off in production by default. */
  docsEnabled: boolean;
  /** S13: how long after passing the requester may run the automated action */
  actionWindowMinutes: number;
  /** S12: the shortest new password accepted (never below 8) */
  passwordMinLength: number;
  /** F8/S18: console sessions end after this long without a request, and at the latest after `maxHours`. */
  console: { sessionIdleMinutes: number; sessionMaxHours: number };
  assurance: {
    /** A loopback/private client address: missing network data (default) or the tenant's own network (demo). */
    reservedAddresses: 'missing' | 'internal';
    /** Number matching for agent-initiated verifications: 'agent' (default) asks for the agent's code first. */
    callCode: 'agent' | 'off';
    /** S5: submissions a challenge allows beyond one per question (double clicks, a reload). */
    extraSubmissions: number;
    /** S5: consecutive failed verifications an account may have before Start is refused (NIST: at most 100). */
    maxConsecutiveFailures: number;
    /** How long the requester's manager has to attest (step-up) before the verification fails. */
    attestationTimeoutMinutes: number;
  };
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

/** Reads and validates the configuration from an environment (defaults to process.env). */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const env = Object.fromEntries(
    Object.keys(EnvSchema.properties)
      .filter((k) => source[k] !== undefined && source[k] !== '')
      .map((k) => [k, source[k]]),
  );
  const problems: string[] = [];
  for (const err of Value.Errors(EnvSchema, env)) {
    const name = err.path.replace(/^\//, '') || 'environment';
    // Never echo a secret: key/token/secret variables, the tenants (credentials inside), and any URL (a
    // DATABASE_URL carries its password).
    const sensitive = /KEY|TOKEN|SECRET|PASSWORD|TENANTS|URL/.test(name);
    problems.push(`${name}: ${err.message}${sensitive ? '' : ` (got ${JSON.stringify(err.value)})`}`);
  }
  if (problems.length) throw new ConfigError(problems);
  const e = env as Static<typeof EnvSchema>;
  const appEnv = e.APP_ENV ?? 'development';
  const int = (v: string | undefined, def: number, min: number, max: number, name: string) => {
    if (v === undefined) return def;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max)
      problems.push(`${name}: must be a whole number from ${min} to ${max}`);
    return n;
  };
  const bool = (v: string | undefined, def: boolean) => (v === undefined ? def : v === 'true');

  const port = int(e.PORT, 8080, 0, 65535, 'PORT');
  const key = Buffer.from(e.DATA_ENCRYPTION_KEY, 'base64');
  if (key.length !== 32) problems.push('DATA_ENCRYPTION_KEY: must be 32 bytes, base64-encoded');

  let tenants: TenantConfig[] = [];
  const tenantsRaw = e.TENANTS ?? (e.TENANTS_FILE ? readFile(e.TENANTS_FILE, problems) : undefined);
  if (tenantsRaw === undefined)
    problems.push('TENANTS or TENANTS_FILE: at least one ServiceNow instance must be configured');
  else {
    try {
      const parsed: unknown = JSON.parse(tenantsRaw);
      const list = Type.Array(TenantSchema, { minItems: 1 });
      if (!Value.Check(list, parsed)) {
        for (const err of Value.Errors(list, parsed)) problems.push(`TENANTS${err.path}: ${err.message}`);
      } else {
        tenants = parsed;
        for (const t of tenants) {
          if (Buffer.from(t.launchSecret, 'base64').length < 32)
            problems.push(`TENANTS (${t.slug}): launchSecret must be at least 32 bytes, base64`);
          problems.push(...riskPolicyProblems(t));
          problems.push(
            ...directoryConfigProblems(t.directory).map((p) => `TENANTS (${t.slug}) directory: ${p}`),
          );
        }
        const urls = new Set(tenants.map((t) => t.instanceUrl));
        if (urls.size !== tenants.length) problems.push('TENANTS: two tenants share an instanceUrl');
      }
    } catch {
      problems.push('TENANTS: not valid JSON');
    }
  }

  const emailProvider = e.EMAIL_PROVIDER ?? (appEnv === 'production' ? 'sendgrid' : 'dev');
  const smsProvider = e.SMS_PROVIDER ?? (appEnv === 'production' ? 'twilio' : 'dev');
  const need = (name: keyof typeof e) => {
    if (!e[name]) problems.push(`${name}: required with the chosen provider`);
    return e[name] as string;
  };
  const email: Config['email'] =
    emailProvider === 'sendgrid'
      ? {
          provider: 'sendgrid',
          apiKey: need('SENDGRID_API_KEY'),
          fromEmail: need('SENDGRID_FROM_EMAIL'),
          fromName: e.SENDGRID_FROM_NAME ?? 'IT Helpdesk verification',
          ...(e.SENDGRID_BASE_URL ? { baseUrl: e.SENDGRID_BASE_URL } : {}),
        }
      : { provider: 'dev' };
  let sms: Config['sms'] = { provider: 'dev' };
  if (smsProvider === 'twilio') {
    if (!e.TWILIO_FROM && !e.TWILIO_MESSAGING_SERVICE_SID)
      problems.push('TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID: required with SMS_PROVIDER=twilio');
    sms = {
      provider: 'twilio',
      accountSid: need('TWILIO_ACCOUNT_SID'),
      authToken: need('TWILIO_AUTH_TOKEN'),
      ...(e.TWILIO_FROM ? { from: e.TWILIO_FROM } : {}),
      ...(e.TWILIO_MESSAGING_SERVICE_SID ? { messagingServiceSid: e.TWILIO_MESSAGING_SERVICE_SID } : {}),
      ...(e.TWILIO_BASE_URL ? { baseUrl: e.TWILIO_BASE_URL } : {}),
    };
  }
  if (email.provider === 'sendgrid' && !e.SENDGRID_WEBHOOK_PUBLIC_KEY)
    problems.push(
      'SENDGRID_WEBHOOK_PUBLIC_KEY: required with EMAIL_PROVIDER=sendgrid (signed event webhook)',
    );
  const devTransport = email.provider === 'dev' || sms.provider === 'dev';

  if (appEnv === 'production') {
    if (devTransport)
      problems.push('EMAIL_PROVIDER/SMS_PROVIDER: the dev transport is refused in production');
    if (e.DEMO_LAUNCH_SECRET) problems.push('DEMO_LAUNCH_SECRET: demo secrets are refused in production');
    if (!e.PUBLIC_BASE_URL) problems.push('PUBLIC_BASE_URL: required in production');
    else if (!e.PUBLIC_BASE_URL.startsWith('https://'))
      problems.push('PUBLIC_BASE_URL: must be https in production');
    if (e.COOKIE_SECURE === 'false') problems.push('COOKIE_SECURE: cannot be false in production');
  }

  const trustProxy = parseTrustProxy(e.TRUST_PROXY, problems);

  const config: Config = {
    env: appEnv,
    host: e.HOST ?? (appEnv === 'production' ? '0.0.0.0' : '127.0.0.1'),
    port,
    publicBaseUrl: e.PUBLIC_BASE_URL ?? `http://localhost:${port}`,
    logLevel: e.LOG_LEVEL ?? (appEnv === 'test' ? 'silent' : 'info'),
    databaseUrl: e.DATABASE_URL ?? null,
    databasePoolSize: int(e.DATABASE_POOL_SIZE, 10, 1, 100, 'DATABASE_POOL_SIZE'),
    embeddedDbDir: e.EMBEDDED_DB_DIR ?? '.data/pglite',
    migrateOnStart: bool(e.MIGRATE_ON_START, appEnv !== 'production'),
    runWorker: bool(e.RUN_WORKER, true),
    workerConcurrency: int(e.WORKER_CONCURRENCY, 4, 1, 64, 'WORKER_CONCURRENCY'),
    dataEncryptionKey: key,
    tenants,
    linkTtlMinutes: int(e.LINK_TTL_MINUTES, 10, 2, 60, 'LINK_TTL_MINUTES'),
    verificationTimeoutMinutes: int(
      e.VERIFICATION_TIMEOUT_MINUTES,
      15,
      2,
      120,
      'VERIFICATION_TIMEOUT_MINUTES',
    ),
    agentSessionMinutes: int(e.AGENT_SESSION_MINUTES, 60, 5, 720, 'AGENT_SESSION_MINUTES'),
    cookieSecure: bool(e.COOKIE_SECURE, appEnv === 'production'),
    email,
    sms,
    sendgridWebhookPublicKey: e.SENDGRID_WEBHOOK_PUBLIC_KEY ?? null,
    twilioAuthToken: e.TWILIO_AUTH_TOKEN ?? null,
    devTransport,
    writebackRetryHorizonHours: int(
      e.WRITEBACK_RETRY_HORIZON_HOURS,
      72,
      1,
      2160,
      'WRITEBACK_RETRY_HORIZON_HOURS',
    ),
    rateLimits: {
      perIpPerMinute: int(e.RATE_LIMIT_PER_IP_PER_MINUTE, 300, 1, 100000, 'RATE_LIMIT_PER_IP_PER_MINUTE'),
      sendsPerAgentPerHour: int(
        e.RATE_LIMIT_SENDS_PER_AGENT_PER_HOUR,
        60,
        1,
        10000,
        'RATE_LIMIT_SENDS_PER_AGENT_PER_HOUR',
      ),
      sendsPerRecipientPerHour: int(
        e.RATE_LIMIT_SENDS_PER_RECIPIENT_PER_HOUR,
        5,
        1,
        1000,
        'RATE_LIMIT_SENDS_PER_RECIPIENT_PER_HOUR',
      ),
      sendsPerVerification: int(
        e.RATE_LIMIT_SENDS_PER_VERIFICATION,
        3,
        1,
        100,
        'RATE_LIMIT_SENDS_PER_VERIFICATION',
      ),
      directStartsPerAccountPerHour: int(
        e.RATE_LIMIT_DIRECT_STARTS_PER_ACCOUNT_PER_HOUR,
        3,
        1,
        100,
        'RATE_LIMIT_DIRECT_STARTS_PER_ACCOUNT_PER_HOUR',
      ),
      perApiKeyPerMinute: int(
        e.RATE_LIMIT_PER_API_KEY_PER_MINUTE,
        60,
        1,
        100000,
        'RATE_LIMIT_PER_API_KEY_PER_MINUTE',
      ),
      selfServicePerIpPerMinute: int(
        e.RATE_LIMIT_SELF_SERVICE_PER_IP_PER_MINUTE,
        10,
        1,
        10000,
        'RATE_LIMIT_SELF_SERVICE_PER_IP_PER_MINUTE',
      ),
      consoleLoginPerIpPerMinute: int(
        e.RATE_LIMIT_CONSOLE_LOGIN_PER_IP_PER_MINUTE,
        20,
        1,
        10000,
        'RATE_LIMIT_CONSOLE_LOGIN_PER_IP_PER_MINUTE',
      ),
    },
    trustProxy,
    servicenowRequestBudgetMs: int(
      e.SERVICENOW_REQUEST_BUDGET_MS,
      12_000,
      500,
      25_000,
      'SERVICENOW_REQUEST_BUDGET_MS',
    ),
    docsEnabled: bool(e.DOCS_ENABLED, appEnv !== 'production'),
    actionWindowMinutes: int(e.ACTION_WINDOW_MINUTES, 15, 1, 60, 'ACTION_WINDOW_MINUTES'),
    passwordMinLength: int(e.PASSWORD_MIN_LENGTH, 15, 8, 64, 'PASSWORD_MIN_LENGTH'),
    console: {
      sessionIdleMinutes: int(e.CONSOLE_SESSION_IDLE_MINUTES, 30, 1, 1440, 'CONSOLE_SESSION_IDLE_MINUTES'),
      sessionMaxHours: int(e.CONSOLE_SESSION_MAX_HOURS, 12, 1, 168, 'CONSOLE_SESSION_MAX_HOURS'),
    },
    assurance: {
      reservedAddresses: e.RISK_RESERVED_ADDRESSES ?? 'missing',
      callCode: e.CALL_CODE ?? 'agent',
      extraSubmissions: int(e.CHALLENGE_MAX_SUBMISSIONS_EXTRA, 2, 0, 10, 'CHALLENGE_MAX_SUBMISSIONS_EXTRA'),
      maxConsecutiveFailures: int(
        e.ACCOUNT_MAX_CONSECUTIVE_FAILURES,
        100,
        1,
        100,
        'ACCOUNT_MAX_CONSECUTIVE_FAILURES',
      ),
      attestationTimeoutMinutes: int(
        e.ATTESTATION_TIMEOUT_MINUTES,
        30,
        5,
        1440,
        'ATTESTATION_TIMEOUT_MINUTES',
      ),
    },
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}

/** Every policy a tenant's risk settings produce (its own, and each category's) must be one the engine can use. */
function riskPolicyProblems(t: TenantConfig): string[] {
  const out: string[] = [];
  const { categories, ...own } = t.risk ?? {};
  const check = (label: string, ...o: PolicyOverride[]) => {
    try {
      assertValidPolicy(mergePolicy(DEFAULT_POLICY, ...o));
    } catch (err) {
      out.push(`TENANTS (${t.slug}) risk${label}: ${(err as Error).message.replace(/^risk policy: /, '')}`);
    }
  };
  check('', own);
  for (const [c, o] of Object.entries(categories ?? {})) check(`.categories.${c}`, own, o);
  return out;
}

/**
 * TRUST_PROXY: a whole number of hops (0 = none), or a comma list of the proxies' IP addresses or CIDR ranges
 * (`10.0.0.0/8,::1`). Unset = none, in every environment.
 */
function parseTrustProxy(raw: string | undefined, problems: string[]): Config['trustProxy'] {
  if (raw === undefined) return null;
  const value = raw.trim();
  if (/^[0-9]+$/.test(value)) {
    const hops = Number(value);
    if (hops > 10) problems.push('TRUST_PROXY: a hop count must be from 0 to 10');
    return hops === 0 ? null : { hops };
  }
  const proxies = value.split(',').map((p) => p.trim());
  for (const p of proxies) {
    const [address = '', prefix, ...rest] = p.split('/');
    const family = isIP(address);
    const max = family === 6 ? 128 : 32;
    const prefixOk = prefix === undefined || (/^[0-9]{1,3}$/.test(prefix) && Number(prefix) <= max);
    if (!family || !prefixOk || rest.length) {
      problems.push(
        `TRUST_PROXY: ${JSON.stringify(p.slice(0, 60))} is neither an IP address nor a CIDR range (expected a hop count or a comma list such as 10.0.0.0/8,::1)`,
      );
    }
  }
  return { proxies };
}

function readFile(path: string, problems: string[]): string | undefined {
  try {
    return require('node:fs').readFileSync(path, 'utf8') as string;
  } catch {
    problems.push(`TENANTS_FILE: cannot read ${path}`);
    return undefined;
  }
}
