// STAND-IN ONLY: mints the launch token the way the scoped app's launch module will on a real instance
// (CONTRACTS.md "Launch token"). A later issue replaces this with the app's own server module run through
// `Hooks`; until then this is the reference the service's verifier is tested against.
//
// JWS compact serialisation, HS256, key = base64-decoded tenant launch secret.

import { createHmac, randomBytes } from 'node:crypto';

export const LAUNCH_AUDIENCE = 'imper-verify';
export const LAUNCH_MAX_LIFETIME_SECONDS = 120;

export interface LaunchTicket {
  table: string;
  sys_id: string;
  number: string;
}

export interface LaunchClaims {
  iss: string;
  aud: string;
  sub: string;
  name: string;
  ticket: LaunchTicket;
  jti: string;
  iat: number;
  exp: number;
}

export function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/** Decodes and checks a launch secret: base64, at least 32 bytes. Throws with a clear message otherwise. */
export function decodeLaunchSecret(secret: string): Buffer {
  const trimmed = secret.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) throw new Error('launch secret must be base64');
  const key = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length < 32) throw new Error(`launch secret must decode to at least 32 bytes (got ${key.length})`);
  return key;
}

export function mintLaunchToken(opts: {
  key: Buffer;
  issuer: string;
  user: { userName: string; name: string };
  ticket: LaunchTicket;
  lifetimeSeconds: number;
  nowMs: number;
}): { token: string; claims: LaunchClaims } {
  const lifetime = Math.min(Math.max(1, Math.floor(opts.lifetimeSeconds)), LAUNCH_MAX_LIFETIME_SECONDS);
  const iat = Math.floor(opts.nowMs / 1000);
  const claims: LaunchClaims = {
    iss: opts.issuer,
    aud: LAUNCH_AUDIENCE,
    sub: opts.user.userName,
    name: opts.user.name,
    ticket: { table: opts.ticket.table, sys_id: opts.ticket.sys_id, number: opts.ticket.number },
    jti: randomBytes(16).toString('hex'),
    iat,
    exp: iat + lifetime,
  };
  const signingInput = `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}`;
  const signature = createHmac('sha256', opts.key).update(signingInput).digest('base64url');
  return { token: `${signingInput}.${signature}`, claims };
}
