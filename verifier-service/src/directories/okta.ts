// Okta through the Management API, with the official `@okta/okta-sdk-nodejs` (v7) and an SSWS API token.
//
// The SDK is set up so that it hides nothing:
// - `requestExecutor`: the plain `RequestExecutor`, not the default `DefaultRequestExecutor`, which sleeps until
//   `X-Rate-Limit-Reset` and retries 429s by itself (twice). The caller owns retries (SECURITY.md R2, S13: an
//   action runs once), so a 429 comes back as `unavailable` with `retryAfterSeconds` computed from
//   `X-Rate-Limit-Reset` (UTC epoch seconds; Okta sends no Retry-After). Ours also sets a request deadline.
// - `cacheMiddleware: null`: the default in-memory cache would answer a repeated `GET /users/{id}` from memory,
//   so status() could report a lock that was already cleared.
// - `authorizationMode: 'SSWS'` pinned, so an OKTA_CLIENT_* variable or an okta.yaml cannot switch the mode.
//
// What each action does:
// - setPassword: `POST /api/v1/users/{id}?strict=true` with `credentials.password.value` (an administrator sets
//   the password the person chose; `strict` makes Okta apply its history and minimum-age rules too, so a reused
//   password is refused in Okta's words, not silently accepted), then `DELETE /api/v1/users/{id}/sessions` so
//   sessions opened with the old password end.
// - unlock: `POST /api/v1/users/{id}/lifecycle/unlock` (LOCKED_OUT → ACTIVE; on an ACTIVE user Okta clears the
//   unknown-device block).
// - resetMfa: `POST /api/v1/users/{id}/lifecycle/reset_factors`, then `DELETE …/sessions`; the person enrols again
//   at next sign-in.
// - lock (after "This wasn't me"): `POST /api/v1/users/{id}/lifecycle/suspend`, then `DELETE …/sessions`.
// `reset_password` (a recovery link) is not used: the person sets the password on the portal directly.
//
// The password never reaches a log or a result; Okta's errorCauses are used only to tell a policy refusal apart.

import okta from '@okta/okta-sdk-nodejs';
import {
  assertSafeBaseUrl,
  checkConfig,
  networkCode,
  unavailable,
  statusOfFailedLookup,
} from './http-outcomes';
import type { DirectoryAccount, DirectoryConnector, DirectoryError, DirectoryResult } from './types';

export { oktaConfigSchema, type OktaConnectorConfig } from './okta-config';
import { oktaConfigSchema } from './okta-config';

const DIRECTORY = 'Okta';

type RequestOptions = Parameters<okta.RequestExecutor['fetch']>[0];

/** No retries, a deadline on every request (node-fetch's `timeout`). */
class DeadlineExecutor extends okta.RequestExecutor {
  constructor(private readonly timeoutMs: number) {
    super();
  }

  override fetch(request: RequestOptions) {
    return super.fetch({ ...request, timeout: this.timeoutMs } as RequestOptions);
  }
}

type Outcome<T> = { ok: true; value: T } | DirectoryError;

interface OktaUser {
  id: string;
  status: string;
  passwordChanged: Date | null;
}

/** Okta statuses where no action will let the person in. */
const DISABLED = new Set(['SUSPENDED', 'DEPROVISIONED', 'STAGED', 'PROVISIONED']);

export function createOktaConnector(input: unknown): DirectoryConnector {
  const config = checkConfig(oktaConfigSchema, input, 'Okta');
  const orgUrl = assertSafeBaseUrl(config.orgUrl, 'orgUrl', 'Okta');
  const accountKey = config.accountKey ?? 'email';
  const client = new okta.Client({
    orgUrl,
    token: config.apiToken,
    authorizationMode: 'SSWS',
    requestExecutor: new DeadlineExecutor(config.timeoutMs ?? 10_000),
    cacheMiddleware: null,
  });
  const users = client.userApi;

  async function call<T>(fn: () => Promise<T>): Promise<Outcome<T>> {
    try {
      return { ok: true, value: await fn() };
    } catch (err) {
      return mapOktaError(err);
    }
  }

  async function findUser(account: DirectoryAccount): Promise<Outcome<OktaUser>> {
    const key = accountKey === 'userName' ? account.userName : account.email;
    if (!key)
      return {
        ok: false,
        reason: 'not_found',
        message: `No ${accountKey === 'email' ? 'email address' : 'user name'} on file to find the account in ${DIRECTORY}.`,
        code: 'no_account_key',
      };
    const found = await call(() => users.getUser({ userId: key }));
    if (!found.ok) return found;
    const u = found.value;
    if (!u.id) return unavailable(DIRECTORY, 'malformed_user', undefined, 'answered without a user id');
    const changed = u.passwordChanged ? new Date(u.passwordChanged) : null;
    return { ok: true, value: { id: u.id, status: String(u.status ?? ''), passwordChanged: changed } };
  }

  const disabled = (what: string, status: string): DirectoryError => ({
    ok: false,
    reason: 'account_disabled',
    message: `The account is ${status === 'SUSPENDED' ? 'suspended' : status === 'DEPROVISIONED' ? 'deactivated' : 'not activated'} in ${DIRECTORY}, so ${what} would not let the person sign in. Contact the IT service desk.`,
    code: `status_${status}`,
  });

  /** Clears sessions after a change; a failure here does not undo the change, it is reported in the detail. */
  async function clearSessions(id: string): Promise<string> {
    const cleared = await call(() => users.revokeUserSessions({ userId: id }));
    return cleared.ok
      ? ' Existing sessions were signed out.'
      : ` Signing out existing sessions failed (${cleared.code ?? cleared.reason}).`;
  }

  return {
    kind: 'okta',

    async status(account) {
      const user = await findUser(account);
      if (!user.ok) return statusOfFailedLookup(user);
      return {
        ok: true,
        status: {
          exists: true,
          locked: user.value.status === 'LOCKED_OUT',
          disabled: DISABLED.has(user.value.status),
          passwordChangedAt: user.value.passwordChanged,
        },
      };
    },

    async setPassword(account, newPassword): Promise<DirectoryResult> {
      const user = await findUser(account);
      if (!user.ok) return user;
      if (DISABLED.has(user.value.status)) return disabled('a new password', user.value.status);
      const id = user.value.id;
      const set = await call(() =>
        users.updateUser({
          userId: id,
          strict: true,
          user: { credentials: { password: { value: newPassword } } },
        }),
      );
      if (!set.ok) return set;
      return { ok: true, detail: `Password changed in ${DIRECTORY}.${await clearSessions(id)}` };
    },

    async unlock(account): Promise<DirectoryResult> {
      const user = await findUser(account);
      if (!user.ok) return user;
      if (DISABLED.has(user.value.status)) return disabled('unlocking', user.value.status);
      const wasLocked = user.value.status === 'LOCKED_OUT';
      const unlocked = await call(() => users.unlockUser({ userId: user.value.id }));
      if (!unlocked.ok) return unlocked;
      return {
        ok: true,
        detail: wasLocked
          ? `Account unlocked in ${DIRECTORY}.`
          : `The account was not locked out in ${DIRECTORY}; any block on unknown devices was cleared.`,
      };
    },

    async resetMfa(account): Promise<DirectoryResult> {
      const user = await findUser(account);
      if (!user.ok) return user;
      if (DISABLED.has(user.value.status))
        return disabled('resetting multi-factor sign-in', user.value.status);
      const id = user.value.id;
      const reset = await call(() => users.resetFactors({ userId: id }));
      if (!reset.ok) return reset;
      return {
        ok: true,
        detail: `Multi-factor enrolment reset in ${DIRECTORY}; the person enrols again at next sign-in.${await clearSessions(id)}`,
      };
    },

    async lock(account): Promise<DirectoryResult> {
      const user = await findUser(account);
      if (!user.ok) return user;
      const id = user.value.id;
      if (user.value.status === 'SUSPENDED' || user.value.status === 'DEPROVISIONED')
        return {
          ok: true,
          detail: `The account was already blocked in ${DIRECTORY}.${await clearSessions(id)}`,
        };
      const suspended = await call(() => users.suspendUser({ userId: id }));
      if (!suspended.ok) return suspended;
      return { ok: true, detail: `Account suspended in ${DIRECTORY}.${await clearSessions(id)}` };
    },
  };
}

interface OktaErrorShape {
  status?: unknown;
  errorCode?: unknown;
  errorCauses?: unknown;
  headers?: unknown;
  name?: unknown;
  type?: unknown;
}

/** Reads a header from what the SDK attaches to its errors (node-fetch Headers). */
function header(headers: unknown, name: string): string | null {
  if (headers && typeof (headers as { get?: unknown }).get === 'function')
    return (headers as { get(n: string): string | null }).get(name);
  return null;
}

/** Seconds until X-Rate-Limit-Reset (epoch seconds), measured against the response's Date when present. */
export function secondsUntilReset(headers: unknown, now = Date.now()): number | undefined {
  const reset = Number(header(headers, 'x-rate-limit-reset'));
  if (!Number.isFinite(reset) || reset <= 0) return undefined;
  const date = Date.parse(header(headers, 'date') ?? '');
  const base = Number.isNaN(date) ? now : date;
  return Math.max(1, Math.ceil(reset - base / 1000));
}

export function mapOktaError(err: unknown): DirectoryError {
  const e = (typeof err === 'object' && err !== null ? err : {}) as OktaErrorShape;
  if (typeof e.status !== 'number') {
    // node-fetch FetchError (connection refused, reset, timeout) or anything else without an HTTP answer.
    const code = e.type === 'request-timeout' ? 'timeout' : networkCode(err);
    return unavailable(DIRECTORY, code);
  }
  const status = e.status;
  const code = typeof e.errorCode === 'string' ? e.errorCode : `http_${status}`;
  const causes = Array.isArray(e.errorCauses)
    ? e.errorCauses.map((c) => String((c as { errorSummary?: unknown })?.errorSummary ?? ''))
    : [];
  if (status === 404 || code === 'E0000007')
    return {
      ok: false,
      reason: 'not_found',
      message: `No matching account was found in ${DIRECTORY}.`,
      code,
    };
  if (status === 429)
    return unavailable(
      DIRECTORY,
      code,
      secondsUntilReset(e.headers),
      'is limiting requests (rate limit reached)',
    );
  if (status >= 500)
    return unavailable(DIRECTORY, code, secondsUntilReset(e.headers), 'answered with an error');
  if (code === 'E0000038')
    return {
      ok: false,
      reason: 'account_disabled',
      message: `${DIRECTORY} does not allow this for the account in its current state. Contact the IT service desk.`,
      code,
    };
  if (status === 401 || status === 403)
    return {
      ok: false,
      reason: 'not_permitted',
      message: `The helpdesk's connection to ${DIRECTORY} is not allowed to do this for this account (${code}). Accounts with administrator roles, or a token without the right role, need an administrator.`,
      code,
    };
  const passwordCause = causes.find((c) => /^password:|password requirements/i.test(c));
  if (status === 400 && passwordCause !== undefined)
    return { ok: false, reason: 'password_policy', message: plainPasswordRefusal(passwordCause), code };
  return { ok: false, reason: 'unsupported', message: `${DIRECTORY} refused the request (${code}).`, code };
}

/**
 * Okta's cause reads "password: Password requirements were not met. Password requirements: at least 8 characters,
 * …. Your password cannot be any of your last 4 passwords." It never contains the password; it is reworded so the
 * person knows what to change.
 */
function plainPasswordRefusal(cause: string): string {
  const requirements = /Password requirements:\s*([^.]+)\./i.exec(cause)?.[1]?.trim();
  const history = /cannot be any of your last (\d+) passwords/i.exec(cause)?.[1];
  let message = `${DIRECTORY} refused the new password: it does not meet the organisation's password rules.`;
  if (requirements) message += ` It needs ${requirements}.`;
  if (history) message += ` It cannot be one of the last ${history} passwords used.`;
  return `${message} Choose a different password.`;
}
