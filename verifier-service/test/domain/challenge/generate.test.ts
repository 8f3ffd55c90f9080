// The knowledge challenge generator (PRODUCT.md F4): stable per person, real and plausible decoys, private facts
// first, "None of these" sometimes right, and nothing about the answer given away by ids or order.

import fc from 'fast-check';
import {
  CHALLENGE_MESSAGES_EN,
  NONE_OF_THESE,
  generateChallenge,
  normalizeText,
  promptText,
  type ChallengeInput,
  type DecoyPools,
  type OrgFacts,
  type Question,
} from '../../../src/domain/challenge';
import { HARDWARE, KEY, LOCATIONS, MANAGERS, OTHER_KEY, POOLS, TENANT, factsFor, personId } from './fixtures';

const input = (over: Partial<ChallengeInput> = {}): ChallengeInput => {
  const id = over.personId ?? personId(1);
  return { tenantId: TENANT, key: KEY, personId: id, facts: factsFor(id), pools: POOLS, ...over };
};

function ready(i: ChallengeInput): Question[] {
  const r = generateChallenge(i);
  if (r.kind !== 'ready') throw new Error(`expected questions, got ${JSON.stringify(r)}`);
  return r.questions;
}

/** Every value of the question's kind that is true of the requester. */
function trueTexts(facts: OrgFacts, kind: Question['kind']): string[] {
  switch (kind) {
    case 'manager':
      return facts.manager ? [facts.manager.name] : [];
    case 'department':
      return facts.department ? [facts.department.name] : [];
    case 'location':
      return facts.location ? [facts.location.name] : [];
    case 'group':
      return facts.groups.map((g) => g.name);
    case 'asset':
      return facts.hardware.map((h) => h.displayName);
    case 'recent_ticket':
      return facts.recentTickets.map((t) => t.shortDescription);
    default:
      return [];
  }
}

function poolTexts(pools: DecoyPools, kind: Question['kind']): string[] {
  switch (kind) {
    case 'manager':
      return pools.managers.map((m) => m.name);
    case 'department':
      return pools.departments.map((d) => d.name);
    case 'location':
      return pools.locations.map((l) => l.name);
    case 'group':
      return pools.groups.map((g) => g.name);
    case 'asset':
      return pools.hardware.map((h) => h.displayName);
    case 'recent_ticket':
      return pools.tickets.map((t) => t.shortDescription);
    default:
      return [];
  }
}

const correctOf = (q: Question): string => q.choices.find((c) => c.id === q.correctChoiceId)?.text as string;

describe('generateChallenge', () => {
  it('gives the same person the same questions, choices, order and ids across verifications', () => {
    const first = ready(input());
    const reversedPools: DecoyPools = {
      managers: [...POOLS.managers].reverse(),
      departments: [...POOLS.departments].reverse(),
      locations: [...POOLS.locations].reverse(),
      groups: [...POOLS.groups].reverse(),
      hardware: [...POOLS.hardware].reverse(),
      tickets: [...POOLS.tickets].reverse(),
    };
    // A later verification: the pools came back in another order, the facts list in another order too.
    const facts = factsFor(personId(1));
    facts.groups.reverse();
    facts.hardware.reverse();
    expect(ready(input({ pools: reversedPools, facts }))).toEqual(first);
  });

  it('gives another person (same facts) and another tenant key other choices', () => {
    const a = ready(input());
    const b = ready(input({ personId: personId(2), facts: factsFor(personId(2)) }));
    const c = ready(input({ key: OTHER_KEY }));
    const texts = (qs: Question[]): string[][] => qs.map((q) => q.choices.map((x) => x.text));
    expect(texts(b)).not.toEqual(texts(a));
    expect(texts(c)).not.toEqual(texts(a));
    expect(b.map((q) => q.id)).not.toEqual(a.map((q) => q.id));
  });

  it('a pool that gains a record changes at most one choice per question (rendezvous hashing)', () => {
    const before = ready(input());
    const grown: DecoyPools = {
      ...POOLS,
      hardware: [
        ...POOLS.hardware,
        {
          id: 'f'.repeat(32),
          displayName: 'P999999 - Dell Latitude 7440',
          modelCategory: 'Computer',
          model: 'x',
        },
      ],
    };
    const after = ready(input({ pools: grown }));
    for (const [i, q] of after.entries()) {
      const old = new Set((before[i] as Question).choices.map((c) => c.text));
      const kept = q.choices.filter((c) => old.has(c.text)).length;
      expect(kept).toBeGreaterThanOrEqual(q.choices.length - 1);
    }
  });

  it('asks private, recent facts first: recent ticket, asset, group, location before manager and department', () => {
    expect(ready(input()).map((q) => q.kind)).toEqual(['recent_ticket', 'asset', 'group', 'location']);
    const facts = { ...factsFor(personId(1)), recentTickets: [], hardware: [] };
    expect(ready(input({ facts })).map((q) => q.kind)).toEqual([
      'group',
      'location',
      'manager',
      'department',
    ]);
    const three = ready(input({ config: { maxQuestions: 3 } }));
    expect(three.map((q) => q.kind)).toEqual(['recent_ticket', 'asset', 'group']);
  });

  it('is incomplete when fewer than the minimum of questions can be asked', () => {
    const facts: OrgFacts = {
      ...factsFor(personId(1)),
      recentTickets: [],
      hardware: [],
      groups: [],
      location: null,
    };
    expect(generateChallenge(input({ facts }))).toEqual({
      kind: 'incomplete',
      reason: 'not_enough_questions',
      answerable: 2,
    });
    // Facts without enough real decoys do not count either.
    const thin: DecoyPools = {
      ...POOLS,
      locations: LOCATIONS.slice(0, 2),
      groups: [],
      tickets: [],
      hardware: [],
    };
    expect(generateChallenge(input({ pools: thin }))).toMatchObject({ kind: 'incomplete', answerable: 2 });
  });

  it('never asks about the ticket being verified, nor a ticket with the same text', () => {
    const facts = factsFor(personId(1));
    const newest = facts.recentTickets[0] as OrgFacts['recentTickets'][number];
    const asked = (i: ChallengeInput): string[] =>
      ready(i)
        .filter((q) => q.kind === 'recent_ticket')
        .flatMap((q) => q.choices.map((c) => c.text));
    expect(asked(input({ currentTicket: { id: newest.id } }))).not.toContain(newest.shortDescription);
    expect(
      asked(
        input({
          currentTicket: { id: 'x'.repeat(32), shortDescription: ' printer ON floor 2 jams every morning' },
        }),
      ),
    ).not.toContain(newest.shortDescription);
    const onlyCurrent = { ...facts, recentTickets: [newest] };
    const kinds = ready(input({ facts: onlyCurrent, currentTicket: { id: newest.id } })).map((q) => q.kind);
    expect(kinds).not.toContain('recent_ticket');
  });

  it("never shows, as a decoy, another person's ticket with the text of the ticket being verified (found by the e2e)", () => {
    // The requester opened this ticket: a decoy with its text would look true to the very person it must not
    // trick (the seed has many tickets about the same problems).
    for (const other of POOLS.tickets.slice(0, 20)) {
      const choices = ready(
        input({ currentTicket: { id: 'y'.repeat(32), shortDescription: other.shortDescription } }),
      )
        .filter((q) => q.kind === 'recent_ticket')
        .flatMap((q) => q.choices.map((c) => normalizeText(c.text)));
      expect(choices).not.toContain(normalizeText(other.shortDescription));
    }
  });

  it('each question: a prompt key with English text, 4 choices + "None of these" last, unique ids and texts', () => {
    for (const q of ready(input())) {
      expect(q.prompt.key).toBe(`challenge.question.${q.kind}`);
      expect(CHALLENGE_MESSAGES_EN[q.prompt.key]).toBeDefined();
      expect(promptText(q.prompt)).not.toMatch(/\{/);
      expect(q.choices).toHaveLength(5);
      expect(q.choices[4]?.text).toBe(NONE_OF_THESE);
      expect(new Set(q.choices.map((c) => c.id)).size).toBe(5);
      expect(new Set(q.choices.map((c) => normalizeText(c.text))).size).toBe(5);
      expect(q.choices.map((c) => c.id)).toContain(q.correctChoiceId);
      expect(q.timeLimitSeconds).toBeGreaterThan(0);
    }
    expect(promptText(ready(input())[0]?.prompt as Question['prompt'])).toBe(
      'Which of these did you ask IT for help with in the last 90 days?',
    );
  });

  it('the true answer is among the choices unless "None of these" is right, and then no true value is shown', () => {
    let withheld = 0;
    let shown = 0;
    for (let i = 0; i < 150; i++) {
      const id = personId(i);
      const facts = factsFor(id, i);
      for (const q of ready(input({ personId: id, facts }))) {
        const truths = trueTexts(facts, q.kind).map(normalizeText);
        const texts = q.choices.map((c) => normalizeText(c.text));
        const truthsShown = texts.filter((t) => truths.includes(t));
        if (correctOf(q) === NONE_OF_THESE) {
          withheld++;
          expect(truthsShown).toEqual([]);
        } else {
          shown++;
          expect(truthsShown).toEqual([normalizeText(correctOf(q))]);
        }
      }
    }
    expect(withheld).toBeGreaterThan(0);
    expect(withheld / (withheld + shown)).toBeGreaterThan(0.12);
    expect(withheld / (withheld + shown)).toBeLessThan(0.28);
  });

  it('decoys are real records of the same kind, never a true value, deduplicated, and plausible', () => {
    for (let i = 0; i < 60; i++) {
      const id = personId(i);
      const facts = factsFor(id, i);
      for (const q of ready(input({ personId: id, facts, config: { maxQuestions: 6 } }))) {
        const decoys = q.choices.filter((c) => c.id !== q.correctChoiceId && c.text !== NONE_OF_THESE);
        const pool = poolTexts(POOLS, q.kind);
        const truths = trueTexts(facts, q.kind).map(normalizeText);
        for (const d of decoys) {
          expect(pool).toContain(d.text);
          expect(truths).not.toContain(normalizeText(d.text));
        }
        if (q.kind === 'asset') {
          // all decoys of one category the person has a device of, unless one of those has too few other models
          const own = facts.hardware.map((h) => h.model);
          const slotsHere = correctOf(q) === NONE_OF_THESE ? 4 : 3;
          const decoyCats = new Set(
            decoys.map((d) => HARDWARE.find((h) => h.displayName === d.text)?.modelCategory),
          );
          const othersIn = (cat: string): number =>
            new Set(
              HARDWARE.filter((h) => h.modelCategory === cat && !own.includes(h.model)).map((h) => h.model),
            ).size;
          if (facts.hardware.every((mine) => othersIn(mine.modelCategory) >= slotsHere)) {
            expect(decoyCats.size).toBe(1);
            expect(facts.hardware.map((h) => h.modelCategory)).toContain([...decoyCats][0]);
          }
          // one device per model, and no decoy of a model the person has: people know models, not asset tags
          const models = q.choices
            .filter((c) => c.text !== NONE_OF_THESE)
            .map((c) => [...HARDWARE, ...facts.hardware].find((h) => h.displayName === c.text)?.model);
          expect(new Set(models).size).toBe(models.length);
          for (const d of decoys)
            expect(own).not.toContain(HARDWARE.find((h) => h.displayName === d.text)?.model);
        }
        // Where the tenant has enough look-alikes, every shown choice is one: offices in the true office's country,
        // managers at the true manager's office.
        const slots = correctOf(q) === NONE_OF_THESE ? 4 : 3;
        const shownTexts = q.choices.filter((c) => c.text !== NONE_OF_THESE).map((c) => c.text);
        if (q.kind === 'location') {
          const same = LOCATIONS.filter((l) => l.country === facts.location?.country);
          if (same.length - 1 >= slots)
            for (const t of shownTexts) expect(same.map((l) => l.name)).toContain(t);
        }
        if (q.kind === 'manager') {
          const same = MANAGERS.filter((m) => m.locationId === facts.manager?.locationId);
          if (same.length - 1 >= slots)
            for (const t of shownTexts) expect(same.map((m) => m.name)).toContain(t);
        }
      }
    }
  });

  it('a rare attribute does not single out the answer: no "answer and its look-alikes plus unlike fillers"', () => {
    // Two UK offices, five in the USA: a London requester must not always see Manchester next to US offices.
    const london = LOCATIONS.find((l) => l.name === 'London Office')!;
    let withManchester = 0;
    let shown = 0;
    for (let i = 0; i < 300; i++) {
      const id = personId(1000 + i);
      const facts = { ...factsFor(id), location: london };
      const q = ready(input({ personId: id, facts, config: { maxQuestions: 6 } })).find(
        (x) => x.kind === 'location',
      )!;
      if (correctOf(q) === NONE_OF_THESE) continue;
      shown++;
      if (q.choices.some((c) => c.text === 'Manchester Office')) withManchester++;
    }
    // three decoys drawn from the seven other offices: about 3/7 of the questions show Manchester
    expect(withManchester / shown).toBeGreaterThan(0.3);
    expect(withManchester / shown).toBeLessThan(0.56);
  });

  it('a group named after the department is not asked when the person has another group', () => {
    for (let i = 0; i < 30; i++) {
      const id = personId(i);
      const facts: OrgFacts = {
        ...factsFor(id, i),
        department: { id: 'd'.repeat(32), name: 'Finance' },
        groups: [
          { id: 'e'.repeat(32), name: 'Finance Team' },
          { id: 'f'.repeat(32), name: 'Book Club' },
        ],
      };
      const q = ready(input({ personId: id, facts })).find((x) => x.kind === 'group') as Question;
      const texts = q.choices.map((c) => c.text);
      expect(texts).not.toContain('Finance Team');
      if (correctOf(q) !== NONE_OF_THESE) expect(correctOf(q)).toBe('Book Club');
    }
  });

  it('property: the position of the right answer and its id say nothing (uniform over many persons)', () => {
    const ids = fc.sample(fc.uuid(), { numRuns: 1200, seed: 20261201 }).map((u) => u.replace(/-/g, ''));
    const byIndex = [0, 0, 0, 0];
    const byIdRank = [0, 0, 0, 0, 0];
    let none = 0;
    let total = 0;
    for (const id of ids) {
      for (const q of ready(input({ personId: id, facts: factsFor(id) }))) {
        total++;
        const idx = q.choices.findIndex((c) => c.id === q.correctChoiceId);
        if (q.choices[idx]?.text === NONE_OF_THESE) none++;
        else (byIndex[idx] as number)++;
        const rank = [...q.choices.map((c) => c.id)].sort().indexOf(q.correctChoiceId);
        (byIdRank[rank] as number)++;
      }
    }
    const shown = total - none;
    for (const n of byIndex) expect(Math.abs(n / shown - 0.25)).toBeLessThan(0.03);
    // ids sort the right answer anywhere (the "None of these" id included)
    for (const n of byIdRank) expect(Math.abs(n / total - 0.2)).toBeLessThan(0.03);
    expect(Math.abs(none / total - 0.2)).toBeLessThan(0.03);
  });

  it('property: every generated question is well formed, whatever the person and the pools', () => {
    fc.assert(
      fc.property(
        fc.uuid(),
        fc.nat(100),
        fc.shuffledSubarray(HARDWARE, { minLength: 10 }),
        fc.shuffledSubarray(MANAGERS, { minLength: 4 }),
        (uuid, n, hardware, managers) => {
          const id = uuid.replace(/-/g, '');
          const facts = factsFor(id, n);
          const r = generateChallenge(
            input({ personId: id, facts, pools: { ...POOLS, hardware, managers } }),
          );
          if (r.kind !== 'ready') return true;
          for (const q of r.questions) {
            const ids = q.choices.map((c) => c.id);
            if (new Set(ids).size !== ids.length || !ids.includes(q.correctChoiceId)) return false;
            // ids are opaque: they carry neither the answer text nor the word "correct"
            if (ids.some((x) => !/^c_[A-Za-z0-9_-]{16}$/.test(x))) return false;
            const truths = trueTexts(facts, q.kind).map(normalizeText);
            const shownTruths = q.choices.filter((c) => truths.includes(normalizeText(c.text)));
            if (shownTruths.length > 1) return false;
            if (shownTruths.length === 1 && shownTruths[0]?.id !== q.correctChoiceId) return false;
          }
          return true;
        },
      ),
      { numRuns: 150 },
    );
  });

  it('refuses a bad key or config', () => {
    expect(() => generateChallenge(input({ key: Buffer.alloc(4) }))).toThrow(/key/);
    expect(() => generateChallenge(input({ config: { minQuestions: 4, maxQuestions: 3 } }))).toThrow(
      /maxQuestions/,
    );
  });
});
