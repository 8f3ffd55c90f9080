// Stand-in for the Okta Management API calls a helpdesk needs: read a user, unlock, reset password (link),
// set a password as an admin, reset factors, clear sessions, suspend/unsuspend. SSWS API tokens only
// (`Authorization: SSWS <token>`).
//
// Behaviour (see README.md for the tables):
// - Errors are Okta's `{ errorCode, errorSummary, errorLink, errorId, errorCauses }`: E0000011 401 (missing or
//   unknown token), E0000006 403 (the token's admin role may not do this), E0000007 404 (no such user),
//   E0000001 400 (validation; a refused password says "Password requirements were not met…" in errorCauses),
//   E0000038 403 (not allowed in the user's current status), E0000003 400 (malformed JSON), E0000047 429.
// - Every API response carries `X-Rate-Limit-Limit`, `X-Rate-Limit-Remaining` and `X-Rate-Limit-Reset` (UTC
//   epoch seconds when the window resets). Over the limit: 429 E0000047 with those headers and no
//   `Retry-After` — Okta tells clients when to come back through X-Rate-Limit-Reset only.
// - A password set with `POST|PUT /api/v1/users/{id}` is checked against the password policy (complexity
//   always; history only with `?strict=true`, as Okta documents).

import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { Faults, type FaultController } from './faults';
import { baseUrl, delay, listen, redactPasswords } from './util';

export type OktaUserStatus =
  | 'STAGED'
  | 'PROVISIONED'
  | 'ACTIVE'
  | 'RECOVERY'
  | 'PASSWORD_EXPIRED'
  | 'LOCKED_OUT'
  | 'SUSPENDED'
  | 'DEPROVISIONED';

/** What an API token may do: Okta's admin roles, reduced to what matters here. */
export type OktaAdminRole = 'SUPER_ADMIN' | 'HELP_DESK_ADMIN' | 'READ_ONLY_ADMIN';

export interface OktaSeedFactor {
  id?: string;
  factorType: 'sms' | 'call' | 'push' | 'token:software:totp' | 'email' | 'webauthn' | 'question';
  provider?: 'OKTA' | 'GOOGLE' | 'FIDO';
  profile?: Record<string, unknown>;
}

export interface OktaSeedUser {
  /** `00u…` (20 characters) unless given. */
  id?: string;
  login: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  status?: OktaUserStatus;
  password?: string;
  /** Earlier passwords, newest first (for the history rule). */
  passwordHistory?: string[];
  factors?: OktaSeedFactor[];
  /** Active sessions (default 1). */
  sessions?: number;
  /** Holds an admin role: a HELP_DESK_ADMIN token cannot change them. */
  admin?: boolean;
}

export interface OktaPasswordPolicy {
  minLength?: number;
  requireLowercase?: boolean;
  requireUppercase?: boolean;
  requireNumber?: boolean;
  requireSymbol?: boolean;
  excludeUsername?: boolean;
  /** How many previous passwords cannot be reused (0 to switch off). */
  historyCount?: number;
}

export interface OktaStandinOptions {
  port?: number;
  host?: string;
  tokens: Array<{ token: string; role?: OktaAdminRole }>;
  users?: OktaSeedUser[];
  /** Okta's defaults: 8 characters, lower, upper, number, no parts of the username, last 4 passwords. */
  passwordPolicy?: OktaPasswordPolicy;
  /** Org-wide limit on API requests (default 600 per 60 s). */
  rateLimit?: { limit: number; windowSeconds: number };
}

export interface OktaCapturedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** The body with `credentials.password.value` replaced by `[redacted]`. */
  body: unknown;
  status: number;
  at: Date;
}

export interface OktaUserSnapshot {
  id: string;
  login: string;
  status: OktaUserStatus;
  passwordChanged: string | null;
  factors: Array<{ id: string; factorType: string }>;
  sessions: number;
}

export interface OktaStandin {
  /** The org URL for the SDK, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  url: string;
  requests(): OktaCapturedRequest[];
  user(idOrLogin: string): OktaUserSnapshot | undefined;
  checkPassword(idOrLogin: string, password: string): boolean;
  /** Reset links issued with sendEmail=false, and reset emails "sent" with sendEmail=true. */
  passwordResets(): Array<{ userId: string; sentEmail: boolean; resetPasswordUrl: string | null }>;
  /** Change a user's status behind the API's back (e.g. lock them out after failed sign-ins). */
  setStatus(idOrLogin: string, status: OktaUserStatus): void;
  faults: FaultController;
  /** Forget captured requests, faults and the rate-limit window (users keep their state). */
  reset(): void;
  close(): Promise<void>;
}

interface UserState {
  id: string;
  login: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  status: OktaUserStatus;
  password: string | null;
  history: string[];
  factors: Array<{ id: string; factorType: string; provider: string; profile: Record<string, unknown> }>;
  sessions: number;
  admin: boolean;
  created: string;
  statusChanged: string;
  lastUpdated: string;
  passwordChanged: string | null;
  extraProfile: Record<string, unknown>;
}

const ID_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const oktaId = (prefix: string) =>
  prefix + Array.from(randomBytes(17), (b) => ID_CHARS[b % ID_CHARS.length]).join('');

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const iso = (d = new Date()) => d.toISOString();

/** The requirement sentence Okta writes in errorCauses for a refused password. */
export function oktaPasswordRequirements(policy: Required<OktaPasswordPolicy>): string {
  const parts = [`at least ${policy.minLength} characters`];
  if (policy.requireLowercase) parts.push('a lowercase letter');
  if (policy.requireUppercase) parts.push('an uppercase letter');
  if (policy.requireNumber) parts.push('a number');
  if (policy.requireSymbol) parts.push('a symbol');
  if (policy.excludeUsername) parts.push('no parts of your username');
  let text = `Password requirements were not met. Password requirements: ${parts.join(', ')}.`;
  if (policy.historyCount > 0)
    text += ` Your password cannot be any of your last ${policy.historyCount} passwords.`;
  return text;
}

export async function startOktaStandin(options: OktaStandinOptions): Promise<OktaStandin> {
  if (!options.tokens?.length) throw new Error('okta stand-in: at least one API token is required');
  const policy: Required<OktaPasswordPolicy> = {
    minLength: 8,
    requireLowercase: true,
    requireUppercase: true,
    requireNumber: true,
    requireSymbol: false,
    excludeUsername: true,
    historyCount: 4,
    ...options.passwordPolicy,
  };
  const rateLimit = options.rateLimit ?? { limit: 600, windowSeconds: 60 };
  const faults = new Faults();
  const captured: OktaCapturedRequest[] = [];
  const resets: Array<{ userId: string; sentEmail: boolean; resetPasswordUrl: string | null }> = [];
  let window = { start: Date.now(), count: 0 };
  let url = '';

  const users: UserState[] = (options.users ?? []).map((u) => {
    const created = iso(new Date(Date.now() - 86_400_000));
    return {
      id: u.id ?? oktaId('00u'),
      login: u.login,
      email: u.email ?? u.login,
      firstName: u.firstName ?? null,
      lastName: u.lastName ?? null,
      status: u.status ?? 'ACTIVE',
      password: u.password ?? null,
      history: [...(u.passwordHistory ?? [])],
      factors: (u.factors ?? []).map((f) => ({
        id: f.id ?? oktaId(f.factorType === 'push' ? 'opf' : f.factorType === 'sms' ? 'mbl' : 'uft'),
        factorType: f.factorType,
        provider: f.provider ?? 'OKTA',
        profile: { ...(f.profile ?? {}) },
      })),
      sessions: u.sessions ?? 1,
      admin: u.admin ?? false,
      created,
      statusChanged: created,
      lastUpdated: created,
      passwordChanged: u.password ? created : null,
      extraProfile: {},
    };
  });

  const findUser = (key: string): UserState | undefined => {
    const k = key.toLowerCase();
    return users.find((u) => u.id.toLowerCase() === k || u.login.toLowerCase() === k);
  };

  const app = Fastify({ logger: false });
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      const err = new Error('The request body was not well-formed.') as Error & {
        statusCode: number;
        okta: string;
      };
      err.statusCode = 400;
      err.okta = 'E0000003';
      done(err, undefined);
    }
  });

  app.addHook('onResponse', async (request, reply) => {
    captured.push({
      method: request.method,
      url: request.url,
      headers: { ...request.headers },
      body: redactPasswords(request.body),
      status: reply.statusCode,
      at: new Date(),
    });
  });

  const oktaError = (
    reply: FastifyReply,
    status: number,
    errorCode: string,
    errorSummary: string,
    causes: string[] = [],
  ) =>
    reply
      .code(status)
      .type('application/json')
      .send({
        errorCode,
        errorSummary,
        errorLink: errorCode,
        errorId: oktaId('oae'),
        errorCauses: causes.map((c) => ({ errorSummary: c })),
      });

  app.setErrorHandler((error: Error & { statusCode?: number; okta?: string }, _request, reply) => {
    if (error.okta) return oktaError(reply, error.statusCode ?? 400, error.okta, error.message);
    if (error.statusCode && error.statusCode < 500)
      return oktaError(reply, error.statusCode, 'E0000001', `Api validation failed: ${error.message}`);
    return oktaError(reply, 500, 'E0000009', 'Internal Server Error');
  });

  const rateHeaders = (reply: FastifyReply, remaining: number, resetEpochSeconds: number) => {
    reply.header('X-Rate-Limit-Limit', String(rateLimit.limit));
    reply.header('X-Rate-Limit-Remaining', String(Math.max(0, remaining)));
    reply.header('X-Rate-Limit-Reset', String(resetEpochSeconds));
  };

  const tooMany = (reply: FastifyReply) =>
    oktaError(reply, 429, 'E0000047', 'API call exceeded rate limit due to too many requests.');

  /** Faults, token, rate limit, role; answers and returns false when the request must stop here. */
  const guard = async (
    request: FastifyRequest,
    reply: FastifyReply,
    write: boolean,
  ): Promise<{ role: OktaAdminRole } | false> => {
    reply.header('X-Okta-Request-Id', randomBytes(12).toString('base64url'));
    const latency = faults.latency('okta');
    if (latency > 0) await delay(latency);
    const fault = faults.take('okta');
    if (fault?.kind === 'drop') {
      reply.hijack();
      request.raw.socket.destroy();
      return false;
    }
    const now = Date.now();
    if (now - window.start >= rateLimit.windowSeconds * 1000) window = { start: now, count: 0 };
    const windowReset = Math.ceil((window.start + rateLimit.windowSeconds * 1000) / 1000);
    if (fault?.kind === 'status') {
      if (fault.status === 429) {
        rateHeaders(reply, 0, Math.ceil(now / 1000) + (fault.retryAfterSeconds ?? rateLimit.windowSeconds));
        await tooMany(reply);
      } else {
        rateHeaders(reply, rateLimit.limit - window.count, windowReset);
        await oktaError(
          reply,
          fault.status,
          fault.status >= 500 ? 'E0000009' : 'E0000001',
          fault.status >= 500 ? 'Internal Server Error' : 'Api validation failed',
        );
      }
      return false;
    }
    window.count += 1;
    rateHeaders(reply, rateLimit.limit - window.count, windowReset);
    if (window.count > rateLimit.limit) {
      await tooMany(reply);
      return false;
    }
    const header = request.headers.authorization;
    const token = header?.startsWith('SSWS ')
      ? options.tokens.find((t) => t.token === header.slice(5))
      : undefined;
    if (!token) {
      await oktaError(reply, 401, 'E0000011', 'Invalid token provided');
      return false;
    }
    const role = token.role ?? 'SUPER_ADMIN';
    if (write && role === 'READ_ONLY_ADMIN') {
      await oktaError(reply, 403, 'E0000006', 'You do not have permission to perform the requested action');
      return false;
    }
    return { role };
  };

  /** The target user, or an answered 404 / 403 (a help desk admin may not change an admin). */
  const target = async (
    request: FastifyRequest<{ Params: { id: string } }>,
    reply: FastifyReply,
    role: OktaAdminRole,
    write: boolean,
  ): Promise<UserState | undefined> => {
    const user = findUser(request.params.id);
    if (!user) {
      await oktaError(reply, 404, 'E0000007', `Not found: Resource not found: ${request.params.id} (User)`);
      return undefined;
    }
    if (write && user.admin && role !== 'SUPER_ADMIN') {
      await oktaError(reply, 403, 'E0000006', 'You do not have permission to perform the requested action');
      return undefined;
    }
    return user;
  };

  const setStatus = (user: UserState, status: OktaUserStatus) => {
    if (user.status === status) return;
    user.status = status;
    user.statusChanged = iso();
    user.lastUpdated = user.statusChanged;
  };

  const notAllowed = (reply: FastifyReply) =>
    oktaError(reply, 403, 'E0000038', "This operation is not allowed in the user's current status.");

  const userResource = (u: UserState) => ({
    id: u.id,
    status: u.status,
    created: u.created,
    activated: u.status === 'STAGED' ? null : u.created,
    statusChanged: u.statusChanged,
    lastLogin: null,
    lastUpdated: u.lastUpdated,
    passwordChanged: u.passwordChanged,
    type: { id: 'oty1stand1n0000000000' },
    profile: {
      firstName: u.firstName,
      lastName: u.lastName,
      mobilePhone: null,
      secondEmail: null,
      ...u.extraProfile,
      login: u.login,
      email: u.email,
    },
    credentials: {
      ...(u.password !== null ? { password: {} } : {}),
      provider: { type: 'OKTA', name: 'OKTA' },
    },
    _links: {
      self: { href: `${url}/api/v1/users/${u.id}` },
      resetPassword: { href: `${url}/api/v1/users/${u.id}/lifecycle/reset_password`, method: 'POST' },
      suspend: { href: `${url}/api/v1/users/${u.id}/lifecycle/suspend`, method: 'POST' },
    },
  });

  /** Policy check for a new password; the errorCauses text when it is refused. */
  const refusePassword = (user: UserState, password: string, strict: boolean): string | null => {
    const requirements = `password: ${oktaPasswordRequirements(policy)}`;
    if (password.length < policy.minLength) return requirements;
    if (policy.requireLowercase && !/[a-z]/.test(password)) return requirements;
    if (policy.requireUppercase && !/[A-Z]/.test(password)) return requirements;
    if (policy.requireNumber && !/[0-9]/.test(password)) return requirements;
    if (policy.requireSymbol && !/[^A-Za-z0-9]/.test(password)) return requirements;
    if (policy.excludeUsername) {
      const lower = password.toLowerCase();
      const parts = [user.login.split('@')[0] ?? '', user.firstName ?? '', user.lastName ?? '']
        .flatMap((p) => p.toLowerCase().split(/[^a-z0-9]+/))
        .filter((p) => p.length >= 3);
      if (parts.some((p) => lower.includes(p))) return requirements;
    }
    if (strict && policy.historyCount > 0) {
      const recent = [user.password, ...user.history]
        .filter((p): p is string => p !== null)
        .slice(0, policy.historyCount);
      if (recent.includes(password)) return requirements;
    }
    return null;
  };

  const update =
    (mode: 'partial' | 'replace') =>
    async (
      request: FastifyRequest<{ Params: { id: string }; Querystring: { strict?: string }; Body: unknown }>,
      reply: FastifyReply,
    ) => {
      const auth = await guard(request, reply, true);
      if (!auth) return reply;
      const user = await target(request, reply, auth.role, true);
      if (!user) return reply;
      if (user.status === 'DEPROVISIONED') return notAllowed(reply);
      const body = isObject(request.body) ? request.body : {};
      const profile = body.profile;
      const credentials = body.credentials;
      if (profile !== undefined && !isObject(profile))
        return oktaError(reply, 400, 'E0000001', 'Api validation failed: profile', [
          'profile: The field must be an object',
        ]);
      if (
        mode === 'replace' &&
        isObject(profile) &&
        (typeof profile.login !== 'string' || typeof profile.email !== 'string')
      )
        return oktaError(reply, 400, 'E0000001', 'Api validation failed: login', [
          'login: The field cannot be left blank',
        ]);
      let newPassword: string | undefined;
      if (isObject(credentials) && isObject(credentials.password) && 'value' in credentials.password) {
        const value = credentials.password.value;
        if (typeof value !== 'string')
          return oktaError(reply, 400, 'E0000001', 'Api validation failed: password', [
            'password: The field must be a string',
          ]);
        const refusal = refusePassword(user, value, request.query.strict === 'true');
        if (refusal) return oktaError(reply, 400, 'E0000001', 'Api validation failed: password', [refusal]);
        newPassword = value;
      }
      if (isObject(profile)) {
        const { login, email, firstName, lastName, ...rest } = profile;
        if (mode === 'replace') user.extraProfile = {};
        if (typeof login === 'string') user.login = login;
        if (typeof email === 'string') user.email = email;
        if (typeof firstName === 'string' || firstName === null) user.firstName = firstName as string | null;
        else if (mode === 'replace') user.firstName = null;
        if (typeof lastName === 'string' || lastName === null) user.lastName = lastName as string | null;
        else if (mode === 'replace') user.lastName = null;
        Object.assign(user.extraProfile, rest);
      }
      if (newPassword !== undefined) {
        if (user.password !== null) user.history.unshift(user.password);
        user.password = newPassword;
        user.passwordChanged = iso();
        if (user.status === 'PASSWORD_EXPIRED' || user.status === 'RECOVERY') setStatus(user, 'ACTIVE');
      }
      user.lastUpdated = iso();
      return reply.type('application/json').send(userResource(user));
    };

  app.get<{ Params: { id: string } }>('/api/v1/users/:id', async (request, reply) => {
    const auth = await guard(request, reply, false);
    if (!auth) return reply;
    const user = await target(request, reply, auth.role, false);
    if (!user) return reply;
    return reply.type('application/json').send(userResource(user));
  });
  app.post('/api/v1/users/:id', update('partial'));
  app.put('/api/v1/users/:id', update('replace'));

  app.post<{ Params: { id: string } }>('/api/v1/users/:id/lifecycle/unlock', async (request, reply) => {
    const auth = await guard(request, reply, true);
    if (!auth) return reply;
    const user = await target(request, reply, auth.role, true);
    if (!user) return reply;
    // Okta unlocks LOCKED_OUT users, and clears the unknown-device block of ACTIVE ones.
    if (user.status !== 'LOCKED_OUT' && user.status !== 'ACTIVE') return notAllowed(reply);
    setStatus(user, 'ACTIVE');
    return reply.type('application/json').send({});
  });

  app.post<{ Params: { id: string }; Querystring: { sendEmail?: string; revokeSessions?: string } }>(
    '/api/v1/users/:id/lifecycle/reset_password',
    async (request, reply) => {
      const auth = await guard(request, reply, true);
      if (!auth) return reply;
      const user = await target(request, reply, auth.role, true);
      if (!user) return reply;
      if (user.status === 'DEPROVISIONED' || user.status === 'STAGED' || user.status === 'SUSPENDED')
        return notAllowed(reply);
      const sendEmail = request.query.sendEmail !== 'false';
      setStatus(user, 'RECOVERY');
      if (request.query.revokeSessions === 'true') user.sessions = 0;
      if (sendEmail) {
        resets.push({ userId: user.id, sentEmail: true, resetPasswordUrl: null });
        return reply.type('application/json').send({});
      }
      const resetPasswordUrl = `${url}/reset_password/drp${randomBytes(15).toString('base64url')}`;
      resets.push({ userId: user.id, sentEmail: false, resetPasswordUrl });
      return reply
        .type('application/json')
        .send({ summary: 'Reset password without sending email', resetPasswordUrl });
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/v1/users/:id/lifecycle/reset_factors',
    async (request, reply) => {
      const auth = await guard(request, reply, true);
      if (!auth) return reply;
      const user = await target(request, reply, auth.role, true);
      if (!user) return reply;
      if (user.status === 'DEPROVISIONED') return notAllowed(reply);
      user.factors = [];
      user.lastUpdated = iso();
      return reply.type('application/json').send({});
    },
  );

  app.get<{ Params: { id: string } }>('/api/v1/users/:id/factors', async (request, reply) => {
    const auth = await guard(request, reply, false);
    if (!auth) return reply;
    const user = await target(request, reply, auth.role, false);
    if (!user) return reply;
    return reply.type('application/json').send(
      user.factors.map((f) => ({
        id: f.id,
        factorType: f.factorType,
        provider: f.provider,
        status: 'ACTIVE',
        profile: f.profile,
      })),
    );
  });

  app.delete<{ Params: { id: string }; Querystring: { oauthTokens?: string } }>(
    '/api/v1/users/:id/sessions',
    async (request, reply) => {
      const auth = await guard(request, reply, true);
      if (!auth) return reply;
      const user = await target(request, reply, auth.role, true);
      if (!user) return reply;
      user.sessions = 0;
      return reply.code(204).send();
    },
  );

  app.post<{ Params: { id: string } }>('/api/v1/users/:id/lifecycle/suspend', async (request, reply) => {
    const auth = await guard(request, reply, true);
    if (!auth) return reply;
    const user = await target(request, reply, auth.role, true);
    if (!user) return reply;
    if (user.status !== 'ACTIVE')
      return oktaError(reply, 400, 'E0000001', 'Api validation failed: suspend', [
        'Cannot suspend a user that is not active',
      ]);
    setStatus(user, 'SUSPENDED');
    return reply.type('application/json').send({});
  });

  app.post<{ Params: { id: string } }>('/api/v1/users/:id/lifecycle/unsuspend', async (request, reply) => {
    const auth = await guard(request, reply, true);
    if (!auth) return reply;
    const user = await target(request, reply, auth.role, true);
    if (!user) return reply;
    if (user.status !== 'SUSPENDED')
      return oktaError(reply, 400, 'E0000001', 'Api validation failed: unsuspend', [
        'Cannot unsuspend a user that is not suspended',
      ]);
    setStatus(user, 'ACTIVE');
    return reply.type('application/json').send({});
  });

  await listen(app, options);
  url = baseUrl(app);

  const snapshot = (u: UserState): OktaUserSnapshot => ({
    id: u.id,
    login: u.login,
    status: u.status,
    passwordChanged: u.passwordChanged,
    factors: u.factors.map((f) => ({ id: f.id, factorType: f.factorType })),
    sessions: u.sessions,
  });

  return {
    url,
    requests: () => captured.map((r) => ({ ...r, headers: { ...r.headers } })),
    user: (key) => {
      const u = findUser(key);
      return u ? snapshot(u) : undefined;
    },
    checkPassword: (key, password) => {
      const u = findUser(key);
      // A user in RECOVERY (reset link issued) cannot sign in with the old password any more.
      return !!u && u.status !== 'RECOVERY' && u.password !== null && u.password === password;
    },
    passwordResets: () => resets.map((r) => ({ ...r })),
    setStatus: (key, status) => {
      const u = findUser(key);
      if (!u) throw new Error(`okta stand-in: no user ${key}`);
      setStatus(u, status);
    },
    faults,
    reset: () => {
      captured.length = 0;
      resets.length = 0;
      window = { start: Date.now(), count: 0 };
      faults.reset();
    },
    close: () => app.close(),
  };
}
