// Verification of the launch token an instance mints for an agent (CONTRACTS.md "Launch token", S6).
// JWS compact, HS256 only: the algorithm is pinned, so `none` and key confusion are impossible; `aud`, `iss`,
// lifetime (≤ 120 s) and expiry are checked. Single use of `jti` is enforced by the caller in the database.
import { createHmac } from 'node:crypto';
import { Value } from '@sinclair/typebox/value';
import {
  LAUNCH_AUDIENCE,
  LAUNCH_MAX_LIFETIME_SECONDS,
  LaunchClaimsSchema,
  type LaunchClaims,
} from '@imper/shared';
import { AppError } from '../errors';
import { safeEqual } from '../lib/crypto';

const CLOCK_SKEW_SECONDS = 30;
const invalid = (why: string) =>
  new AppError(
    'LAUNCH_TOKEN_INVALID',
    `This link from ServiceNow is not valid (${why}). Open the ticket and click the verification link again.`,
  );

function decodeJson(part: string): unknown {
  if (!/^[A-Za-z0-9_-]+$/.test(part)) throw invalid('malformed');
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw invalid('malformed');
  }
}

/** Reads the issuer without trusting anything, to pick the tenant whose key verifies the token. */
export function unverifiedIssuer(token: string): string {
  if (token.length > 4096) throw invalid('too long');
  const parts = token.split('.');
  if (parts.length !== 3) throw invalid('malformed');
  const payload = decodeJson(parts[1]!) as { iss?: unknown } | null;
  if (!payload || typeof payload !== 'object' || typeof payload.iss !== 'string') throw invalid('no issuer');
  return payload.iss;
}

export function verifyLaunchToken(
  token: string,
  opts: { secret: Buffer; issuer: string; nowSeconds: number },
): LaunchClaims {
  const parts = token.split('.');
  if (parts.length !== 3 || token.length > 4096) throw invalid('malformed');
  const [h, p, s] = parts as [string, string, string];
  const header = decodeJson(h) as Record<string, unknown> | null;
  if (!header || typeof header !== 'object' || header.alg !== 'HS256') throw invalid('algorithm not allowed');
  if (header.typ !== undefined && header.typ !== 'JWT') throw invalid('wrong type');
  if (header.crit !== undefined) throw invalid('unsupported header');
  if (!/^[A-Za-z0-9_-]+$/.test(s)) throw invalid('malformed signature');
  const expected = createHmac('sha256', opts.secret).update(`${h}.${p}`).digest();
  if (!safeEqual(Buffer.from(s, 'base64url'), expected)) throw invalid('bad signature');

  const claims = decodeJson(p);
  if (!Value.Check(LaunchClaimsSchema, claims)) throw invalid('claims missing or malformed');
  if (claims.aud !== LAUNCH_AUDIENCE) throw invalid('wrong audience');
  if (claims.iss !== opts.issuer) throw invalid('wrong issuer');
  if (claims.exp - claims.iat > LAUNCH_MAX_LIFETIME_SECONDS || claims.exp <= claims.iat)
    throw invalid('lifetime too long');
  if (claims.iat > opts.nowSeconds + CLOCK_SKEW_SECONDS) throw invalid('issued in the future');
  if (claims.exp <= opts.nowSeconds) {
    throw new AppError(
      'LAUNCH_TOKEN_EXPIRED',
      'This link from ServiceNow has expired. Open the ticket and click the verification link again.',
    );
  }
  return claims;
}

/** Mints a token the way an instance does. Used by tests and the demo tooling; the instance has its own. */
export function signLaunchToken(
  claims: Record<string, unknown>,
  secret: Buffer,
  header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' },
): string {
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const body = `${enc(header)}.${enc(claims)}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}
