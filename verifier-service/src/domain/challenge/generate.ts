// The knowledge challenge (PRODUCT.md F4): 3–4 multiple-choice questions from the organisation's own data.
// Pure: no I/O, no clock, no randomness other than HMACs under the tenant's key.
//
// Stability. An impostor who may retry must not learn the answer by intersecting the choices of several
// attempts. So everything about a question — whether its true answer is shown or withheld ("None of these" is
// right), which decoys appear, their order, the ids — is derived from
// HMAC(key, tenant | person | kind | fact id): the same person sees the same choices for the same fact every
// time. Decoys are chosen by rendezvous hashing (each candidate ranked by HMAC(question seed, its text)), so a
// pool that gains or loses a few records changes few choices, and never the ones that remain in it.
//
// Plausibility. Decoys share the true answer's attributes where the tenant has enough such records (offices in
// the same country, devices of the same category, managers at the same site, tickets of the same kind); a
// question is never "the answer with its look-alikes plus unlike fillers", which would give the answer away.
//
// Privacy. A reader of a professional profile knows a person's department and often their manager, so
// private and recent facts (their tickets, devices, groups) are asked first (`DEFAULT_KIND_ORDER`).

import { createHmac } from 'node:crypto';
import type {
  DecoyPools,
  FactKind,
  HardwareRecord,
  NamedRecord,
  OrgFacts,
  PersonRecord,
  TicketRecord,
} from './facts';
import { NONE_OF_THESE, PROMPT_KEYS, type Prompt } from './messages';

export interface Choice {
  /** Random-looking and stable; says nothing about being right. */
  id: string;
  /** The record's display value, or exactly `None of these`. */
  text: string;
}

export interface Question {
  id: string;
  kind: FactKind | 'call_code';
  prompt: Prompt;
  /** Shuffled; `None of these`, when present, is last. */
  choices: Choice[];
  /** Server-side only: never sent to the requester's browser. */
  correctChoiceId: string;
  timeLimitSeconds: number;
}

export interface ChallengeConfig {
  /** Fewer answerable questions than this → `incomplete`. */
  minQuestions: number;
  maxQuestions: number;
  /** Choices besides `None of these`. */
  choicesPerQuestion: number;
  /** Add a `None of these` choice to every question. */
  includeNoneOfThese: boolean;
  /** Share of questions (per person and fact, deterministic) whose true answer is withheld. */
  noneOfTheseRate: number;
  timeLimitSeconds: number;
  /** Preference among kinds, most preferred first; kinds left out are never asked. */
  kindOrder: readonly FactKind[];
  /** How far back `recent_ticket` looks (shown in its prompt). */
  recentTicketDays: number;
}

export const DEFAULT_KIND_ORDER: readonly FactKind[] = [
  'recent_ticket',
  'asset',
  'group',
  'location',
  'manager',
  'department',
];

export const DEFAULT_CHALLENGE_CONFIG: ChallengeConfig = {
  minQuestions: 3,
  maxQuestions: 4,
  choicesPerQuestion: 4,
  includeNoneOfThese: true,
  noneOfTheseRate: 0.2,
  timeLimitSeconds: 45,
  kindOrder: DEFAULT_KIND_ORDER,
  recentTicketDays: 90,
};

export interface ChallengeInput {
  /** Stable tenant identifier (e.g. its instance URL). */
  tenantId: string;
  /** Per-tenant secret key (≥ 32 bytes). */
  key: Buffer;
  /** The requester's sys_id. */
  personId: string;
  facts: OrgFacts;
  pools: DecoyPools;
  /** The ticket being verified: never a question, and tickets with the same text are not asked either. */
  currentTicket?: { id: string; shortDescription?: string } | null;
  config?: Partial<ChallengeConfig>;
}

export type ChallengeResult =
  | { kind: 'ready'; questions: Question[] }
  | { kind: 'incomplete'; reason: 'not_enough_questions'; answerable: number };

/** A fact or decoy reduced to what the generator compares: id, text, plausibility tags. */
interface Candidate {
  id: string;
  text: string;
  /** Attributes a plausible decoy shares with the true answer (location, model category, …). */
  tags: Record<string, string>;
  /**
   * What a person tells apart (normalized): the text, or for a device its model — someone knows they have a
   * "Dell Latitude 7440", rarely its asset tag, so two devices of one model never appear in one question.
   */
  sameAs?: string;
}

interface KindMaterial {
  /** The facts that may be asked about, the preferred first; empty when the requester has none fit to ask. */
  truths: Candidate[];
  /** Every value of this kind that is true of the requester: no decoy may equal any of them. */
  allTrue: Candidate[];
  pool: Candidate[];
}

export const normalizeText = (s: string): string =>
  s.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();

function hmac(key: Buffer, parts: readonly string[]): Buffer {
  // JSON keeps the parts unambiguous ("a|b" + "c" ≠ "a" + "b|c").
  return createHmac('sha256', key).update(JSON.stringify(parts)).digest();
}

/** A short id from an HMAC: 16 base64url characters (96 bits). */
const idOf = (prefix: string, mac: Buffer): string =>
  `${prefix}_${mac.subarray(0, 12).toString('base64url')}`;

/** A number in [0, 1) from an HMAC. */
const unit = (mac: Buffer): number => mac.readUInt32BE(0) / 0x1_0000_0000;

function validateConfig(c: ChallengeConfig): void {
  if (!Number.isInteger(c.minQuestions) || c.minQuestions < 1)
    throw new TypeError('minQuestions must be ≥ 1');
  if (!Number.isInteger(c.maxQuestions) || c.maxQuestions < c.minQuestions)
    throw new TypeError('maxQuestions must be ≥ minQuestions');
  if (!Number.isInteger(c.choicesPerQuestion) || c.choicesPerQuestion < 2)
    throw new TypeError('choicesPerQuestion must be ≥ 2');
  if (!(c.noneOfTheseRate >= 0 && c.noneOfTheseRate < 1))
    throw new TypeError('noneOfTheseRate must be in [0, 1)');
  if (!(c.timeLimitSeconds > 0)) throw new TypeError('timeLimitSeconds must be positive');
}

// ---- from facts to candidates -------------------------------------------------------------------------------

const named = (r: NamedRecord, tags: Record<string, string> = {}): Candidate => ({
  id: r.id,
  text: r.name,
  tags,
});
const person = (p: PersonRecord): Candidate => named(p, { location: p.locationId });
const hardware = (h: HardwareRecord): Candidate => ({
  id: h.id,
  text: h.displayName,
  tags: { category: normalizeText(h.modelCategory) },
  sameAs: normalizeText(h.model) || normalizeText(h.displayName),
});
const sameAs = (c: Candidate): string => c.sameAs ?? normalizeText(c.text);
const ticket = (t: TicketRecord): Candidate => ({
  id: t.id,
  text: t.shortDescription,
  tags: { table: t.table, category: t.category },
});

/** The facts in HMAC order: a stable preference among several, not guessable without the key. */
function stableOrder(key: Buffer, base: readonly string[], list: readonly Candidate[]): Candidate[] {
  return list
    .map((c) => ({ c, mac: hmac(key, [...base, 'pick', c.id]) }))
    .sort((a, b) => Buffer.compare(a.mac, b.mac))
    .map(({ c }) => c);
}
const one = (c: Candidate | null): Candidate[] => (c ? [c] : []);

function material(kind: FactKind, input: ChallengeInput): KindMaterial {
  const { facts, pools, key } = input;
  const base = [input.tenantId, input.personId, kind];
  switch (kind) {
    case 'manager': {
      const truth = facts.manager ? person(facts.manager) : null;
      // The requester never appears as their own manager's decoy.
      // Plausible decoys manage people where the true manager works.
      const pool = pools.managers.filter((m) => m.id !== input.personId).map(person);
      return { truths: one(truth), allTrue: one(truth), pool };
    }
    case 'department': {
      const truth = facts.department ? named(facts.department) : null;
      return { truths: one(truth), allTrue: one(truth), pool: pools.departments.map((d) => named(d)) };
    }
    case 'location': {
      const loc = facts.location;
      const truth = loc ? named(loc, { country: normalizeText(loc.country) }) : null;
      const pool = pools.locations.map((l) => named(l, { country: normalizeText(l.country) }));
      return { truths: one(truth), allTrue: one(truth), pool };
    }
    case 'group': {
      const all = facts.groups.map((g) => named(g));
      // A group named after the department ("Finance Team") is as public as the department: ask another if any.
      const dept = facts.department ? normalizeText(facts.department.name) : '';
      const isPublic = (g: Candidate): boolean => dept !== '' && normalizeText(g.text).includes(dept);
      const truths = [
        ...stableOrder(
          key,
          base,
          all.filter((g) => !isPublic(g)),
        ),
        ...all.filter(isPublic),
      ];
      return { truths, allTrue: all, pool: pools.groups.map((g) => named(g)) };
    }
    case 'asset': {
      const all = facts.hardware.map(hardware);
      return { truths: stableOrder(key, base, all), allTrue: all, pool: pools.hardware.map(hardware) };
    }
    case 'recent_ticket': {
      const current = input.currentTicket;
      const currentText = current?.shortDescription ? normalizeText(current.shortDescription) : '';
      const all = facts.recentTickets.map(ticket);
      // Newest first; the ticket being verified (and any with its text) is known to whoever opened it.
      const askable = [...facts.recentTickets]
        .filter(
          (t) => t.id !== current?.id && (!currentText || normalizeText(t.shortDescription) !== currentText),
        )
        .sort((a, b) => (a.openedAt < b.openedAt ? 1 : a.openedAt > b.openedAt ? -1 : 0))
        .map(ticket);
      // The ticket being verified is the requester's own too: a decoy with its text (another person's ticket about
      // the same problem) would look true to the very person it must not trick.
      const currentAsTrue = current?.shortDescription
        ? [
            ticket({
              id: current.id,
              table: '',
              number: '',
              shortDescription: current.shortDescription,
              category: '',
              openedAt: '',
            }),
          ]
        : [];
      return { truths: askable, allTrue: [...all, ...currentAsTrue], pool: pools.tickets.map(ticket) };
    }
  }
}

/**
 * Decoys for one question: real candidates of the kind, none equal to a true value (by id, text or model), one
 * per text and model, ranked by HMAC — all from one *frame*: the candidates sharing the truth's tags (same
 * country, same model category, …). The most specific frame that can fill every slot is used; when none can,
 * tags are dropped from the least important on, down to no tags at all. A question never mixes "the truth and
 * its look-alikes" with unlike fillers, which would single the answer out as the centre of its cluster.
 * Null when even the widest frame holds fewer than `count`.
 */
function chooseDecoys(
  key: Buffer,
  seed: readonly string[],
  m: KindMaterial,
  truth: Candidate,
  count: number,
  /** Only the full frame (every tag of the truth): no widening. */
  strict: boolean,
): Candidate[] | null {
  const trueIds = new Set(m.allTrue.map((c) => c.id));
  const trueKeys = new Set(m.allTrue.flatMap((c) => [normalizeText(c.text), sameAs(c)]));
  const none = normalizeText(NONE_OF_THESE);
  const eligible: Array<{ c: Candidate; key: string; mac: Buffer }> = [];
  const texts = new Set<string>();
  for (const c of m.pool) {
    const text = normalizeText(c.text);
    const k = sameAs(c);
    if (!text || text === none || trueIds.has(c.id) || trueKeys.has(text) || trueKeys.has(k)) continue;
    if (texts.has(text)) continue;
    texts.add(text);
    eligible.push({ c, key: k, mac: hmac(key, [...seed, 'decoy', text]) });
  }
  eligible.sort((a, b) => Buffer.compare(a.mac, b.mac));
  const tags = Object.entries(truth.tags).filter(([, v]) => v !== '');
  for (let width = tags.length; width >= (strict ? tags.length : 0); width--) {
    const frame = tags.slice(0, width);
    const picked: Candidate[] = [];
    const keys = new Set<string>();
    for (const e of eligible) {
      if (picked.length === count) break;
      // One candidate per model (or text): the first by HMAC.
      if (keys.has(e.key) || !frame.every(([t, v]) => e.c.tags[t] === v)) continue;
      keys.add(e.key);
      picked.push(e.c);
    }
    if (picked.length === count) return picked;
  }
  return null;
}

function buildQuestion(
  kind: FactKind,
  m: KindMaterial,
  truth: Candidate,
  strict: boolean,
  input: ChallengeInput,
  config: ChallengeConfig,
): Question | null {
  if (!normalizeText(truth.text)) return null;
  const seed = [input.tenantId, input.personId, kind, truth.id];
  const n = config.choicesPerQuestion;
  const withhold =
    config.includeNoneOfThese && unit(hmac(input.key, [...seed, 'none'])) < config.noneOfTheseRate;
  // Withholding needs n decoys; with fewer the truth is shown (still stable: the pool decides, not chance).
  const withheldDecoys = withhold ? chooseDecoys(input.key, seed, m, truth, n, strict) : null;
  // A withheld answer falls back to a shown one only once the frames may widen, so the share of "None of
  // these" does not shrink where look-alikes are few.
  if (withhold && !withheldDecoys && strict) return null;
  const decoys = withheldDecoys ?? chooseDecoys(input.key, seed, m, truth, n - 1, strict);
  // Not enough real decoys for a fair question: leave the kind out rather than show a thin one.
  if (!decoys) return null;
  const truthShown = withheldDecoys === null;
  const shown = truthShown ? [truth, ...decoys] : decoys;

  const choiceId = (text: string): string => idOf('c', hmac(input.key, [...seed, 'choice', text]));
  const ordered = shown
    .map((c) => ({ c, mac: hmac(input.key, [...seed, 'order', normalizeText(c.text)]) }))
    .sort((a, b) => Buffer.compare(a.mac, b.mac))
    .map(({ c }) => ({ id: choiceId(normalizeText(c.text)), text: c.text.trim() }));
  const noneChoice = { id: idOf('c', hmac(input.key, [...seed, 'none-choice'])), text: NONE_OF_THESE };
  const choices = config.includeNoneOfThese ? [...ordered, noneChoice] : ordered;
  const correctChoiceId = truthShown ? choiceId(normalizeText(truth.text)) : noneChoice.id;

  const params: Record<string, string> =
    kind === 'recent_ticket' ? { days: String(config.recentTicketDays) } : {};
  return {
    id: idOf('q', hmac(input.key, [...seed, 'question'])),
    kind,
    prompt: { key: PROMPT_KEYS[kind], params },
    choices,
    correctChoiceId,
    timeLimitSeconds: config.timeLimitSeconds,
  };
}

/**
 * The questions for one verification, most private kind first; `incomplete` when fewer than `minQuestions`
 * kinds can be asked fairly (the requester lacks the fact, or the tenant lacks enough real decoys).
 */
export function generateChallenge(input: ChallengeInput): ChallengeResult {
  const config: ChallengeConfig = { ...DEFAULT_CHALLENGE_CONFIG, ...input.config };
  validateConfig(config);
  if (!Buffer.isBuffer(input.key) || input.key.length < 16)
    throw new TypeError('key must be a Buffer of ≥ 16 bytes');
  const questions: Question[] = [];
  let answerable = 0;
  for (const kind of config.kindOrder) {
    const m = material(kind, input);
    // The preferred fact whose look-alikes fill the question; failing that, the preferred one that can be asked.
    let q: Question | null = null;
    for (const strict of [true, false]) {
      for (const truth of m.truths) {
        q = buildQuestion(kind, m, truth, strict, input, config);
        if (q) break;
      }
      if (q) break;
    }
    if (!q) continue;
    answerable++;
    if (questions.length < config.maxQuestions) questions.push(q);
  }
  if (questions.length < config.minQuestions) {
    return { kind: 'incomplete', reason: 'not_enough_questions', answerable };
  }
  return { kind: 'ready', questions };
}
