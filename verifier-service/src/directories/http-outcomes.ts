// Helpers shared by the HTTP directory connectors (Entra ID through Microsoft Graph, Okta): config checks,
// Retry-After parsing and the "no answer" outcome. Messages are for the requester and the ticket: plain
// words, never a password, a token or a client secret.

import type { TSchema, Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { AccountStatus, DirectoryError } from './types';

/** Validates a connector's config against its schema; throws naming every bad field (boot stops). */
export function checkConfig<S extends TSchema>(schema: S, config: unknown, name: string): Static<S> {
  if (Value.Check(schema, config)) return config as Static<S>;
  const problems = [...Value.Errors(schema, config)]
    .slice(0, 10)
    .map((e) => `${e.path || '/'}: ${e.message}`);
  throw new Error(`${name} connector config is invalid: ${problems.join('; ')}`);
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** https, or http to a loopback address (the local stand-ins): secrets never travel in clear to a network. */
export function assertSafeBaseUrl(value: string, field: string, name: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${name} connector config is invalid: ${field} is not a URL`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname)))
    throw new Error(
      `${name} connector config is invalid: ${field} must be https (http only to a loopback address)`,
    );
  if (url.search || url.hash)
    throw new Error(`${name} connector config is invalid: ${field} must not carry a query`);
  return value.replace(/\/+$/, '');
}

/**
 * Seconds from a Retry-After header: delta-seconds (Graph sends decimals such as "2.128", rounded up here) or an
 * HTTP date. Undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.max(1, Math.ceil(Number(trimmed)));
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(1, Math.ceil((at - now) / 1000));
}

export function unavailable(
  directory: string,
  code: string,
  retryAfterSeconds?: number,
  what = 'did not answer',
): DirectoryError {
  const wait =
    retryAfterSeconds !== undefined
      ? ` Try again in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}.`
      : ' Try again in a few minutes.';
  return {
    ok: false,
    reason: 'unavailable',
    message: `${directory} ${what}.${wait}`,
    code,
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
  };
}

/** The error name/code of a failed fetch (undici puts the socket error in `cause`). */
export function networkCode(err: unknown): string {
  if (typeof err !== 'object' || err === null) return 'network';
  const e = err as { name?: unknown; code?: unknown; cause?: { code?: unknown; name?: unknown } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'timeout';
  if (typeof e.cause?.code === 'string') return e.cause.code;
  if (typeof e.code === 'string') return e.code;
  return 'network';
}

/** A status read whose lookup failed: an unknown account is a status (it does not exist), anything else an error. */
export function statusOfFailedLookup(
  err: DirectoryError,
): { ok: true; status: AccountStatus } | DirectoryError {
  if (err.reason !== 'not_found') return err;
  return { ok: true, status: { exists: false, locked: null, disabled: null, passwordChangedAt: null } };
}
