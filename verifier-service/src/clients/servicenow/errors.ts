// The one error type of the ServiceNow client. Messages are built here from the method, the path (never the
// query string, which can carry user data) and ServiceNow's error envelope; every known secret is scrubbed
// from them before they leave the client (SECURITY.md S20).

export type ServiceNowErrorKind = 'http' | 'timeout' | 'network' | 'auth';

export interface ServiceNowErrorInit {
  kind: ServiceNowErrorKind;
  message: string;
  status?: number;
  detail?: string;
  retriable: boolean;
  retryAfterMs?: number;
  cause?: unknown;
}

export class ServiceNowError extends Error {
  override readonly name = 'ServiceNowError';
  readonly kind: ServiceNowErrorKind;
  /** HTTP status of the failed exchange, when there was one. */
  readonly status?: number;
  /** `error.detail` of ServiceNow's envelope (e.g. a data-policy explanation). */
  readonly detail?: string;
  /** Whether trying again later can succeed (429, 408, 5xx, timeouts, connection errors). */
  readonly retriable: boolean;
  /** The earliest moment, from now, a retry may be made (`Retry-After`), when the instance said so. */
  readonly retryAfterMs?: number;

  constructor(init: ServiceNowErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    if (init.status !== undefined) this.status = init.status;
    if (init.detail !== undefined) this.detail = init.detail;
    this.retriable = init.retriable;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
  }
}

export function isServiceNowError(e: unknown): e is ServiceNowError {
  return e instanceof ServiceNowError;
}

/** Replaces every occurrence of each secret (passwords, client secrets, tokens) with `[redacted]`. */
export function scrub(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const s of secrets) {
    // Very short "secrets" would redact ordinary words; configuration refuses those anyway.
    if (s.length >= 4) out = out.split(s).join('[redacted]');
  }
  return out;
}
