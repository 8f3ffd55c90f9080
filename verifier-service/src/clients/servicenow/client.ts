// A thin client of ServiceNow's REST Table API (SERVICENOW.md), with the retry rules of SECURITY.md R2:
// exponential backoff with full jitter on 429, 408, 5xx, timeouts and connection errors, never earlier than
// `Retry-After`, no retry on other 4xx. Basic auth or OAuth client credentials (token cached, one in-flight
// request shared, refreshed once on a 401).
//
// Writes that are not idempotent (POST, and PATCHes that append to a journal field such as `work_notes`) are
// retried only when the failed attempt cannot have reached the table (429, a refused connection, a failed
// token request). After an ambiguous failure (timeout, 5xx, reset connection) the error is thrown instead,
// still marked `retriable`, so the caller can first check whether its write landed (R3) and try again.

import { assertField, assertSysId, assertTable } from './encoded-query';
import { ServiceNowError, scrub, type ServiceNowErrorKind } from './errors';

export { ServiceNowError, isServiceNowError, type ServiceNowErrorKind } from './errors';
export {
  encodedQuery,
  assertField,
  assertSysId,
  assertTable,
  type Condition,
  type QueryTerm,
  type ValueOperator,
} from './encoded-query';

export type ServiceNowAuth =
  | { type: 'basic'; username: string; password: string }
  /** `client_credentials` grant at `POST {instance}/oauth_token.do`, form-encoded. */
  | { type: 'oauth'; clientId: string; clientSecret: string };

export interface RetryOptions {
  /** Attempts in all, including the first; 1 = no retry (jobs that reschedule themselves). */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface RequestEvent {
  method: string;
  /** Path without the query string (which may carry user data). `/oauth_token.do` for token requests. */
  path: string;
  status?: number;
  attempt: number;
  durationMs: number;
  /** The failure of this exchange, if any; its message is free of credentials. */
  error?: ServiceNowError;
}

export interface ServiceNowClientOptions {
  /** e.g. `https://acme.service-now.com` (no credentials, query or fragment). */
  instanceUrl: string;
  auth: ServiceNowAuth;
  /** Per attempt, covering the response body; default 10000. */
  timeoutMs?: number;
  /** Default `{ maxAttempts: 3, baseDelayMs: 250, maxDelayMs: 5000 }`. */
  retry?: RetryOptions;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Called once per HTTP exchange, for logs and metrics. Never carries credentials or tokens. */
  onRequest?: (e: RequestEvent) => void;
}

export type DisplayValue = false | true | 'all';
export type SnRecord = Record<string, string>;
/** A field read with `sysparm_display_value=all`. */
export interface SnValue {
  value: string;
  display_value: string;
}
export type SnRecordAll = Record<string, SnValue>;

export interface ReadOpts {
  fields?: readonly string[];
  displayValue?: DisplayValue;
  /**
   * When the whole call must have settled, on the client's clock (ms): every attempt's timeout is cut to what is
   * left, and no retry or wait starts that would end after it. Calls on a request path pass one (an agent must get
   * an answer before the server's own request timeout); jobs leave it out and keep the per-attempt timeout alone.
   */
  deadline?: number;
}
export interface QueryOpts extends ReadOpts {
  /** An encoded query; build it with `encodedQuery(...)`. */
  query?: string;
  limit?: number;
  offset?: number;
  /** Default true (`sysparm_no_count=true`); pass false to get `total` from `X-Total-Count`. */
  noCount?: boolean;
}
export interface WriteOpts {
  /** Fields of the record to return (default: the whole record). */
  fields?: readonly string[];
  /**
   * `sysparm_input_display_value=true`: values are display values. Needed to set a password column
   * (`sys_user.user_password`): without it an instance keeps the clear text as the stored, encrypted form and
   * nobody can sign in with it.
   */
  inputDisplayValue?: boolean;
}
export interface QueryResult<R> {
  records: R[];
  total?: number;
}

export interface ServiceNowClient {
  /** The per-attempt timeout; a request that timed out may still be applied by the instance after it. */
  readonly timeoutMs: number;
  /** One record, or null when it does not exist or is hidden by an ACL (404). */
  get(table: string, sysId: string, opts: ReadOpts & { displayValue: 'all' }): Promise<SnRecordAll | null>;
  get(table: string, sysId: string, opts?: ReadOpts & { displayValue?: boolean }): Promise<SnRecord | null>;
  query(table: string, opts: QueryOpts & { displayValue: 'all' }): Promise<QueryResult<SnRecordAll>>;
  query(table: string, opts?: QueryOpts & { displayValue?: boolean }): Promise<QueryResult<SnRecord>>;
  /** POST; not retried after an ambiguous failure (see the top of this file). */
  create(table: string, body: Record<string, string>, opts?: WriteOpts): Promise<SnRecord>;
  /** PATCH: only the fields sent change. */
  update(table: string, sysId: string, body: Record<string, string>, opts?: WriteOpts): Promise<SnRecord>;
  /**
   * POST to a scripted REST resource of a scoped app (`/api/<scope>/<service>/<route>`, not the Table API), with
   * the same auth, errors and retries; resolves with the answer's `result`. Retried after an ambiguous failure
   * only when `idempotent` says the route itself makes a repeat harmless.
   */
  postApi(path: string, body: Record<string, unknown>, opts: ApiOpts): Promise<unknown>;
}

export interface ApiOpts {
  /** The route makes a repeated call harmless (e.g. the app's close: an already closed ticket answers "already"). */
  idempotent: boolean;
  /** See ReadOpts.deadline. */
  deadline?: number;
}

/** A scoped app's scripted REST path: `/api/<namespace>/<service>/…`; the Table API (`/api/now/…`) is not one. */
const API_PATH = /^\/api\/x_[a-z0-9]+_[a-z0-9_]+\/[a-z0-9_]+(\/[a-z0-9_-]+)+$/;

/** Journal fields: writing one appends an entry, so a write carrying one is not idempotent. */
const JOURNAL_FIELDS: ReadonlySet<string> = new Set(['work_notes', 'comments', 'comments_and_work_notes']);

/** Connection errors raised before any byte of the request reached the server. */
const UNSENT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

const DEFAULT_RETRY: RetryOptions = { maxAttempts: 3, baseDelayMs: 250, maxDelayMs: 5000 };
const TOKEN_PATH = '/oauth_token.do';

interface Exchange {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  params?: [string, string][];
  body?: Record<string, unknown>;
  /** Whether repeating a request that may have been applied is harmless. */
  idempotent: boolean;
  /** Whether 404 is an answer (null) rather than an error. */
  allowNotFound?: boolean;
  /** See ReadOpts.deadline. */
  deadline?: number;
}

interface Answer {
  status: number;
  headers: Headers;
  json: unknown;
}

/** A failed attempt, and whether the instance can have acted on it. */
class AttemptFailure {
  constructor(
    readonly error: ServiceNowError,
    readonly unsent: boolean,
  ) {}
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.ceil(Number(v) * 1000);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

function validateOptions(opts: ServiceNowClientOptions): {
  base: string;
  retry: RetryOptions;
  timeoutMs: number;
} {
  let url: URL;
  try {
    url = new URL(opts.instanceUrl);
  } catch {
    throw new TypeError('instanceUrl is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new TypeError('instanceUrl must be http(s)');
  if (url.username || url.password) throw new TypeError('instanceUrl must not carry credentials');
  if (url.search || url.hash) throw new TypeError('instanceUrl must not have a query or fragment');
  const base = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;

  const retry = opts.retry ?? DEFAULT_RETRY;
  if (!Number.isInteger(retry.maxAttempts) || retry.maxAttempts < 1) {
    throw new TypeError('retry.maxAttempts must be an integer >= 1');
  }
  if (!(retry.baseDelayMs >= 0) || !(retry.maxDelayMs >= retry.baseDelayMs)) {
    throw new TypeError('retry delays must satisfy 0 <= baseDelayMs <= maxDelayMs');
  }
  const timeoutMs = opts.timeoutMs ?? 10_000;
  if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs))
    throw new TypeError('timeoutMs must be a positive number');

  const a = opts.auth;
  if (a.type === 'basic') {
    if (!a.username || typeof a.password !== 'string')
      throw new TypeError('basic auth needs username and password');
  } else if (a.type === 'oauth') {
    if (!a.clientId || !a.clientSecret) throw new TypeError('oauth auth needs clientId and clientSecret');
  } else {
    throw new TypeError('unknown auth type');
  }
  return { base, retry, timeoutMs };
}

function envelopeError(json: unknown): { message?: string; detail?: string } {
  if (typeof json !== 'object' || json === null) return {};
  const err = (json as { error?: unknown }).error;
  if (typeof err === 'object' && err !== null) {
    const { message, detail } = err as { message?: unknown; detail?: unknown };
    return {
      ...(typeof message === 'string' && message ? { message } : {}),
      ...(typeof detail === 'string' && detail ? { detail } : {}),
    };
  }
  // OAuth endpoint style: {"error":"invalid_client","error_description":"…"}
  if (typeof err === 'string') {
    const desc = (json as { error_description?: unknown }).error_description;
    return { message: err, ...(typeof desc === 'string' && desc ? { detail: desc } : {}) };
  }
  return {};
}

function toStringValue(v: unknown, display: boolean): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'object') {
    // A reference returned with its link despite sysparm_exclude_reference_link.
    const o = v as { value?: unknown; display_value?: unknown };
    const pick = display ? (o.display_value ?? o.value) : (o.value ?? o.display_value);
    return typeof pick === 'string' ? pick : '';
  }
  return '';
}

function toRecord(raw: unknown, dv: DisplayValue): SnRecord | SnRecordAll {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new TypeError('record is not an object');
  const out: Record<string, string | SnValue> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (dv === 'all') {
      if (typeof v === 'object' && v !== null) {
        const value = toStringValue(v, false);
        const o = v as { display_value?: unknown };
        out[k] = { value, display_value: typeof o.display_value === 'string' ? o.display_value : value };
      } else {
        const s = toStringValue(v, false);
        out[k] = { value: s, display_value: s };
      }
    } else {
      out[k] = toStringValue(v, dv);
    }
  }
  return out as SnRecord | SnRecordAll;
}

function readParams(opts: ReadOpts | undefined): [string, string][] {
  const params: [string, string][] = [];
  const dv = opts?.displayValue ?? false;
  if (dv !== false && dv !== true && dv !== 'all')
    throw new TypeError('displayValue must be false, true or "all"');
  if (dv !== false) params.push(['sysparm_display_value', String(dv)]);
  params.push(['sysparm_exclude_reference_link', 'true']);
  if (opts?.fields !== undefined) params.push(['sysparm_fields', fieldList(opts.fields)]);
  return params;
}

function fieldList(fields: readonly string[]): string {
  if (!Array.isArray(fields) || fields.length === 0) throw new TypeError('fields must be a non-empty list');
  fields.forEach(assertField);
  return fields.join(',');
}

function checkBody(body: Record<string, string>): void {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new TypeError('body must be an object');
  for (const [k, v] of Object.entries(body)) {
    if (!/^[a-z0-9_]+$/.test(k))
      throw new TypeError(`invalid ServiceNow field name ${JSON.stringify(k).slice(0, 80)}`);
    if (typeof v !== 'string')
      throw new TypeError(`value of ${k} must be a string (ServiceNow values are strings)`);
  }
}

function causeCode(e: unknown): string | undefined {
  // fetch rejects with TypeError('fetch failed') whose cause (or its cause) carries the socket error code.
  let cur: unknown = e;
  for (let i = 0; i < 4 && typeof cur === 'object' && cur !== null; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

export function createServiceNowClient(opts: ServiceNowClientOptions): ServiceNowClient {
  const { base, retry, timeoutMs } = validateOptions(opts);
  const auth = opts.auth;
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? defaultSleep;
  const random = opts.random ?? Math.random;

  // Everything that must never appear in an error message or event.
  const secrets = new Set<string>();
  const addSecret = (s: string): void => {
    secrets.add(s);
    secrets.add(encodeURIComponent(s));
  };
  let basicHeader: string | undefined;
  if (auth.type === 'basic') {
    const b64 = Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64');
    basicHeader = `Basic ${b64}`;
    addSecret(auth.password);
    addSecret(b64);
  } else {
    addSecret(auth.clientSecret);
  }
  const clean = (s: string): string => scrub(s, secrets);

  function emit(e: RequestEvent): void {
    if (!opts.onRequest) return;
    try {
      opts.onRequest(e);
    } catch {
      // A failing logger must not change the outcome of a request.
    }
  }

  function fail(
    kind: ServiceNowErrorKind,
    what: string,
    message: string,
    extra: { status?: number; detail?: string; retriable: boolean; retryAfterMs?: number; cause?: unknown },
  ): ServiceNowError {
    return new ServiceNowError({
      kind,
      message: clean(`ServiceNow ${what}: ${message}`),
      ...(extra.status !== undefined ? { status: extra.status } : {}),
      ...(extra.detail !== undefined ? { detail: clean(extra.detail) } : {}),
      retriable: extra.retriable,
      ...(extra.retryAfterMs !== undefined ? { retryAfterMs: extra.retryAfterMs } : {}),
      ...(extra.cause !== undefined ? { cause: extra.cause } : {}),
    });
  }

  /** The call's deadline has passed (or the next wait would pass it): nothing more is sent. */
  function outOfTime(what: string): ServiceNowError {
    return fail('timeout', what, "no answer before the call's deadline", { retriable: true });
  }

  /**
   * One HTTP exchange with a per-attempt timeout that also covers reading the body. Resolves with the status,
   * headers and parsed JSON (undefined when the body is empty or not JSON); rejects with AttemptFailure on
   * timeouts and connection errors.
   */
  async function exchange(
    method: string,
    path: string,
    url: string,
    init: { headers: Record<string, string>; body?: string },
    attempt: number,
    deadline?: number,
  ): Promise<Answer> {
    const started = now();
    const what = `${method} ${path}`;
    const left = deadline === undefined ? timeoutMs : Math.min(timeoutMs, deadline - started);
    if (left <= 0) {
      const error = outOfTime(what);
      emit({ method, path, attempt, durationMs: 0, error });
      throw new AttemptFailure(error, true);
    }
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, left);
    try {
      const res = await fetch(url, {
        method,
        headers: init.headers,
        ...(init.body !== undefined ? { body: init.body } : {}),
        signal: controller.signal,
        redirect: 'manual',
      });
      const text = await res.text();
      let json: unknown;
      if (text) {
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
      }
      emit({ method, path, status: res.status, attempt, durationMs: now() - started });
      return { status: res.status, headers: res.headers, json };
    } catch (e) {
      let failure: AttemptFailure;
      if (timedOut) {
        failure = new AttemptFailure(
          fail('timeout', what, `no complete answer within ${left} ms`, { retriable: true }),
          false,
        );
      } else {
        const code = causeCode(e);
        failure = new AttemptFailure(
          fail('network', what, `connection failed${code ? ` (${code})` : ''}`, {
            retriable: true,
            cause: e,
          }),
          code !== undefined && UNSENT_CODES.has(code),
        );
      }
      emit({ method, path, attempt, durationMs: now() - started, error: failure.error });
      throw failure;
    } finally {
      clearTimeout(timer);
    }
  }

  function retryAfterOf(headers: Headers): number | undefined {
    const ra = parseRetryAfter(headers.get('retry-after'), now());
    if (ra !== undefined) return ra;
    // Rate-limit rules also tell when their window resets (Unix seconds).
    const reset = headers.get('x-ratelimit-reset');
    if (reset && /^\d+$/.test(reset.trim())) return Math.max(0, Number(reset) * 1000 - now());
    return undefined;
  }

  /** Turns a non-success answer into an error (kind http/auth) with retriability per R2. */
  function httpFailure(what: string, ans: Answer): AttemptFailure {
    const { message, detail } = envelopeError(ans.json);
    const status = ans.status;
    const retriable = status === 408 || status === 429 || status >= 500;
    const retryAfterMs = retriable ? retryAfterOf(ans.headers) : undefined;
    const kind: ServiceNowErrorKind = status === 401 ? 'auth' : 'http';
    const err = fail(
      kind,
      what,
      `${status} ${message ?? (status >= 300 && status < 400 ? 'unexpected redirect' : 'error')}`,
      {
        status,
        ...(detail !== undefined ? { detail } : {}),
        retriable,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      },
    );
    // A 429 is refused by the rate limiter before the request is processed.
    return new AttemptFailure(err, status === 429);
  }

  // ---- OAuth client credentials -------------------------------------------------------------------------
  let token: { value: string; refreshAt: number } | undefined;
  let tokenInFlight: Promise<string> | undefined;

  async function fetchToken(attempt: number, deadline?: number): Promise<string> {
    if (auth.type !== 'oauth') throw new Error('unreachable');
    const requestedAt = now();
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: auth.clientId,
      client_secret: auth.clientSecret,
    }).toString();
    const what = `POST ${TOKEN_PATH}`;
    let ans: Answer;
    try {
      ans = await exchange(
        'POST',
        TOKEN_PATH,
        base + TOKEN_PATH,
        {
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body,
        },
        attempt,
        deadline,
      );
    } catch (e) {
      // No table request was sent: safe to retry whatever the caller was doing.
      if (e instanceof AttemptFailure) throw new AttemptFailure(e.error, true);
      throw e;
    }
    if (ans.status !== 200) {
      const f = httpFailure(what, ans);
      if (f.error.retriable) throw new AttemptFailure(f.error, true);
      const { message } = envelopeError(ans.json);
      throw new AttemptFailure(
        fail('auth', what, `token request refused (${ans.status}${message ? ` ${message}` : ''})`, {
          status: ans.status,
          retriable: false,
        }),
        true,
      );
    }
    const j = (ans.json ?? {}) as { access_token?: unknown; expires_in?: unknown; token_type?: unknown };
    if (typeof j.access_token !== 'string' || !j.access_token) {
      throw new AttemptFailure(
        fail('auth', what, 'token response without access_token', { status: ans.status, retriable: false }),
        true,
      );
    }
    if (typeof j.token_type === 'string' && j.token_type.toLowerCase() !== 'bearer') {
      throw new AttemptFailure(
        fail('auth', what, `unsupported token_type ${j.token_type.slice(0, 20)}`, { retriable: false }),
        true,
      );
    }
    const expiresInMs = Number(j.expires_in) > 0 ? Number(j.expires_in) * 1000 : 1799_000;
    // Renew a little before expiry: a minute, or a tenth of a short lifetime.
    const margin = Math.min(60_000, expiresInMs / 10);
    addSecret(j.access_token);
    token = { value: j.access_token, refreshAt: requestedAt + expiresInMs - margin };
    return j.access_token;
  }

  function bearer(attempt: number, deadline?: number): Promise<string> {
    if (token && now() < token.refreshAt) return Promise.resolve(token.value);
    if (!tokenInFlight) {
      tokenInFlight = fetchToken(attempt, deadline).finally(() => {
        tokenInFlight = undefined;
      });
    }
    return tokenInFlight;
  }

  // ---- Requests with retries -----------------------------------------------------------------------------

  /** One attempt; for OAuth, a 401 drops the token and resends once with a fresh one. */
  async function attemptOnce(x: Exchange, attempt: number): Promise<Answer | null> {
    const query = (x.params ?? []).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
    const url = base + x.path + (query ? `?${query}` : '');
    const what = `${x.method} ${x.path}`;
    for (let authTry = 0; ; authTry++) {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (x.body !== undefined) headers['content-type'] = 'application/json';
      let used: string | undefined;
      if (auth.type === 'basic') {
        headers.authorization = basicHeader as string;
      } else {
        used = await bearer(attempt, x.deadline);
        headers.authorization = `Bearer ${used}`;
      }
      const ans = await exchange(
        x.method,
        x.path,
        url,
        { headers, ...(x.body !== undefined ? { body: JSON.stringify(x.body) } : {}) },
        attempt,
        x.deadline,
      );
      if (ans.status === 401 && used !== undefined && authTry === 0) {
        if (token?.value === used) token = undefined;
        continue;
      }
      const ok = x.method === 'POST' ? ans.status === 201 || ans.status === 200 : ans.status === 200;
      if (ok) return ans;
      if (ans.status === 404 && x.allowNotFound) return null;
      // A 401 is refused before any processing; other failures may or may not have been applied.
      const f = httpFailure(what, ans);
      throw ans.status === 401 ? new AttemptFailure(f.error, true) : f;
    }
  }

  // Retry-After applies to the integration user, not only to the request that got it: until then, no request
  // of this client is sent (one client per instance and user). Waits longer than our longest backoff are left
  // to the caller, as for a Retry-After received directly.
  let notBefore = 0;

  async function sleepUntil(at: number, first = at - now()): Promise<void> {
    await sleep(Math.max(0, first));
    // Timers may fire a millisecond early; Retry-After is a floor, so wait out any remainder.
    for (let i = 0; i < 10 && now() < at; i++) await sleep(at - now());
  }

  async function request(x: Exchange): Promise<Answer | null> {
    for (let attempt = 1; ; attempt++) {
      const wait = notBefore - now();
      if (wait > 0) {
        if (wait > retry.maxDelayMs) {
          throw fail(
            'http',
            `${x.method} ${x.path}`,
            '429 not sent: an earlier Retry-After has not elapsed',
            {
              status: 429,
              retriable: true,
              retryAfterMs: wait,
            },
          );
        }
        if (x.deadline !== undefined && notBefore >= x.deadline) throw outOfTime(`${x.method} ${x.path}`);
        await sleepUntil(notBefore);
      }
      let failure: AttemptFailure;
      try {
        return await attemptOnce(x, attempt);
      } catch (e) {
        if (!(e instanceof AttemptFailure)) throw e;
        failure = e;
      }
      const err = failure.error;
      if (err.retryAfterMs !== undefined) notBefore = Math.max(notBefore, now() + err.retryAfterMs);
      if (!err.retriable || attempt >= retry.maxAttempts) throw err;
      if (!x.idempotent && !failure.unsent) throw err;
      // A Retry-After beyond our longest wait is left to the caller (the job reschedules itself for then).
      if (err.retryAfterMs !== undefined && err.retryAfterMs > retry.maxDelayMs) throw err;
      const backoff = random() * Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
      const delay = Math.max(backoff, err.retryAfterMs ?? 0);
      // No retry that could not finish in time: the caller gets this attempt's error now.
      if (x.deadline !== undefined && now() + delay >= x.deadline) throw err;
      // Any later Retry-After (from a concurrent request) is waited for at the top of the loop.
      await sleepUntil(now() + delay, delay);
    }
  }

  function result(what: string, ans: Answer, status: number): unknown {
    const res =
      typeof ans.json === 'object' && ans.json !== null
        ? (ans.json as { result?: unknown }).result
        : undefined;
    if (res === undefined) {
      // e.g. an HTML page from a hibernating instance or a proxy.
      throw fail('http', what, `${status} answer is not a Table API response`, { status, retriable: false });
    }
    return res;
  }

  function single(what: string, ans: Answer, dv: DisplayValue): SnRecord | SnRecordAll {
    const res = result(what, ans, ans.status);
    try {
      return toRecord(res, dv);
    } catch {
      throw fail('http', what, `${ans.status} answer carries no record`, {
        status: ans.status,
        retriable: false,
      });
    }
  }

  const tablePath = (table: string, sysId?: string): string => {
    assertTable(table);
    if (sysId === undefined) return `/api/now/table/${table}`;
    assertSysId(sysId);
    return `/api/now/table/${table}/${sysId}`;
  };

  async function get(table: string, sysId: string, o?: ReadOpts): Promise<SnRecord | SnRecordAll | null> {
    const path = tablePath(table, sysId);
    const params = readParams(o);
    params.push(['sysparm_no_count', 'true']);
    const ans = await request({
      method: 'GET',
      path,
      params,
      idempotent: true,
      allowNotFound: true,
      ...(o?.deadline !== undefined ? { deadline: o.deadline } : {}),
    });
    if (ans === null) return null;
    return single(`GET ${path}`, ans, o?.displayValue ?? false);
  }

  async function query(table: string, o?: QueryOpts): Promise<QueryResult<SnRecord | SnRecordAll>> {
    const path = tablePath(table);
    const params = readParams(o);
    if (o?.query !== undefined) {
      if (typeof o.query !== 'string') throw new TypeError('query must be an encoded query string');
      if (o.query) params.push(['sysparm_query', o.query]);
    }
    for (const k of ['limit', 'offset'] as const) {
      const v = o?.[k];
      if (v === undefined) continue;
      if (!Number.isInteger(v) || v < (k === 'limit' ? 1 : 0))
        throw new TypeError(`${k} must be a whole number`);
      params.push([`sysparm_${k}`, String(v)]);
    }
    const counting = o?.noCount === false;
    if (!counting) params.push(['sysparm_no_count', 'true']);
    const ans = (await request({
      method: 'GET',
      path,
      params,
      idempotent: true,
      ...(o?.deadline !== undefined ? { deadline: o.deadline } : {}),
    })) as Answer;
    const what = `GET ${path}`;
    const res = result(what, ans, ans.status);
    if (!Array.isArray(res))
      throw fail('http', what, `${ans.status} answer carries no list`, { retriable: false });
    const dv = o?.displayValue ?? false;
    let records: (SnRecord | SnRecordAll)[];
    try {
      records = res.map((r) => toRecord(r, dv));
    } catch {
      throw fail('http', what, `${ans.status} answer carries a malformed record`, { retriable: false });
    }
    if (!counting) return { records };
    const header = ans.headers.get('x-total-count');
    const total = header !== null && /^\d+$/.test(header.trim()) ? Number(header) : undefined;
    return total === undefined ? { records } : { records, total };
  }

  function writeParams(o?: WriteOpts): [string, string][] {
    const params: [string, string][] = [['sysparm_exclude_reference_link', 'true']];
    if (o?.fields !== undefined) params.push(['sysparm_fields', fieldList(o.fields)]);
    if (o?.inputDisplayValue === true) params.push(['sysparm_input_display_value', 'true']);
    return params;
  }

  async function create(table: string, body: Record<string, string>, o?: WriteOpts): Promise<SnRecord> {
    const path = tablePath(table);
    checkBody(body);
    const ans = (await request({
      method: 'POST',
      path,
      params: writeParams(o),
      body,
      idempotent: false,
    })) as Answer;
    return single(`POST ${path}`, ans, false) as SnRecord;
  }

  async function update(
    table: string,
    sysId: string,
    body: Record<string, string>,
    o?: WriteOpts,
  ): Promise<SnRecord> {
    const path = tablePath(table, sysId);
    checkBody(body);
    const idempotent = !Object.keys(body).some((k) => JOURNAL_FIELDS.has(k));
    const ans = (await request({
      method: 'PATCH',
      path,
      params: writeParams(o),
      body,
      idempotent,
    })) as Answer;
    return single(`PATCH ${path}`, ans, false) as SnRecord;
  }

  async function postApi(path: string, body: Record<string, unknown>, o: ApiOpts): Promise<unknown> {
    if (typeof path !== 'string' || !API_PATH.test(path))
      throw new TypeError(`not a scripted REST path of a scoped app: ${String(path).slice(0, 80)}`);
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new TypeError('body must be an object');
    const ans = (await request({
      method: 'POST',
      path,
      body,
      idempotent: o.idempotent === true,
      ...(o.deadline !== undefined ? { deadline: o.deadline } : {}),
    })) as Answer;
    return result(`POST ${path}`, ans, ans.status);
  }

  return { get, query, create, update, postApi, timeoutMs } as ServiceNowClient;
}
