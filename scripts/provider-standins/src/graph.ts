// Stand-in for Microsoft Entra ID as the directory connector sees it: the Microsoft identity platform's
// client-credentials token endpoint (login.microsoftonline.com) and the Microsoft Graph v1.0 calls a helpdesk
// needs (users, passwordProfile, revokeSignInSessions, authentication methods, Temporary Access Pass).
// One Fastify server answers both hosts' paths: the connector is configured with this server's URL as its
// authority (token) base URL and as its Graph base URL.
//
// Behaviour (see README.md for the tables):
// - Token: `POST /{tenant}/oauth2/v2.0/token`, form-encoded `grant_type=client_credentials`, `client_id`,
//   `client_secret`, `scope=https://graph.microsoft.com/.default`. Errors like AAD (`{error, error_description:
//   'AADSTS…', error_codes, timestamp, trace_id, correlation_id, error_uri}`): unknown tenant 400 AADSTS90002,
//   unknown client 400 AADSTS700016, wrong secret 401 AADSTS7000215, wrong grant 400 AADSTS70003, bad scope
//   400 AADSTS70011. The access token is opaque here (real ones are JWTs; clients must not parse them anyway)
//   and carries the application permissions granted to the client.
// - Graph errors are `{ error: { code, message, innerError: { 'request-id', date, 'client-request-id' } } }`:
//   401 InvalidAuthenticationToken (missing, unknown or expired token), 403 Authorization_RequestDenied
//   (permission missing, or the target is a privileged user), 404 Request_ResourceNotFound,
//   400 Request_BadRequest (password complexity), 429 TooManyRequests with `Retry-After` (throttle or fault).
// - `GET /v1.0/users/{id|userPrincipalName}` returns Graph's default property set; `accountEnabled` and
//   `lastPasswordChangeDateTime` only when `$select`ed, as Graph does.

import { randomBytes, randomUUID } from 'node:crypto';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import formbody from '@fastify/formbody';
import { Faults, type FaultController } from './faults';
import { baseUrl, delay, listen, redactPasswords } from './util';

/** Application permissions (app roles) the stand-in knows; each route needs one of a set. */
export type GraphPermission =
  | 'User.Read.All'
  | 'User.ReadWrite.All'
  | 'User-PasswordProfile.ReadWrite.All'
  | 'User.EnableDisableAccount.All'
  | 'User.RevokeSessions.All'
  | 'Directory.Read.All'
  | 'Directory.ReadWrite.All'
  | 'UserAuthenticationMethod.Read.All'
  | 'UserAuthenticationMethod.ReadWrite.All'
  | 'UserAuthMethod-TAP.ReadWrite.All';

/** Kinds of authentication method, with the URL segment Graph uses for each. */
export const GRAPH_METHOD_KINDS = {
  password: { odataType: '#microsoft.graph.passwordAuthenticationMethod', segment: 'passwordMethods' },
  phone: { odataType: '#microsoft.graph.phoneAuthenticationMethod', segment: 'phoneMethods' },
  email: { odataType: '#microsoft.graph.emailAuthenticationMethod', segment: 'emailMethods' },
  microsoftAuthenticator: {
    odataType: '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
    segment: 'microsoftAuthenticatorMethods',
  },
  fido2: { odataType: '#microsoft.graph.fido2AuthenticationMethod', segment: 'fido2Methods' },
  softwareOath: {
    odataType: '#microsoft.graph.softwareOathAuthenticationMethod',
    segment: 'softwareOathMethods',
  },
  windowsHelloForBusiness: {
    odataType: '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod',
    segment: 'windowsHelloForBusinessMethods',
  },
  temporaryAccessPass: {
    odataType: '#microsoft.graph.temporaryAccessPassAuthenticationMethod',
    segment: 'temporaryAccessPassMethods',
  },
} as const;

export type GraphMethodKind = keyof typeof GRAPH_METHOD_KINDS;

/** The fixed id Graph gives every user's password method. */
export const PASSWORD_METHOD_ID = '28c10230-6103-485e-b985-444c60001490';
/** The fixed ids Graph gives phone methods, by phoneType. */
export const PHONE_METHOD_IDS = {
  mobile: '3179e48a-750b-4051-897c-87b9720928f7',
  alternateMobile: 'b6332ec1-7057-4abe-9331-3d72feddfe41',
  office: 'e37fc753-ff3b-4958-9484-eab9a7ba7c9a',
} as const;

export interface GraphSeedMethod {
  kind: Exclude<GraphMethodKind, 'password'>;
  /** Defaults: the fixed phone ids by phoneType, a random GUID otherwise. */
  id?: string;
  /** Extra properties returned with the method, e.g. `{ phoneNumber: '+1 2065550100', phoneType: 'mobile' }`. */
  properties?: Record<string, unknown>;
}

export interface GraphSeedUser {
  /** Object id (GUID); random when omitted. */
  id?: string;
  userPrincipalName: string;
  displayName?: string;
  givenName?: string;
  surname?: string;
  mail?: string;
  /** true unless given */
  accountEnabled?: boolean;
  password?: string;
  /** A user holding an admin role: resetting their password or methods needs a higher role (403 here). */
  privileged?: boolean;
  lastPasswordChangeDateTime?: string;
  methods?: GraphSeedMethod[];
}

export interface GraphClientApp {
  clientId: string;
  clientSecret: string;
  permissions: GraphPermission[];
}

export interface GraphStandinOptions {
  port?: number;
  host?: string;
  /** Tenant id (GUID); `/{tenant}/oauth2/v2.0/token` also accepts any of `tenantDomains`. */
  tenantId: string;
  tenantDomains?: string[];
  clients: GraphClientApp[];
  users?: GraphSeedUser[];
  /** Access token lifetime (default 3599 s, like AAD). */
  tokenLifetimeSeconds?: number;
  /** Entra's default: 8–256 characters and three of lower, upper, digit, symbol; plus banned words. */
  passwordPolicy?: { minLength?: number; bannedPasswords?: string[] };
  /**
   * Throttling: more than `limit` Graph requests per client within `windowSeconds` answer 429 with
   * Retry-After (the seconds left in the window, at least 1). Off unless given.
   */
  throttle?: { limit: number; windowSeconds: number };
  /** Whether the Temporary Access Pass policy is enabled (default true). */
  temporaryAccessPassEnabled?: boolean;
}

export interface GraphCapturedRequest {
  method: string;
  /** Path and query as requested. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** The body with every password value replaced by `[redacted]`. */
  body: unknown;
  status: number;
  at: Date;
}

export interface GraphUserSnapshot {
  id: string;
  userPrincipalName: string;
  accountEnabled: boolean;
  lastPasswordChangeDateTime: string;
  forceChangePasswordNextSignIn: boolean;
  signInSessionsValidFromDateTime: string;
  methods: Array<{ kind: GraphMethodKind; id: string }>;
}

export interface GraphStandin {
  /** Base URL for both the authority and Graph, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  url: string;
  tenantId: string;
  /** Every request received (token and Graph), oldest first. */
  requests(): GraphCapturedRequest[];
  user(idOrUpn: string): GraphUserSnapshot | undefined;
  /** Whether `password` is the user's current password (what a sign-in would check). */
  checkPassword(idOrUpn: string, password: string): boolean;
  /** Every Temporary Access Pass issued, newest last (the stand-in keeps the codes for tests). */
  temporaryAccessPasses(): Array<{ userId: string; id: string; temporaryAccessPass: string }>;
  /** Make every access token issued so far invalid (as if it expired). */
  expireTokens(): void;
  /** Faults apply to `graph` (the API) and `graph-login` (the token endpoint). */
  faults: FaultController;
  /** Forget captured requests, faults and throttling counts (users keep their state). */
  reset(): void;
  close(): Promise<void>;
}

interface UserState {
  id: string;
  userPrincipalName: string;
  displayName: string | null;
  givenName: string | null;
  surname: string | null;
  mail: string | null;
  accountEnabled: boolean;
  password: string | null;
  privileged: boolean;
  lastPasswordChangeDateTime: string;
  forceChangePasswordNextSignIn: boolean;
  signInSessionsValidFromDateTime: string;
  methods: Array<{
    kind: GraphMethodKind;
    id: string;
    createdDateTime: string;
    properties: Record<string, unknown>;
  }>;
}

interface TokenState {
  clientId: string;
  permissions: Set<GraphPermission>;
  expiresAt: number;
}

const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

const READ_USERS: GraphPermission[] = [
  'User.Read.All',
  'User.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
];
const WRITE_PASSWORD: GraphPermission[] = [
  'User-PasswordProfile.ReadWrite.All',
  'User.ReadWrite.All',
  'Directory.ReadWrite.All',
];
const WRITE_ENABLED: GraphPermission[] = [
  'User.EnableDisableAccount.All',
  'User.ReadWrite.All',
  'Directory.ReadWrite.All',
];
const WRITE_USER: GraphPermission[] = ['User.ReadWrite.All', 'Directory.ReadWrite.All'];
const REVOKE: GraphPermission[] = [
  'User.RevokeSessions.All',
  'User.ReadWrite.All',
  'Directory.ReadWrite.All',
];
const READ_METHODS: GraphPermission[] = [
  'UserAuthenticationMethod.Read.All',
  'UserAuthenticationMethod.ReadWrite.All',
];
const WRITE_METHODS: GraphPermission[] = ['UserAuthenticationMethod.ReadWrite.All'];
const WRITE_TAP: GraphPermission[] = [
  'UserAuthMethod-TAP.ReadWrite.All',
  'UserAuthenticationMethod.ReadWrite.All',
];

/** Graph's default `$select` for a user. */
const DEFAULT_USER_PROPERTIES = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
];

const COMPLEXITY_MESSAGE =
  'The specified password does not comply with password complexity requirements. Please provide a different password.';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Entra's complexity rule: length, then three of the four character classes, then banned words. */
export function entraPasswordComplies(
  password: string,
  policy: { minLength?: number; bannedPasswords?: string[] } = {},
): boolean {
  const min = policy.minLength ?? 8;
  if (password.length < min || password.length > 256) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) return false;
  const lower = password.toLowerCase();
  return !(policy.bannedPasswords ?? []).some((w) => w && lower.includes(w.toLowerCase()));
}

function aadTimestamp(d = new Date()): string {
  return d
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
}

export async function startGraphStandin(options: GraphStandinOptions): Promise<GraphStandin> {
  if (!options.tenantId) throw new Error('graph stand-in: tenantId is required');
  if (!options.clients?.length) throw new Error('graph stand-in: at least one client is required');

  const faults = new Faults();
  const captured: GraphCapturedRequest[] = [];
  const tokens = new Map<string, TokenState>();
  const taps: Array<{ userId: string; id: string; temporaryAccessPass: string }> = [];
  const throttleCounts = new Map<string, { windowStart: number; count: number }>();
  const tenants = new Set([
    options.tenantId.toLowerCase(),
    ...(options.tenantDomains ?? []).map((d) => d.toLowerCase()),
  ]);
  const lifetime = options.tokenLifetimeSeconds ?? 3599;
  const tapEnabled = options.temporaryAccessPassEnabled ?? true;

  const users: UserState[] = (options.users ?? []).map((u) => {
    const created = new Date(Date.now() - 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
    return {
      id: u.id ?? randomUUID(),
      userPrincipalName: u.userPrincipalName,
      displayName: u.displayName ?? null,
      givenName: u.givenName ?? null,
      surname: u.surname ?? null,
      mail: u.mail ?? null,
      accountEnabled: u.accountEnabled ?? true,
      password: u.password ?? null,
      privileged: u.privileged ?? false,
      lastPasswordChangeDateTime: u.lastPasswordChangeDateTime ?? created,
      forceChangePasswordNextSignIn: false,
      signInSessionsValidFromDateTime: created,
      methods: [
        {
          kind: 'password' as const,
          id: PASSWORD_METHOD_ID,
          createdDateTime: created,
          properties: { password: null },
        },
        ...(u.methods ?? []).map((m) => ({
          kind: m.kind,
          id:
            m.id ??
            (m.kind === 'phone'
              ? PHONE_METHOD_IDS[(m.properties?.phoneType as keyof typeof PHONE_METHOD_IDS) ?? 'mobile']
              : randomUUID()),
          createdDateTime: created,
          properties: { ...(m.properties ?? {}) },
        })),
      ],
    };
  });

  const findUser = (key: string): UserState | undefined => {
    const k = key.toLowerCase();
    return users.find((u) => u.id.toLowerCase() === k || u.userPrincipalName.toLowerCase() === k);
  };

  const app = Fastify({ logger: false });
  await app.register(formbody);
  // Graph clients may send `Content-Type: application/json` with an empty body (DELETE, bodyless POST).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      const err = new Error(
        'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
      ) as Error & { statusCode: number };
      err.statusCode = 400;
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

  const graphError = (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    code: string,
    message: string,
  ) => {
    const requestId = randomUUID();
    const clientRequestId = request.headers['client-request-id'];
    reply.header('request-id', requestId);
    if (typeof clientRequestId === 'string') reply.header('client-request-id', clientRequestId);
    return reply
      .code(status)
      .type('application/json')
      .send({
        error: {
          code,
          message,
          innerError: {
            date: new Date().toISOString().replace(/\.\d+Z$/, ''),
            'request-id': requestId,
            'client-request-id': typeof clientRequestId === 'string' ? clientRequestId : requestId,
          },
        },
      });
  };

  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
    if (request.url.includes('/oauth2/')) {
      return aadError(reply, status, 'invalid_request', 900144, error.message);
    }
    return graphError(
      request,
      reply,
      status,
      status === 500 ? 'generalException' : 'BadRequest',
      error.message,
    );
  });

  const aadError = (reply: FastifyReply, status: number, error: string, code: number, text: string) => {
    const traceId = randomUUID();
    const correlationId = randomUUID();
    const ts = aadTimestamp();
    return reply
      .code(status)
      .type('application/json')
      .send({
        error,
        error_description: `AADSTS${code}: ${text} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${ts}`,
        error_codes: [code],
        timestamp: ts,
        trace_id: traceId,
        correlation_id: correlationId,
        error_uri: `https://login.microsoftonline.com/error?code=${code}`,
      });
  };

  /** Latency and faults for one provider; answers and returns false when the request must stop here. */
  const applyFaults = async (
    provider: 'graph' | 'graph-login',
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<boolean> => {
    const latency = faults.latency(provider);
    if (latency > 0) await delay(latency);
    const fault = faults.take(provider);
    if (fault?.kind === 'drop') {
      reply.hijack();
      request.raw.socket.destroy();
      return false;
    }
    if (fault?.kind === 'status') {
      if (fault.retryAfterSeconds !== undefined) reply.header('Retry-After', String(fault.retryAfterSeconds));
      if (provider === 'graph-login') {
        await aadError(
          reply,
          fault.status,
          fault.status === 429 || fault.status === 503 ? 'temporarily_unavailable' : 'server_error',
          fault.status === 429 ? 50196 : 90033,
          fault.status === 429
            ? 'The server terminated an operation because it encountered a client request loop.'
            : 'A transient error has occurred. Please try again.',
        );
        return false;
      }
      if (fault.status === 429) await tooManyRequests(request, reply);
      else {
        const [code, message] =
          fault.status === 503
            ? ['serviceNotAvailable', 'Service is temporarily unavailable. Please try again later.']
            : fault.status === 504
              ? ['UnknownError', 'The operation timed out.']
              : fault.status >= 500
                ? ['generalException', 'General exception while processing.']
                : ['BadRequest', 'Bad request.'];
        await graphError(request, reply, fault.status, code!, message!);
      }
      return false;
    }
    return true;
  };

  const tooManyRequests = (request: FastifyRequest, reply: FastifyReply) =>
    graphError(request, reply, 429, 'TooManyRequests', 'Please retry again later.');

  // ---- token endpoint (login.microsoftonline.com) ----
  app.post<{ Params: { tenant: string }; Body: Record<string, unknown> }>(
    '/:tenant/oauth2/v2.0/token',
    async (request, reply) => {
      if (!(await applyFaults('graph-login', request, reply))) return reply;
      if (!tenants.has(request.params.tenant.toLowerCase()))
        return aadError(
          reply,
          400,
          'invalid_request',
          90002,
          `Tenant '${request.params.tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
        );
      const form = isObject(request.body) ? request.body : {};
      const str = (k: string) => (typeof form[k] === 'string' ? (form[k] as string) : undefined);
      if (str('grant_type') !== 'client_credentials')
        return aadError(
          reply,
          400,
          'unsupported_grant_type',
          70003,
          'The app requested an unsupported grant type.',
        );
      const clientId = str('client_id');
      const client = options.clients.find((c) => c.clientId === clientId);
      if (!client)
        return aadError(
          reply,
          400,
          'unauthorized_client',
          700016,
          `Application with identifier '${clientId ?? ''}' was not found in the directory '${options.tenantId}'.`,
        );
      if (str('client_secret') !== client.clientSecret)
        return aadError(
          reply,
          401,
          'invalid_client',
          7000215,
          `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${client.clientId}'.`,
        );
      if (str('scope') !== GRAPH_SCOPE)
        return aadError(
          reply,
          400,
          'invalid_scope',
          70011,
          "The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid.",
        );
      const token = `eyJ0eXAiOiJKV1QiLCJzdGFuZC1pbiI6dHJ1ZX0.${randomBytes(24).toString('base64url')}`;
      tokens.set(token, {
        clientId: client.clientId,
        permissions: new Set(client.permissions),
        expiresAt: Date.now() + lifetime * 1000,
      });
      return reply
        .header('cache-control', 'no-store, no-cache')
        .type('application/json')
        .send({ token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: token });
    },
  );

  // ---- Graph ----
  /** Faults, bearer token, throttling, then the permission check; false when answered already. */
  const guard = async (
    request: FastifyRequest,
    reply: FastifyReply,
    needs: GraphPermission[],
  ): Promise<TokenState | false> => {
    if (!(await applyFaults('graph', request, reply))) return false;
    const header = request.headers.authorization;
    if (!header) {
      await graphError(request, reply, 401, 'InvalidAuthenticationToken', 'Access token is empty.');
      return false;
    }
    const token = header.startsWith('Bearer ') ? tokens.get(header.slice(7)) : undefined;
    if (!token) {
      await graphError(
        request,
        reply,
        401,
        'InvalidAuthenticationToken',
        'IDX14100: JWT is not well formed, there are no dots (.). The token needs to be in JWS or JWE Compact Serialization Format.',
      );
      return false;
    }
    if (token.expiresAt <= Date.now()) {
      await graphError(
        request,
        reply,
        401,
        'InvalidAuthenticationToken',
        'Lifetime validation failed, the token is expired.',
      );
      return false;
    }
    if (options.throttle) {
      const now = Date.now();
      const windowMs = options.throttle.windowSeconds * 1000;
      const entry = throttleCounts.get(token.clientId);
      const current = entry && now - entry.windowStart < windowMs ? entry : { windowStart: now, count: 0 };
      current.count += 1;
      throttleCounts.set(token.clientId, current);
      if (current.count > options.throttle.limit) {
        const left = Math.max(1, Math.ceil((current.windowStart + windowMs - now) / 1000));
        reply.header('Retry-After', String(left));
        await tooManyRequests(request, reply);
        return false;
      }
    }
    if (!needs.some((p) => token.permissions.has(p))) {
      await graphError(
        request,
        reply,
        403,
        'Authorization_RequestDenied',
        'Insufficient privileges to complete the operation.',
      );
      return false;
    }
    return token;
  };

  const notFound = (request: FastifyRequest, reply: FastifyReply, id: string) =>
    graphError(
      request,
      reply,
      404,
      'Request_ResourceNotFound',
      `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
    );

  const userResource = (u: UserState, select: string[] | undefined) => {
    const all: Record<string, unknown> = {
      id: u.id,
      userPrincipalName: u.userPrincipalName,
      displayName: u.displayName,
      givenName: u.givenName,
      surname: u.surname,
      mail: u.mail,
      businessPhones: [],
      jobTitle: null,
      mobilePhone: null,
      officeLocation: null,
      preferredLanguage: null,
      accountEnabled: u.accountEnabled,
      lastPasswordChangeDateTime: u.lastPasswordChangeDateTime,
      signInSessionsValidFromDateTime: u.signInSessionsValidFromDateTime,
    };
    const props = select ?? DEFAULT_USER_PROPERTIES;
    const out: Record<string, unknown> = {
      '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users${select ? `(${select.join(',')})` : ''}/$entity`,
    };
    for (const p of props) if (p in all) out[p] = all[p];
    return out;
  };

  const methodResource = (m: UserState['methods'][number]) => ({
    '@odata.type': GRAPH_METHOD_KINDS[m.kind].odataType,
    id: m.id,
    createdDateTime: m.createdDateTime,
    ...m.properties,
  });

  app.get<{ Params: { id: string }; Querystring: Record<string, string | undefined> }>(
    '/v1.0/users/:id',
    async (request, reply) => {
      if (!(await guard(request, reply, READ_USERS))) return reply;
      const user = findUser(request.params.id);
      if (!user) return notFound(request, reply, request.params.id);
      const select = request.query.$select
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      return reply.type('application/json').send(userResource(user, select));
    },
  );

  app.patch<{ Params: { id: string }; Body: unknown }>('/v1.0/users/:id', async (request, reply) => {
    const body = isObject(request.body) ? request.body : {};
    const touchesPassword = 'passwordProfile' in body;
    const touchesEnabled = 'accountEnabled' in body;
    const others = Object.keys(body).filter((k) => k !== 'passwordProfile' && k !== 'accountEnabled');
    const needs = others.length > 0 ? WRITE_USER : touchesPassword ? WRITE_PASSWORD : WRITE_ENABLED;
    const token = await guard(request, reply, needs);
    if (!token) return reply;
    if (touchesPassword && touchesEnabled && !WRITE_ENABLED.some((p) => token.permissions.has(p)))
      return graphError(
        request,
        reply,
        403,
        'Authorization_RequestDenied',
        'Insufficient privileges to complete the operation.',
      );
    const user = findUser(request.params.id);
    if (!user) return notFound(request, reply, request.params.id);
    if (user.privileged && (touchesPassword || touchesEnabled))
      return graphError(
        request,
        reply,
        403,
        'Authorization_RequestDenied',
        'Insufficient privileges to complete the operation.',
      );
    let newPassword: string | undefined;
    let force: boolean | undefined;
    if (touchesPassword) {
      const profile = body.passwordProfile;
      if (!isObject(profile) || typeof profile.password !== 'string')
        return graphError(
          request,
          reply,
          400,
          'Request_BadRequest',
          "Invalid value specified for property 'passwordProfile' of resource 'User'.",
        );
      if (!entraPasswordComplies(profile.password, options.passwordPolicy))
        return graphError(request, reply, 400, 'Request_BadRequest', COMPLEXITY_MESSAGE);
      newPassword = profile.password;
      force = profile.forceChangePasswordNextSignIn === true;
    }
    if (touchesEnabled && typeof body.accountEnabled !== 'boolean')
      return graphError(
        request,
        reply,
        400,
        'Request_BadRequest',
        "Invalid value specified for property 'accountEnabled' of resource 'User'.",
      );
    if (newPassword !== undefined) {
      user.password = newPassword;
      user.forceChangePasswordNextSignIn = force ?? false;
      user.lastPasswordChangeDateTime = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    }
    if (touchesEnabled) user.accountEnabled = body.accountEnabled as boolean;
    for (const k of others) {
      if (k === 'displayName' || k === 'givenName' || k === 'surname' || k === 'mail') {
        const v = body[k];
        if (typeof v === 'string' || v === null) user[k] = v;
      }
    }
    return reply.code(204).send();
  });

  app.post<{ Params: { id: string } }>('/v1.0/users/:id/revokeSignInSessions', async (request, reply) => {
    if (!(await guard(request, reply, REVOKE))) return reply;
    const user = findUser(request.params.id);
    if (!user) return notFound(request, reply, request.params.id);
    user.signInSessionsValidFromDateTime = new Date().toISOString();
    return reply
      .type('application/json')
      .send({ '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Edm.Boolean', value: true });
  });

  app.get<{ Params: { id: string } }>('/v1.0/users/:id/authentication/methods', async (request, reply) => {
    if (!(await guard(request, reply, READ_METHODS))) return reply;
    const user = findUser(request.params.id);
    if (!user) return notFound(request, reply, request.params.id);
    return reply.type('application/json').send({
      '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users('${user.id}')/authentication/methods`,
      value: user.methods.map(methodResource),
    });
  });

  app.delete<{ Params: { id: string; segment: string; methodId: string } }>(
    '/v1.0/users/:id/authentication/:segment/:methodId',
    async (request, reply) => {
      const kind = (Object.keys(GRAPH_METHOD_KINDS) as GraphMethodKind[]).find(
        (k) => GRAPH_METHOD_KINDS[k].segment === request.params.segment,
      );
      if (!kind || kind === 'password') {
        if (!(await applyFaults('graph', request, reply))) return reply;
        return graphError(
          request,
          reply,
          400,
          'BadRequest',
          `Resource not found for the segment '${request.params.segment}'.`,
        );
      }
      if (!(await guard(request, reply, kind === 'temporaryAccessPass' ? WRITE_TAP : WRITE_METHODS)))
        return reply;
      const user = findUser(request.params.id);
      if (!user) return notFound(request, reply, request.params.id);
      if (user.privileged)
        return graphError(
          request,
          reply,
          403,
          'Authorization_RequestDenied',
          'Insufficient privileges to complete the operation.',
        );
      const index = user.methods.findIndex((m) => m.kind === kind && m.id === request.params.methodId);
      if (index < 0) return notFound(request, reply, request.params.methodId);
      user.methods.splice(index, 1);
      return reply.code(204).send();
    },
  );

  app.post<{ Params: { id: string }; Body: unknown }>(
    '/v1.0/users/:id/authentication/temporaryAccessPassMethods',
    async (request, reply) => {
      if (!(await guard(request, reply, WRITE_TAP))) return reply;
      const user = findUser(request.params.id);
      if (!user) return notFound(request, reply, request.params.id);
      if (user.privileged)
        return graphError(
          request,
          reply,
          403,
          'Authorization_RequestDenied',
          'Insufficient privileges to complete the operation.',
        );
      if (!tapEnabled)
        return graphError(
          request,
          reply,
          400,
          'badRequest',
          'Temporary Access Pass is disabled for the user by the authentication methods policy.',
        );
      const body = isObject(request.body) ? request.body : {};
      const lifetimeInMinutes = body.lifetimeInMinutes === undefined ? 60 : body.lifetimeInMinutes;
      if (
        typeof lifetimeInMinutes !== 'number' ||
        !Number.isInteger(lifetimeInMinutes) ||
        lifetimeInMinutes < 10 ||
        lifetimeInMinutes > 43200
      )
        return graphError(
          request,
          reply,
          400,
          'badRequest',
          'The lifetime of the Temporary Access Pass is outside the range allowed by the policy.',
        );
      const isUsableOnce = body.isUsableOnce === true;
      // One usable TAP per user: a new one replaces the previous one.
      user.methods = user.methods.filter((m) => m.kind !== 'temporaryAccessPass');
      const now = new Date().toISOString();
      const pass = randomBytes(6).toString('base64url').replace(/[-_]/g, 'x').slice(0, 8);
      const method = {
        kind: 'temporaryAccessPass' as const,
        id: randomUUID(),
        createdDateTime: now,
        properties: {
          startDateTime: now,
          lifetimeInMinutes,
          isUsableOnce,
          isUsable: true,
          methodUsabilityReason: 'EnabledByPolicy',
        },
      };
      user.methods.push(method);
      taps.push({ userId: user.id, id: method.id, temporaryAccessPass: pass });
      return reply
        .code(201)
        .type('application/json')
        .send({
          '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users('${user.id}')/authentication/temporaryAccessPassMethods/$entity`,
          ...methodResource(method),
          temporaryAccessPass: pass,
        });
    },
  );

  await listen(app, options);
  const url = baseUrl(app);

  return {
    url,
    tenantId: options.tenantId,
    requests: () => captured.map((r) => ({ ...r, headers: { ...r.headers } })),
    user: (key) => {
      const u = findUser(key);
      if (!u) return undefined;
      return {
        id: u.id,
        userPrincipalName: u.userPrincipalName,
        accountEnabled: u.accountEnabled,
        lastPasswordChangeDateTime: u.lastPasswordChangeDateTime,
        forceChangePasswordNextSignIn: u.forceChangePasswordNextSignIn,
        signInSessionsValidFromDateTime: u.signInSessionsValidFromDateTime,
        methods: u.methods.map((m) => ({ kind: m.kind, id: m.id })),
      };
    },
    checkPassword: (key, password) => {
      const u = findUser(key);
      return !!u && u.password !== null && u.password === password;
    },
    temporaryAccessPasses: () => taps.map((t) => ({ ...t })),
    expireTokens: () => {
      for (const t of tokens.values()) t.expiresAt = 0;
    },
    faults,
    reset: () => {
      captured.length = 0;
      throttleCounts.clear();
      faults.reset();
    },
    close: () => app.close(),
  };
}
