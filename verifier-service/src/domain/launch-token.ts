// Verification of the launch token an instance mints for an agent (CONTRACTS.md "Launch token", S6), through
// `jose` (a maintained JOSE implementation) rather than hand-written parsing. JWS compact, HS256 only: the
// algorithm is pinned, so `none` and key confusion are impossible; `iss`, `aud`, the token's age (≤ 120 s),
// `iat` not in the future and expiry are checked. Single use of `jti` is enforced by the caller in the database.
import { Value } from '@sinclair/typebox/value';
import { decodeJwt, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import { createHmac } from 'node:crypto';
import {
  LAUNCH_AUDIENCE,
  LAUNCH_MAX_LIFETIME_SECONDS,
  LaunchClaimsSchema,
  type LaunchClaims,
} from '@imper/shared';
import { AppError } from '../errors';

/** Tolerated difference between the instance's clock and ours (an `iat` slightly ahead of ours is accepted). */
const CLOCK_TOLERANCE_SECONDS = 30;
const MAX_TOKEN_LENGTH = 4096;

const invalid = (why: string) =>
  new AppError(
    'LAUNCH_TOKEN_INVALID',
    `This link from ServiceNow is not valid (${why}). Open the ticket and click the verification link again.`,
  );
const expired = () =>
  new AppError(
    'LAUNCH_TOKEN_EXPIRED',
    'This link from ServiceNow has expired. Open the ticket and click the verification link again.',
  );

/** Reads the issuer without trusting anything, to pick the tenant whose key verifies the token. */
export function unverifiedIssuer(token: string): string {
  if (token.length > MAX_TOKEN_LENGTH) throw invalid('too long');
  let iss: unknown;
  try {
    iss = decodeJwt(token).iss;
  } catch {
    throw invalid('malformed');
  }
  if (typeof iss !== 'string') throw invalid('no issuer');
  return iss;
}

/** Maps jose's refusals to our two stable codes, with a short reason for the page and the log. */
function refusal(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof errors.JWTExpired) return expired();
  if (err instanceof errors.JOSEAlgNotAllowed) return invalid('algorithm not allowed');
  if (err instanceof errors.JWSSignatureVerificationFailed) return invalid('bad signature');
  if (err instanceof errors.JWTClaimValidationFailed) {
    const why: Record<string, string> = {
      iss: 'wrong issuer',
      aud: 'wrong audience',
      iat: 'issued in the future or too long ago',
    };
    return invalid(why[err.claim] ?? 'claims missing or malformed');
  }
  return invalid('malformed');
}

export async function verifyLaunchToken(
  token: string,
  opts: { secret: Buffer; issuer: string; nowSeconds: number },
): Promise<LaunchClaims> {
  if (token.length > MAX_TOKEN_LENGTH) throw invalid('too long');
  let payload: unknown;
  try {
    const header = decodeProtectedHeader(token);
    if (header.typ !== undefined && header.typ !== 'JWT') throw invalid('wrong type');
    ({ payload } = await jwtVerify(token, new Uint8Array(opts.secret), {
      algorithms: ['HS256'],
      issuer: opts.issuer,
      audience: LAUNCH_AUDIENCE,
      maxTokenAge: LAUNCH_MAX_LIFETIME_SECONDS,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      currentDate: new Date(opts.nowSeconds * 1000),
      requiredClaims: ['iss', 'aud', 'sub', 'jti', 'iat', 'exp'],
    }));
  } catch (err) {
    throw refusal(err);
  }
  // The claims' shapes (ticket, lengths, no control characters) come from the one schema in shared/.
  if (!Value.Check(LaunchClaimsSchema, payload)) throw invalid('claims missing or malformed');
  const claims = payload;
  if (claims.exp <= claims.iat || claims.exp - claims.iat > LAUNCH_MAX_LIFETIME_SECONDS)
    throw invalid('lifetime too long');
  // The tolerance is for an instance clock running ahead (iat); expiry itself is exact.
  if (claims.exp <= opts.nowSeconds) throw expired();
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
