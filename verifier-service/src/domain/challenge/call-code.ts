// Call binding by number matching (PRODUCT.md F4): the agent reads a short code to the caller, the portal asks
// for it among three. The code and the decoys come from a CSPRNG (injected for tests); nothing is derived from
// the person, since a new code every verification is the point.

import { randomInt } from 'node:crypto';
import type { Question } from './generate';
import { PROMPT_KEYS } from './messages';

/** An integer in [0, maxExclusive). */
export type RandomInt = (maxExclusive: number) => number;

export interface CallCode {
  /** What the agent sees and reads out (`data-call-code`). */
  code: string;
  /** The code and two distinct decoys, shuffled: what the requester picks from. */
  choices: string[];
}

const cryptoInt: RandomInt = (max) => randomInt(max);

function draw(random: RandomInt, max: number): number {
  const v = random(max);
  if (!Number.isInteger(v) || v < 0 || v >= max) throw new RangeError('random source out of range');
  return v;
}

/** A `digits`-digit code (leading zeros kept) and `decoys` distinct other codes, in random order. */
export function createCallCode(
  random: RandomInt = cryptoInt,
  opts: { digits?: number; decoys?: number } = {},
): CallCode {
  const digits = opts.digits ?? 2;
  const decoys = opts.decoys ?? 2;
  const space = 10 ** digits;
  if (!Number.isInteger(digits) || digits < 1 || digits > 6) throw new RangeError('digits must be 1–6');
  if (!Number.isInteger(decoys) || decoys < 1 || decoys >= space) throw new RangeError('too many decoys');
  const fmt = (n: number): string => String(n).padStart(digits, '0');
  const code = fmt(draw(random, space));
  const set = new Set([code]);
  // Rejection sampling keeps the decoys uniform among the other codes.
  for (let guard = 0; set.size < decoys + 1; guard++) {
    if (guard > 1000) throw new Error('random source keeps repeating itself');
    set.add(fmt(draw(random, space)));
  }
  const choices = [...set];
  // Fisher–Yates.
  for (let i = choices.length - 1; i > 0; i--) {
    const j = draw(random, i + 1);
    [choices[i], choices[j]] = [choices[j] as string, choices[i] as string];
  }
  return { code, choices };
}

/** The call code as a challenge question; choice ids are random (128 bits), not derived from the digits. */
export function callCodeQuestion(
  callCode: CallCode,
  opts: { random?: RandomInt; timeLimitSeconds?: number } = {},
): Question {
  const random = opts.random ?? cryptoInt;
  const id = (prefix: string): string => {
    const bytes = Buffer.alloc(12);
    for (let i = 0; i < bytes.length; i++) bytes[i] = draw(random, 256);
    return `${prefix}_${bytes.toString('base64url')}`;
  };
  const ids = new Set<string>();
  const choices = callCode.choices.map((text) => {
    let cid = id('c');
    for (let guard = 0; ids.has(cid); guard++) {
      if (guard > 100) throw new Error('random source keeps repeating itself');
      cid = id('c');
    }
    ids.add(cid);
    return { id: cid, text };
  });
  const correct = choices.find((c) => c.text === callCode.code);
  if (!correct) throw new TypeError('the call code is not among its choices');
  return {
    id: id('q'),
    kind: 'call_code',
    prompt: { key: PROMPT_KEYS.call_code, params: {} },
    choices,
    correctChoiceId: correct.id,
    timeLimitSeconds: opts.timeLimitSeconds ?? 120,
  };
}
