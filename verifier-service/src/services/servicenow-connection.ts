// Settings → ServiceNow connection (F8 §6): what the console shows of a tenant's connection, the connection test,
// and credentials set from the console. Secrets are write-only: they are sealed in the database, handed to the
// ServiceNow client (which scrubs them from its errors) and never returned, rendered, logged or audited.
//
// The test runs the authenticated reads the product depends on, each with its own outcome, on a client of its own:
// one attempt per read, a short per-read timeout and an overall deadline within the request budget — an admin waits
// for the answer, and an integration user must not be locked out by a burst of retries with a wrong password (after a
// refused sign-in, or no answer at all, the remaining reads are skipped).
import type { Deps } from '../context';
import { AppError } from '../errors';
import { appendAuditEvent } from '../repositories/audit';
import { findInstanceHealth } from '../repositories/instance-health';
import { findTenantRow, setConsoleCredentials, writebackBacklog } from '../repositories/tenants';
import {
  createServiceNowClient,
  isServiceNowError,
  type ServiceNowAuth,
  type ServiceNowClient,
} from '../clients/servicenow/client';
import { fetchCategoryPolicies, POLICY_TABLE } from '../clients/servicenow/category-policies';
import { effectiveAuth } from './tenants';

export const CHECKS = ['auth', 'policies', 'incidents'] as const;
export type CheckName = (typeof CHECKS)[number];

/** The table each check reads. */
export const CHECK_TABLES: Record<CheckName, string> = {
  auth: 'sys_user',
  policies: POLICY_TABLE,
  incidents: 'incident',
};

export const CHECK_CODES = [
  'SERVICENOW_AUTH_REJECTED',
  'SERVICENOW_FORBIDDEN',
  'SERVICENOW_UNREACHABLE',
  'SERVICENOW_NO_POLICIES',
  'SERVICENOW_ERROR',
] as const;
export type CheckCode = (typeof CHECK_CODES)[number];

export interface CheckResult {
  check: CheckName;
  table: string;
  status: 'ok' | 'failed' | 'skipped';
  durationMs: number;
  /** When failed: what went wrong, stable */
  code?: CheckCode;
  /** The instance's HTTP status, when it answered */
  httpStatus?: number;
  /** policies: the active category policies the integration user sees */
  count?: number;
}

export interface ConnectionTest {
  ok: boolean;
  checks: CheckResult[];
}

export type AuthType = ServiceNowAuth['type'];

export interface ConnectionFacts {
  tenant: { slug: string; name: string; instanceUrl: string };
  credentials: {
    source: 'configuration' | 'console';
    authType: AuthType;
    username: string | null;
    clientId: string | null;
    /** Always true today (configuration requires one); the value itself is never given out */
    secretSet: boolean;
    /** The last change made in the console (setting them, or going back to the configured ones) */
    changedAt: Date | null;
    changedBy: string | null;
  };
  /** The configured credentials (what "Use the configured credentials" goes back to) */
  configured: { authType: AuthType; username: string | null; clientId: string | null };
  health: {
    state: 'up' | 'down';
    downSince: Date | null;
    lastProbeAt: Date | null;
    lastError: string | null;
  };
  backlog: { pending: number; dead: number };
}

/** The parts of credentials that may be shown: never the password or client secret. */
const publicPart = (a: ServiceNowAuth) => ({
  authType: a.type,
  username: a.type === 'basic' ? a.username : null,
  clientId: a.type === 'oauth' ? a.clientId : null,
});

async function tenantRow(deps: Pick<Deps, 'db'>, tenantId: string) {
  const row = await findTenantRow(deps.db, tenantId);
  if (!row) throw new AppError('NOT_FOUND', 'This helpdesk is not configured here.');
  return row;
}

export async function connectionFacts(
  deps: Pick<Deps, 'db' | 'sealer'>,
  tenantId: string,
): Promise<ConnectionFacts> {
  const row = await tenantRow(deps, tenantId);
  const [health, backlog] = await Promise.all([
    findInstanceHealth(deps.db, tenantId),
    writebackBacklog(deps.db, tenantId),
  ]);
  const effective = publicPart(effectiveAuth(deps.sealer, row));
  const configured = publicPart(JSON.parse(deps.sealer.open(row.credentials_sealed)) as ServiceNowAuth);
  return {
    tenant: { slug: row.slug, name: row.name, instanceUrl: row.instance_url },
    credentials: {
      source: row.console_credentials_sealed ? 'console' : 'configuration',
      ...effective,
      secretSet: true,
      changedAt: row.credentials_changed_at ? new Date(row.credentials_changed_at) : null,
      changedBy: row.credentials_changed_by,
    },
    configured,
    health: health
      ? {
          state: 'down',
          downSince: new Date(health.down_since),
          lastProbeAt: health.last_probe_at ? new Date(health.last_probe_at) : null,
          lastError: health.last_error,
        }
      : { state: 'up', downSince: null, lastProbeAt: null, lastError: null },
    backlog,
  };
}

/** What a failed read means for the admin (the mapping the page's next steps follow). */
export function classifyFailure(err: unknown): { code: CheckCode; httpStatus?: number } {
  if (!isServiceNowError(err)) return { code: 'SERVICENOW_ERROR' };
  const httpStatus = err.status !== undefined ? { httpStatus: err.status } : {};
  // `auth`: a refused OAuth token request (invalid_client answers 401, some instances 400) or a 401 on a read.
  if (err.kind === 'auth' || err.status === 401) return { code: 'SERVICENOW_AUTH_REJECTED', ...httpStatus };
  if (err.status === 403) return { code: 'SERVICENOW_FORBIDDEN', ...httpStatus };
  // No answer, or a gateway/front door saying the instance behind it is not there (hibernating, maintenance).
  if (err.kind === 'network' || err.kind === 'timeout' || [502, 503, 504].includes(err.status ?? 0))
    return { code: 'SERVICENOW_UNREACHABLE', ...httpStatus };
  return { code: 'SERVICENOW_ERROR', ...httpStatus };
}

/** One attempt per read, this long at most (the test's overall deadline may cut it shorter). */
const CHECK_TIMEOUT_MS = 5_000;

/** Runs the checks with these credentials against the tenant's instance. */
export async function runConnectionTest(
  deps: Pick<Deps, 'config'>,
  instanceUrl: string,
  auth: ServiceNowAuth,
): Promise<ConnectionTest> {
  const budget = deps.config.servicenowRequestBudgetMs;
  const client = createServiceNowClient({
    instanceUrl,
    auth,
    timeoutMs: Math.min(CHECK_TIMEOUT_MS, budget),
    retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
  });
  const deadline = Date.now() + budget;
  const reads: Record<CheckName, (c: ServiceNowClient) => Promise<{ count?: number; empty?: boolean }>> = {
    auth: async (c) => {
      await c.query('sys_user', { fields: ['sys_id'], limit: 1, deadline });
      return {};
    },
    policies: async (c) => {
      const rows = await fetchCategoryPolicies(c, { deadline });
      return { count: rows.length, empty: rows.length === 0 };
    },
    incidents: async (c) => {
      await c.query('incident', { fields: ['sys_id'], limit: 1, deadline });
      return {};
    },
  };
  const checks: CheckResult[] = [];
  let stop = false;
  for (const check of CHECKS) {
    const base = { check, table: CHECK_TABLES[check] };
    if (stop) {
      checks.push({ ...base, status: 'skipped', durationMs: 0 });
      continue;
    }
    const started = performance.now();
    const took = () => Math.round(performance.now() - started);
    try {
      const r = await reads[check](client);
      const count = r.count !== undefined ? { count: r.count } : {};
      // No active policy visible: either none is set up, or the integration user may not read them (an ACL hides
      // rows rather than refusing the read). Either way no ticket would be offered a verification.
      if (r.empty)
        checks.push({
          ...base,
          status: 'failed',
          durationMs: took(),
          code: 'SERVICENOW_NO_POLICIES',
          ...count,
        });
      else checks.push({ ...base, status: 'ok', durationMs: took(), ...count });
    } catch (err) {
      const failure = classifyFailure(err);
      checks.push({ ...base, status: 'failed', durationMs: took(), ...failure });
      // Another read would be refused or go unanswered the same way (and repeated refused sign-ins can lock the
      // integration user out).
      if (failure.code === 'SERVICENOW_AUTH_REJECTED' || failure.code === 'SERVICENOW_UNREACHABLE')
        stop = true;
    }
  }
  return { ok: checks.every((c) => c.status === 'ok'), checks };
}

const failedChecks = (t: ConnectionTest) => t.checks.filter((c) => c.status !== 'ok').map((c) => c.check);

async function audit(
  deps: Pick<Deps, 'db' | 'clock'>,
  e: { tenantId: string; type: string; actor: string; data: Record<string, unknown> },
) {
  await deps.db
    .transaction()
    .execute((trx) => appendAuditEvent(trx, { ...e, verificationId: null, createdAt: deps.clock.now() }));
}

const actorOf = (username: string) => `console:${username}`;

/** "Test connection": the tenant's current credentials (the console's, else the configured ones). Audited. */
export async function testConnection(
  deps: Pick<Deps, 'db' | 'sealer' | 'config' | 'clock' | 'log'>,
  tenantId: string,
  by: string,
): Promise<ConnectionTest> {
  const row = await tenantRow(deps, tenantId);
  const result = await runConnectionTest(deps, row.instance_url, effectiveAuth(deps.sealer, row));
  await audit(deps, {
    tenantId,
    type: 'settings.servicenow_tested',
    actor: actorOf(by),
    data: { ok: result.ok, failedChecks: failedChecks(result) },
  });
  deps.log.info(
    { tenant: row.slug, ok: result.ok, checks: result.checks.map((c) => `${c.check}:${c.code ?? c.status}`) },
    'ServiceNow connection tested',
  );
  return result;
}

/** Credentials as typed in the form or sent to the API, before they are checked. */
export interface CredentialsInput {
  authType: AuthType;
  username?: string | undefined;
  password?: string | undefined;
  clientId?: string | undefined;
  clientSecret?: string | undefined;
}

export type CredentialsProblem = 'username' | 'password' | 'clientId' | 'clientSecret';

export const CREDENTIAL_LIMITS = { id: 200, secret: 1000 } as const;

/**
 * The credentials to test, or the field that is wrong. User name and client id are trimmed; secrets are taken as
 * typed (a password may start or end with a space). A user name cannot hold a colon (basic auth, RFC 7617).
 */
export function parseCredentials(
  input: CredentialsInput,
): { auth: ServiceNowAuth } | { problem: CredentialsProblem } {
  const id = (v: string | undefined) => (v ?? '').trim();
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  const bad = (v: string, max: number) => !v || v.length > max || /[\u0000-\u001f\u007f]/.test(v);
  if (input.authType === 'basic') {
    const username = id(input.username);
    const password = input.password ?? '';
    if (bad(username, CREDENTIAL_LIMITS.id) || username.includes(':')) return { problem: 'username' };
    if (bad(password, CREDENTIAL_LIMITS.secret)) return { problem: 'password' };
    return { auth: { type: 'basic', username, password } };
  }
  const clientId = id(input.clientId);
  const clientSecret = input.clientSecret ?? '';
  if (bad(clientId, CREDENTIAL_LIMITS.id)) return { problem: 'clientId' };
  if (bad(clientSecret, CREDENTIAL_LIMITS.secret)) return { problem: 'clientSecret' };
  return { auth: { type: 'oauth', clientId, clientSecret } };
}

export interface ChangeResult {
  saved: boolean;
  /** The checks the candidate went through (saved only when all passed) */
  test: ConnectionTest;
}

/**
 * Replaces the tenant's credentials with the console's: tested first with the same checks, saved (sealed) only when
 * every check passes, then this process's client is replaced at once; other replicas follow (services/tenants.ts).
 */
export async function changeCredentials(
  deps: Pick<Deps, 'db' | 'sealer' | 'config' | 'clock' | 'log' | 'tenants'>,
  tenantId: string,
  by: string,
  auth: ServiceNowAuth,
): Promise<ChangeResult> {
  const row = await tenantRow(deps, tenantId);
  const test = await runConnectionTest(deps, row.instance_url, auth);
  const shown = publicPart(auth);
  const who = auth.type === 'basic' ? { username: auth.username } : { clientId: auth.clientId };
  if (!test.ok) {
    await audit(deps, {
      tenantId,
      type: 'settings.servicenow_tested',
      actor: actorOf(by),
      data: { ok: false, failedChecks: failedChecks(test), candidate: true, authType: auth.type, ...who },
    });
    deps.log.info(
      { tenant: row.slug, authType: shown.authType, checks: failedChecks(test) },
      'ServiceNow credentials refused: the instance did not accept them',
    );
    return { saved: false, test };
  }
  await deps.db.transaction().execute(async (trx) => {
    await setConsoleCredentials(trx, tenantId, {
      sealed: deps.sealer.seal(JSON.stringify(auth)),
      by: actorOf(by),
      at: deps.clock.now(),
    });
    await appendAuditEvent(trx, {
      tenantId,
      verificationId: null,
      type: 'settings.servicenow_credentials_changed',
      actor: actorOf(by),
      data: {
        authType: auth.type,
        ...who,
        previousSource: row.console_credentials_sealed ? 'console' : 'configuration',
      },
      createdAt: deps.clock.now(),
    });
  });
  await deps.tenants.refresh(tenantId);
  deps.log.info({ tenant: row.slug, authType: auth.type }, 'ServiceNow credentials changed in the console');
  return { saved: true, test };
}

/** "Use the configured credentials": clears the console's (if any), audited, and replaces the client at once. */
export async function resetCredentials(
  deps: Pick<Deps, 'db' | 'clock' | 'log' | 'tenants'>,
  tenantId: string,
  by: string,
): Promise<{ cleared: boolean }> {
  const row = await tenantRow(deps, tenantId);
  if (!row.console_credentials_sealed) return { cleared: false };
  await deps.db.transaction().execute(async (trx) => {
    await setConsoleCredentials(trx, tenantId, { sealed: null, by: actorOf(by), at: deps.clock.now() });
    await appendAuditEvent(trx, {
      tenantId,
      verificationId: null,
      type: 'settings.servicenow_credentials_reset',
      actor: actorOf(by),
      data: { authType: row.auth_type },
      createdAt: deps.clock.now(),
    });
  });
  await deps.tenants.refresh(tenantId);
  deps.log.info({ tenant: row.slug }, 'ServiceNow credentials back to the configured ones');
  return { cleared: true };
}
