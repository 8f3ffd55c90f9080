// The check a new password passes before it reaches any directory (SECURITY.md S12; NIST SP 800-63B-4 3.1.1.2;
// ASVS 6.2): a length floor (15 by default, configurable, never below 8), at least 64 characters accepted, no
// composition rules, a blocklist of common and breached passwords (zxcvbn's `passwords` dictionary, with the
// common English words and names), and the person's own words (name, user name, email, company).
//
// Pure: the password is only read, never logged or kept. zxcvbn's dictionaries (a few MB) are loaded once, on the
// first check, not at import. The portal's live hint is `strengthHint` (password-hint.ts, no dictionaries).

import { zxcvbn, zxcvbnOptions, type ZxcvbnResult } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';
import {
  PASSWORD_MAX_LENGTH_DEFAULT,
  PASSWORD_MAX_LENGTH_FLOOR,
  PASSWORD_MIN_LENGTH_DEFAULT,
  PASSWORD_MIN_LENGTH_FLOOR,
  containsContext,
  contextTokens,
  passwordLength,
} from './password-hint';

export {
  CONTEXT_MIN_LENGTH,
  PASSWORD_MAX_LENGTH_DEFAULT,
  PASSWORD_MAX_LENGTH_FLOOR,
  PASSWORD_MIN_LENGTH_DEFAULT,
  PASSWORD_MIN_LENGTH_FLOOR,
  strengthHint,
  type StrengthHint,
  type StrengthHintKey,
} from './password-hint';

/** zxcvbn score a password with guessable patterns needs (3 = about 10^8 guesses and more). */
export const PASSWORD_MIN_SCORE = 3;

export interface PasswordPolicyOptions {
  /** Default 15; RangeError below 8. */
  minLength?: number;
  /** Default 128; RangeError below 64 or below minLength. */
  maxLength?: number;
  /** The person's name, user name, email (or its local part), company… */
  context?: readonly string[];
}

export type PasswordRefusal = 'too_short' | 'too_long' | 'common' | 'context' | 'weak';

export type PasswordCheck =
  | { ok: true; score: 0 | 1 | 2 | 3 | 4; feedback?: string }
  | { ok: false; reason: PasswordRefusal; message: string };

let configured = false;

function configure(): void {
  if (configured) return;
  zxcvbnOptions.setOptions({
    translations: en.translations,
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, ...en.dictionary },
  });
  configured = true;
}

/** Validated length bounds; a bad configuration is an error, never a silent fallback. */
export function passwordLengthBounds(opts: Pick<PasswordPolicyOptions, 'minLength' | 'maxLength'> = {}): {
  minLength: number;
  maxLength: number;
} {
  const minLength = opts.minLength ?? PASSWORD_MIN_LENGTH_DEFAULT;
  const maxLength = opts.maxLength ?? PASSWORD_MAX_LENGTH_DEFAULT;
  if (!Number.isInteger(minLength) || minLength < PASSWORD_MIN_LENGTH_FLOOR) {
    throw new RangeError(
      `password minLength must be a whole number of at least ${PASSWORD_MIN_LENGTH_FLOOR}`,
    );
  }
  if (!Number.isInteger(maxLength) || maxLength < PASSWORD_MAX_LENGTH_FLOOR || maxLength < minLength) {
    throw new RangeError(
      `password maxLength must be a whole number of at least ${PASSWORD_MAX_LENGTH_FLOOR} and at least minLength`,
    );
  }
  return { minLength, maxLength };
}

/** The password is (all of it) an entry of the common and breached passwords list, as typed, reversed or l33t. */
function isListedPassword(result: ZxcvbnResult, length: number): boolean {
  return result.sequence.some(
    (m) => m.pattern === 'dictionary' && m.dictionaryName === 'passwords' && m.i === 0 && m.j === length - 1,
  );
}

const refuse = (reason: PasswordRefusal, message: string): PasswordCheck => ({ ok: false, reason, message });

export function checkPassword(password: string, opts: PasswordPolicyOptions = {}): PasswordCheck {
  const { minLength, maxLength } = passwordLengthBounds(opts);
  if (typeof password !== 'string') return refuse('too_short', `Use at least ${minLength} characters.`);
  const length = passwordLength(password);
  if (length < minLength) {
    return refuse(
      'too_short',
      `Use at least ${minLength} characters. A few unrelated words together are long enough and easy to remember.`,
    );
  }
  if (length > maxLength) return refuse('too_long', `Use at most ${maxLength} characters.`);

  const tokens = contextTokens(opts.context ?? []);
  if (containsContext(password, tokens)) {
    return refuse(
      'context',
      'Do not use your name, user name, email or company in your password. Choose words that have nothing to do with you.',
    );
  }

  configure();
  // zxcvbn's own userInputs matching also catches reversed and l33t forms of the same words.
  const result = zxcvbn(password, tokens);
  const dictionary = result.sequence.filter((m) => m.pattern === 'dictionary');
  if (dictionary.some((m) => m.dictionaryName === 'userInputs')) {
    return refuse(
      'context',
      'Do not use your name, user name, email or company in your password, even spelled differently. Choose words that have nothing to do with you.',
    );
  }
  if (isListedPassword(result, password.length) || (result.score <= 1 && dictionary.length > 0)) {
    return refuse(
      'common',
      'This password is too common: it is on lists of passwords that attackers try first. Choose something else, for example a few unrelated words.',
    );
  }
  // Characters with no pattern at all are as strong as their length, which the floor above already judged: only
  // guessable structure (repeats, sequences, keyboard rows, dates, words) makes a password weak.
  const patterned = result.sequence.some((m) => m.pattern !== 'bruteforce');
  if (result.score < PASSWORD_MIN_SCORE && patterned) {
    return refuse(
      'weak',
      'This password would be easy to guess (it has patterns such as repeats, sequences or keyboard rows). Add a few more unrelated words.',
    );
  }
  return result.score === 4
    ? { ok: true, score: 4 }
    : { ok: true, score: result.score, feedback: 'Good. Another word or two would make it stronger.' };
}
