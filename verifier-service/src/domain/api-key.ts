// F7 API keys, as plain functions: the key's format, its hash, its scopes and the webhook's rules. No I/O; the
// random source is a parameter so the format is tested alone.
//
// A generated key is `ivk_<10 chars>_<43 chars>`: `ivk_` and ten lowercase letters or digits are the prefix shown
// to admins to tell keys apart (never enough to use one); the rest is 32 CSPRNG bytes in base64url (256 bits).
// Only the SHA-256 of the whole key is stored (S1: the key has 256 bits of randomness, so a slow hash adds
// nothing) and lookups go through that hash, so there is no plaintext comparison at all.
import { createHash, randomBytes } from 'node:crypto';

export const API_KEY_SCOPES = ['verifications:write', 'verifications:read'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export const API_KEY_PREFIX_LENGTH = 14; // 'ivk_' + 10
const PREFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const GENERATED = /^ivk_[a-z0-9]{10}_[A-Za-z0-9_-]{43}$/;
/** A key given by an operator (the demo's DEMO_API_KEY): 32–200 visible ASCII characters, no spaces. */
const GIVEN = /^[\x21-\x7e]{32,200}$/;

export interface ApiKey {
  id: string;
  tenantId: string;
  name: string;
  prefix: string;
  scopes: ApiKeyScope[];
  webhookUrl: string | null;
  /** The webhook's signing secret, sealed with the data key (it must be read to sign); null without a webhook */
  webhookSecretSealed: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

type Random = (n: number) => Buffer;

/** A new key: `ivk_<prefix>_<secret>`. */
export function newApiKey(random: Random = randomBytes): string {
  const bytes = random(10);
  let prefix = '';
  // 256 % 36 ≠ 0: redraw bytes ≥ 252 so every character is equally likely.
  for (let i = 0; prefix.length < 10; i++) {
    const b = i < bytes.length ? bytes[i]! : random(1)[0]!;
    if (b < 252) prefix += PREFIX_ALPHABET[b % 36];
  }
  return `ivk_${prefix}_${random(32).toString('base64url')}`;
}

/** Whether a string has the shape of a generated key. */
export const isGeneratedApiKey = (key: string): boolean => GENERATED.test(key);

/** Whether a string may be installed as a key (a generated key, or an operator's given one). */
export const isAcceptableApiKey = (key: string): boolean => GIVEN.test(key);

/** The part of a key shown to admins: its first 14 characters (`ivk_xxxxxxxxxx` for a generated key). */
export const apiKeyPrefix = (key: string): string => key.slice(0, API_KEY_PREFIX_LENGTH);

/** What is stored and looked up: SHA-256 of the whole key. */
export const hashApiKey = (key: string): Buffer => createHash('sha256').update(key, 'utf8').digest();

/** The webhook's signing secret in the Standard Webhooks format: `whsec_` + base64 of 32 random bytes. */
export const newWebhookSecret = (random: Random = randomBytes): string =>
  `whsec_${random(32).toString('base64')}`;

/** The key from an `Authorization` header value (`Bearer <key>`), or null when it cannot be one. */
export function bearerKey(header: string | undefined): string | null {
  const m = /^Bearer +(\S+) *$/i.exec(header ?? '');
  const key = m?.[1];
  return key && isAcceptableApiKey(key) ? key : null;
}

/** Scopes from a comma-separated list; throws naming the unknown one. Empty → both. */
export function parseScopes(list: string | undefined): ApiKeyScope[] {
  if (list === undefined || list.trim() === '') return [...API_KEY_SCOPES];
  const scopes = list.split(',').map((s) => s.trim());
  for (const s of scopes)
    if (!(API_KEY_SCOPES as readonly string[]).includes(s))
      throw new Error(`unknown scope "${s}" (known: ${API_KEY_SCOPES.join(', ')})`);
  return [...new Set(scopes)] as ApiKeyScope[];
}

export const hasScope = (key: Pick<ApiKey, 'scopes'>, scope: ApiKeyScope): boolean =>
  key.scopes.includes(scope);

/**
 * Why a webhook URL is refused, or null when it is fine: https only, except http to localhost or 127.0.0.1
 * outside production (the demo, tests); no credentials in it.
 */
export function webhookUrlProblem(url: string, env: 'production' | 'development' | 'test'): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'the webhook URL is not a valid URL';
  }
  if (url.length > 2000) return 'the webhook URL is longer than 2000 characters';
  if (u.username || u.password) return 'the webhook URL must not carry credentials';
  if (u.protocol === 'https:') return null;
  const local = u.hostname === 'localhost' || u.hostname === '127.0.0.1';
  if (u.protocol === 'http:' && local && env !== 'production') return null;
  return env === 'production'
    ? 'the webhook URL must be https'
    : 'the webhook URL must be https (or http to localhost/127.0.0.1 outside production)';
}

/** A URL as it may be logged: no query string or fragment (they may carry tokens). */
export function loggableUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}
