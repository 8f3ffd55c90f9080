// The strength hint shown while a person types a new password (issue 10, S12). Dependency-free on purpose: the
// portal bundles it within its 50 KB gz script budget, so it knows nothing of zxcvbn's dictionaries — it looks at
// length, repetition and the person's own words only. The server's `checkPassword` (password-policy.ts) is the
// authoritative check; the hint never accepts what the check would refuse for length or context.

export const PASSWORD_MIN_LENGTH_DEFAULT = 15;
/** No configuration may go below this (NIST SP 800-63B-4 3.1.1.2). */
export const PASSWORD_MIN_LENGTH_FLOOR = 8;
/** Passwords up to this many characters are always accepted (configured maxima may be higher, not lower). */
export const PASSWORD_MAX_LENGTH_FLOOR = 64;
export const PASSWORD_MAX_LENGTH_DEFAULT = 128;
/** Context words shorter than this are ignored (they would refuse ordinary words). */
export const CONTEXT_MIN_LENGTH = 3;

export type StrengthHintKey = 'too_short' | 'too_long' | 'context' | 'repetitive' | 'good' | 'strong';

export interface StrengthHint {
  /** 0 (refused) … 4 (strong), on zxcvbn's scale. */
  score: 0 | 1 | 2 | 3 | 4;
  hint: StrengthHintKey;
}

/** Characters as a person counts them: Unicode code points. */
export function passwordLength(password: string): number {
  return [...password].length;
}

/**
 * The words a password must not contain, from the person's name, user name, email and company: each value whole
 * (lower-cased), an email by its local part, and every part of it between separators, when at least
 * CONTEXT_MIN_LENGTH long.
 */
export function contextTokens(context: readonly string[]): string[] {
  const out = new Set<string>();
  for (const raw of context) {
    if (typeof raw !== 'string') continue;
    let value = raw.trim().toLowerCase();
    const at = value.indexOf('@');
    if (at > 0) value = value.slice(0, at);
    const parts = [value, value.replace(/[^\p{L}\p{N}]+/gu, ''), ...value.split(/[^\p{L}\p{N}]+/u)];
    for (const p of parts) if (passwordLength(p) >= CONTEXT_MIN_LENGTH) out.add(p);
  }
  return [...out];
}

/** Whether the password contains one of the context words (case-insensitive, also with separators removed). */
export function containsContext(password: string, tokens: readonly string[]): boolean {
  const lower = password.toLowerCase();
  const compact = lower.replace(/[^\p{L}\p{N}]+/gu, '');
  return tokens.some((t) => lower.includes(t) || compact.includes(t));
}

export function strengthHint(
  password: string,
  context: readonly string[] = [],
  opts: { minLength?: number; maxLength?: number } = {},
): StrengthHint {
  const min = Math.max(PASSWORD_MIN_LENGTH_FLOOR, opts.minLength ?? PASSWORD_MIN_LENGTH_DEFAULT);
  const max = Math.max(PASSWORD_MAX_LENGTH_FLOOR, opts.maxLength ?? PASSWORD_MAX_LENGTH_DEFAULT);
  const length = passwordLength(password);
  if (length > max) return { score: 0, hint: 'too_long' };
  if (length > 0 && containsContext(password, contextTokens(context))) return { score: 0, hint: 'context' };
  if (length < min) return { score: length < PASSWORD_MIN_LENGTH_FLOOR ? 0 : 1, hint: 'too_short' };
  const distinct = new Set(password.toLowerCase()).size;
  if (distinct < 5) return { score: 1, hint: 'repetitive' };
  if (length < min + 5) return { score: 3, hint: 'good' };
  return { score: 4, hint: 'strong' };
}
