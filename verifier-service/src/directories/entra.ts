// Microsoft Entra ID through Microsoft Graph v1.0, with the official `@microsoft/microsoft-graph-client`.
//
// Authentication: the OAuth 2.0 client-credentials grant against the configured authority
// (`{authorityUrl}/{tenantId}/oauth2/v2.0/token`, scope `https://graph.microsoft.com/.default`), with plain
// `fetch` — one form POST does not justify another dependency (MSAL). The token is cached until five minutes
// before it expires; a 401 from Graph drops it and the call is tried once more with a fresh one (a 401 means
// Graph did nothing, so the second try cannot apply a change twice).
//
// The Graph client runs with our own middleware chain instead of its default one:
// - no RetryHandler: it would sleep through 429/503 `Retry-After` and retry writes on its own; the caller owns
//   retries (SECURITY.md R2, S13: an action runs once), so throttling comes back as `unavailable` with
//   `retryAfterSeconds`;
// - our bearer middleware instead of AuthenticationHandler, which attaches tokens to https Graph hosts only
//   and would strip the header on the http loopback stand-in. Ours attaches the token only to the configured
//   Graph origin and refuses any other, so the token cannot leak to a redirect or a nextLink elsewhere; it also
//   sets the request deadline.
//
// What each action does:
// - setPassword: `PATCH /users/{id}` `passwordProfile { password, forceChangePasswordNextSignIn: false }` (the
//   person chose it themselves on the portal), then `POST /users/{id}/revokeSignInSessions` so sessions and
//   refresh tokens issued under the old password end.
// - unlock: Entra smart lockout cannot be cleared by an administrator or through Graph; it releases itself after
//   the lockout period (60 s by default, longer after repeated lockouts). So unlock reads the account (exists?
//   disabled?) and answers `unsupported` with a message saying exactly that. It deliberately changes nothing:
//   revoking sessions does not shorten a lockout, and a side effect behind an "unsupported" would be a half-done
//   action (S13).
// - resetMfa: deletes every registered authentication method except the password (phone, Microsoft
//   Authenticator, FIDO2, software OATH, Windows Hello, email, any Temporary Access Pass), then revokes sessions;
//   Entra then asks the person to register again at next sign-in, like Okta's reset_factors. Not a Temporary
//   Access Pass: a TAP is a credential that must reach the person, and this interface returns text that is
//   written on the ticket — agents must never see a credential (S12's spirit), and there is no channel here to
//   hand it over safely.
// - lock (after "This wasn't me"): `PATCH /users/{id}` `accountEnabled: false`, then revoke sessions.
//
// Passwords are never logged, stored, or put in a result; Graph's own error text is not copied into messages.

import {
  Client,
  GraphError,
  HTTPMessageHandler,
  type Context,
  type Middleware,
} from '@microsoft/microsoft-graph-client';
import { Type, type Static } from '@sinclair/typebox';
import {
  assertSafeBaseUrl,
  checkConfig,
  networkCode,
  parseRetryAfter,
  unavailable,
  statusOfFailedLookup,
} from './http-outcomes';
import type {
  AccountStatus,
  DirectoryAccount,
  DirectoryConnector,
  DirectoryError,
  DirectoryResult,
} from './types';

export const entraConfigSchema = Type.Object(
  {
    kind: Type.Literal('entra'),
    /** Directory (tenant) id, a GUID, or a verified domain such as contoso.onmicrosoft.com */
    tenantId: Type.String({ minLength: 1, maxLength: 256, pattern: '^[A-Za-z0-9.-]+$' }),
    clientId: Type.String({ minLength: 1, maxLength: 256 }),
    clientSecret: Type.String({ minLength: 1, maxLength: 1024 }),
    /** Default https://login.microsoftonline.com (national clouds and the stand-in differ) */
    authorityUrl: Type.Optional(Type.String({ minLength: 8 })),
    /** Default https://graph.microsoft.com */
    graphUrl: Type.Optional(Type.String({ minLength: 8 })),
    /** Which field of the account holds its userPrincipalName (default `email`) */
    accountKey: Type.Optional(Type.Union([Type.Literal('email'), Type.Literal('userName')])),
    /** Per-request deadline (default 10 000 ms) */
    timeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 60_000 })),
  },
  { additionalProperties: false },
);

export type EntraConnectorConfig = Static<typeof entraConfigSchema>;

const DIRECTORY = 'Microsoft Entra ID';
const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

/** URL segment per authentication method type (`@odata.type`), for DELETE. The password method is absent on purpose. */
const METHOD_SEGMENTS: Record<string, { segment: string; label: string }> = {
  '#microsoft.graph.phoneAuthenticationMethod': { segment: 'phoneMethods', label: 'phone' },
  '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod': {
    segment: 'microsoftAuthenticatorMethods',
    label: 'Microsoft Authenticator',
  },
  '#microsoft.graph.fido2AuthenticationMethod': { segment: 'fido2Methods', label: 'security key' },
  '#microsoft.graph.softwareOathAuthenticationMethod': {
    segment: 'softwareOathMethods',
    label: 'authenticator app code',
  },
  '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod': {
    segment: 'windowsHelloForBusinessMethods',
    label: 'Windows Hello',
  },
  '#microsoft.graph.emailAuthenticationMethod': { segment: 'emailMethods', label: 'email' },
  '#microsoft.graph.temporaryAccessPassAuthenticationMethod': {
    segment: 'temporaryAccessPassMethods',
    label: 'Temporary Access Pass',
  },
  '#microsoft.graph.platformCredentialAuthenticationMethod': {
    segment: 'platformCredentialMethods',
    label: 'platform credential',
  },
};
const PASSWORD_METHOD = '#microsoft.graph.passwordAuthenticationMethod';

type Outcome<T> = { ok: true; value: T } | DirectoryError;

interface GraphUser {
  id: string;
  userPrincipalName?: string;
  accountEnabled?: boolean;
  lastPasswordChangeDateTime?: string | null;
}

/** Attaches the bearer token for the Graph origin only, and the request deadline. */
class GraphBearer implements Middleware {
  private next: Middleware | undefined;

  constructor(
    private readonly origin: string,
    private readonly currentToken: () => string | undefined,
    private readonly timeoutMs: number,
  ) {}

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    if (new URL(url).origin !== this.origin) throw new Error('Graph request to an unexpected origin refused');
    const token = this.currentToken();
    if (!token) throw new Error('no Graph access token');
    const options = context.options ?? {};
    const headers = options.headers;
    if (headers instanceof Headers) headers.set('Authorization', `Bearer ${token}`);
    else
      options.headers = {
        ...(headers as Record<string, string> | undefined),
        Authorization: `Bearer ${token}`,
      };
    options.signal = AbortSignal.timeout(this.timeoutMs);
    context.options = options;
    await this.next!.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

export function createEntraConnector(input: unknown): DirectoryConnector {
  const config = checkConfig(entraConfigSchema, input, 'Entra');
  const authority = assertSafeBaseUrl(
    config.authorityUrl ?? 'https://login.microsoftonline.com',
    'authorityUrl',
    'Entra',
  );
  const graphUrl = assertSafeBaseUrl(config.graphUrl ?? 'https://graph.microsoft.com', 'graphUrl', 'Entra');
  const timeoutMs = config.timeoutMs ?? 10_000;
  const accountKey = config.accountKey ?? 'email';

  let token: { value: string; renewAt: number } | undefined;
  let pending: Promise<Outcome<string>> | undefined;

  const currentToken = () => (token && token.renewAt > Date.now() ? token.value : undefined);
  const client = Client.initWithMiddleware({
    baseUrl: graphUrl,
    defaultVersion: 'v1.0',
    middleware: [
      new GraphBearer(new URL(graphUrl).origin, currentToken, timeoutMs),
      new HTTPMessageHandler(),
    ],
  });

  async function requestToken(): Promise<Outcome<string>> {
    let response: Response;
    try {
      response = await fetch(`${authority}/${encodeURIComponent(config.tenantId)}/oauth2/v2.0/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: config.clientId,
          client_secret: config.clientSecret,
          scope: GRAPH_SCOPE,
        }).toString(),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
    } catch (err) {
      return unavailable(
        DIRECTORY,
        `token_${networkCode(err)}`,
        undefined,
        'sign-in service could not be reached',
      );
    }
    const body = (await response.json().catch(() => ({}))) as {
      access_token?: unknown;
      expires_in?: unknown;
      error?: unknown;
      error_codes?: unknown;
    };
    if (response.ok && typeof body.access_token === 'string') {
      const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : Number(body.expires_in ?? 0);
      // Renew five minutes early (never sooner than half the lifetime for short-lived tokens).
      const margin = Math.min(300, Math.max(0, expiresIn) / 2);
      token = { value: body.access_token, renewAt: Date.now() + (expiresIn - margin) * 1000 };
      return { ok: true, value: body.access_token };
    }
    const aadCode =
      Array.isArray(body.error_codes) && typeof body.error_codes[0] === 'number'
        ? body.error_codes[0]
        : undefined;
    const code =
      aadCode !== undefined
        ? `AADSTS${aadCode}`
        : typeof body.error === 'string'
          ? body.error
          : `http_${response.status}`;
    if (response.status === 429 || response.status >= 500)
      return unavailable(
        DIRECTORY,
        code,
        parseRetryAfter(response.headers.get('retry-after')),
        'sign-in service is busy or failing',
      );
    return {
      ok: false,
      reason: 'not_permitted',
      message: `The helpdesk could not sign in to ${DIRECTORY} (${code}): the tenant, application id or client secret is wrong or has expired. An administrator must fix the directory connection.`,
      code,
    };
  }

  async function ensureToken(): Promise<Outcome<string>> {
    const cached = currentToken();
    if (cached) return { ok: true, value: cached };
    pending ??= requestToken().finally(() => {
      pending = undefined;
    });
    return pending;
  }

  /** One Graph call with a valid token; on 401 a fresh token and one more try; every failure mapped. */
  async function graph<T>(call: (c: Client) => Promise<T>): Promise<Outcome<T>> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const auth = await ensureToken();
      if (!auth.ok) return auth;
      try {
        return { ok: true, value: await call(client) };
      } catch (err) {
        if (attempt === 0 && err instanceof GraphError && err.statusCode === 401) {
          token = undefined;
          continue;
        }
        return mapGraphError(err);
      }
    }
    /* c8 ignore next */
    return unavailable(DIRECTORY, 'unreachable');
  }

  function mapGraphError(err: unknown): DirectoryError {
    if (!(err instanceof GraphError)) return unavailable(DIRECTORY, networkCode(err));
    // A fetch failure or deadline becomes a GraphError with statusCode -1 and the original error's name as code.
    // (or keeps the original as `body` when it is not an Error of this realm, e.g. a DOMException from AbortSignal).
    if (err.statusCode < 100) {
      const name = err.code ?? (err.body as { name?: unknown } | undefined)?.name;
      return unavailable(DIRECTORY, name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network');
    }
    const status = err.statusCode;
    const code = err.code ?? `http_${status}`;
    const retryAfter = parseRetryAfter(err.headers?.get('retry-after'));
    if (status === 404)
      return {
        ok: false,
        reason: 'not_found',
        message: `No matching account was found in ${DIRECTORY}.`,
        code,
      };
    if (status === 401 || status === 403)
      return {
        ok: false,
        reason: 'not_permitted',
        message: `The helpdesk's connection to ${DIRECTORY} is not allowed to do this for this account (${code}). Accounts that hold administrator roles, or a connection missing a permission, need an administrator.`,
        code,
      };
    if (status === 429)
      return unavailable(DIRECTORY, code, retryAfter, 'is throttling requests (too many at once)');
    if (status >= 500) return unavailable(DIRECTORY, code, retryAfter, 'answered with an error');
    if (status === 400 && /password/i.test(err.message ?? ''))
      return {
        ok: false,
        reason: 'password_policy',
        message: `${DIRECTORY} refused the new password: it does not meet the organisation's password rules (it may be too simple or contain a banned word). Choose a different password.`,
        code,
      };
    return {
      ok: false,
      reason: 'unsupported',
      message: `${DIRECTORY} refused the request (${code}).`,
      code,
    };
  }

  async function findUser(account: DirectoryAccount): Promise<Outcome<GraphUser>> {
    const key = accountKey === 'userName' ? account.userName : account.email;
    if (!key)
      return {
        ok: false,
        reason: 'not_found',
        message: `No ${accountKey === 'email' ? 'email address' : 'user name'} on file to find the account in ${DIRECTORY}.`,
        code: 'no_account_key',
      };
    return graph<GraphUser>((c) =>
      c
        .api(`/users/${encodeURIComponent(key)}`)
        .select(['id', 'userPrincipalName', 'accountEnabled', 'lastPasswordChangeDateTime'])
        .get(),
    );
  }

  const disabled = (what: string): DirectoryError => ({
    ok: false,
    reason: 'account_disabled',
    message: `The account is disabled in ${DIRECTORY}, so ${what} would not let the person sign in. Contact the IT service desk.`,
    code: 'accountEnabled_false',
  });

  const revokeSessions = (id: string) =>
    graph<unknown>((c) => c.api(`/users/${encodeURIComponent(id)}/revokeSignInSessions`).post({}));

  return {
    kind: 'entra',

    async status(account) {
      const user = await findUser(account);
      if (!user.ok) return statusOfFailedLookup(user);
      const status: AccountStatus = {
        exists: true,
        // Graph does not expose smart lockout state; Entra releases it by itself.
        locked: null,
        disabled: typeof user.value.accountEnabled === 'boolean' ? !user.value.accountEnabled : null,
        passwordChangedAt: user.value.lastPasswordChangeDateTime
          ? new Date(user.value.lastPasswordChangeDateTime)
          : null,
      };
      return { ok: true, status };
    },

    async setPassword(account, newPassword): Promise<DirectoryResult> {
      const user = await findUser(account);
      if (!user.ok) return user;
      if (user.value.accountEnabled === false) return disabled('a new password');
      const id = user.value.id;
      const changed = await graph((c) =>
        c.api(`/users/${encodeURIComponent(id)}`).patch({
          passwordProfile: { password: newPassword, forceChangePasswordNextSignIn: false },
        }),
      );
      if (!changed.ok) return changed;
      const revoked = await revokeSessions(id);
      if (!revoked.ok)
        return {
          ok: true,
          detail: `Password changed in ${DIRECTORY}. Signing out existing sessions failed (${revoked.code ?? revoked.reason}); they end when their tokens expire.`,
        };
      return { ok: true, detail: `Password changed in ${DIRECTORY}; existing sessions were signed out.` };
    },

    async unlock(account): Promise<DirectoryResult> {
      const user = await findUser(account);
      if (!user.ok) return user;
      if (user.value.accountEnabled === false) return disabled('unlocking');
      return {
        ok: false,
        reason: 'unsupported',
        message: `${DIRECTORY} locks an account for a short time after repeated failed sign-ins (smart lockout) and unlocks it by itself when the lockout period ends, usually after one minute, longer after repeated lockouts. An administrator cannot clear it. Wait a few minutes and sign in again, or reset the password if it is forgotten.`,
        code: 'entra_smart_lockout',
      };
    },

    async resetMfa(account): Promise<DirectoryResult> {
      const user = await findUser(account);
      if (!user.ok) return user;
      if (user.value.accountEnabled === false) return disabled('resetting multi-factor sign-in');
      const id = user.value.id;
      const listed = await graph<{ value?: Array<{ '@odata.type'?: string; id?: string }> }>((c) =>
        c.api(`/users/${encodeURIComponent(id)}/authentication/methods`).get(),
      );
      if (!listed.ok) return listed;
      const methods = (listed.value.value ?? []).filter((m) => m['@odata.type'] !== PASSWORD_METHOD);
      const unknown = methods.filter((m) => !METHOD_SEGMENTS[m['@odata.type'] ?? ''] || !m.id);
      const removed: string[] = [];
      for (const method of methods) {
        const kind = METHOD_SEGMENTS[method['@odata.type'] ?? ''];
        if (!kind || !method.id) continue;
        const methodId = method.id;
        const deleted = await graph((c) =>
          c
            .api(
              `/users/${encodeURIComponent(id)}/authentication/${kind.segment}/${encodeURIComponent(methodId)}`,
            )
            .delete(),
        );
        if (!deleted.ok) {
          if (removed.length === 0) return deleted;
          return {
            ...deleted,
            message: `${deleted.message} ${removed.length} of ${methods.length} sign-in methods were already removed; trying again removes the rest.`,
          };
        }
        removed.push(kind.label);
      }
      if (unknown.length > 0)
        return {
          ok: false,
          reason: 'unsupported',
          message: `${removed.length} sign-in methods were removed, but ${unknown.length} of a kind this connector cannot remove remain. An administrator must remove them in the ${DIRECTORY} admin center.`,
          code: 'unknown_method_type',
        };
      await revokeSessions(id);
      return {
        ok: true,
        detail:
          removed.length === 0
            ? `No multi-factor methods were registered in ${DIRECTORY}; the person registers at next sign-in.`
            : `Removed ${removed.length} sign-in method${removed.length === 1 ? '' : 's'} (${[...new Set(removed)].join(', ')}) in ${DIRECTORY}; the person registers again at next sign-in.`,
      };
    },

    async lock(account): Promise<DirectoryResult> {
      const user = await findUser(account);
      if (!user.ok) return user;
      const id = user.value.id;
      if (user.value.accountEnabled !== false) {
        const patched = await graph((c) =>
          c.api(`/users/${encodeURIComponent(id)}`).patch({ accountEnabled: false }),
        );
        if (!patched.ok) return patched;
      }
      const revoked = await revokeSessions(id);
      if (!revoked.ok)
        return {
          ok: true,
          detail: `Sign-in blocked in ${DIRECTORY}. Signing out existing sessions failed (${revoked.code ?? revoked.reason}).`,
        };
      return { ok: true, detail: `Sign-in blocked in ${DIRECTORY} and existing sessions signed out.` };
    },
  };
}
