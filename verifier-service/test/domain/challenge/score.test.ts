// Scoring the answers, the transcript, and the call code (number matching).

import {
  NONE_OF_THESE,
  buildTranscript,
  callCodeQuestion,
  createCallCode,
  generateChallenge,
  scoreAnswers,
  type Question,
  type RandomInt,
} from '../../../src/domain/challenge';
import { KEY, POOLS, TENANT, factsFor, personId } from './fixtures';

const questions = (): Question[] => {
  const r = generateChallenge({
    tenantId: TENANT,
    key: KEY,
    personId: personId(7),
    facts: factsFor(personId(7)),
    pools: POOLS,
  });
  if (r.kind !== 'ready') throw new Error('expected questions');
  return r.questions;
};
const wrongOf = (q: Question): string => q.choices.find((c) => c.id !== q.correctChoiceId)?.id as string;

/** A scripted random source: returns the given values in turn (each taken modulo the range). */
const scripted = (values: number[]): RandomInt => {
  let i = 0;
  return (max) => (values[i++ % values.length] as number) % max;
};

describe('scoreAnswers', () => {
  it('correct, wrong, skipped and timed out, with the time taken and totals', () => {
    const [q1, q2, q3, q4] = questions() as [Question, Question, Question, Question];
    const s = scoreAnswers(
      [q1, q2, q3, q4],
      [
        { questionId: q1.id, choiceId: q1.correctChoiceId, timeTakenMs: 4200 },
        { questionId: q2.id, choiceId: wrongOf(q2), timeTakenMs: 3000 },
        { questionId: q3.id, choiceId: null, timeTakenMs: 1500 },
        { questionId: q4.id, choiceId: q4.correctChoiceId, timeTakenMs: q4.timeLimitSeconds * 1000 + 1 },
      ],
    );
    expect(s.questions.map((x) => [x.kind, x.outcome, x.timeTakenMs])).toEqual([
      [q1.kind, 'correct', 4200],
      [q2.kind, 'wrong', 3000],
      [q3.kind, 'skipped', 1500],
      [q4.kind, 'timed_out', q4.timeLimitSeconds * 1000 + 1],
    ]);
    expect(s.totals).toEqual({
      questions: 4,
      correct: 1,
      wrong: 1,
      skipped: 1,
      timedOut: 1,
      timeTakenMs: 4200 + 3000 + 1500 + q4.timeLimitSeconds * 1000 + 1,
    });
    expect(s.allCorrect).toBe(false);
  });

  it('all correct; a missing answer is skipped; an unknown choice is wrong; only the first answer counts', () => {
    const qs = questions();
    const all = scoreAnswers(
      qs,
      qs.map((q) => ({ questionId: q.id, choiceId: q.correctChoiceId, timeTakenMs: 1000 })),
    );
    expect(all.allCorrect).toBe(true);
    expect(all.totals.correct).toBe(qs.length);

    const [q1, q2] = qs as [Question, Question];
    const s = scoreAnswers(qs, [
      { questionId: q1.id, choiceId: 'c_forged', timeTakenMs: 10 },
      { questionId: q1.id, choiceId: q1.correctChoiceId, timeTakenMs: 20 },
      { questionId: q2.id, choiceId: q2.correctChoiceId, timeTakenMs: null, timedOut: true },
      { questionId: 'q_unknown', choiceId: 'x', timeTakenMs: 5 },
    ]);
    expect(s.questions.map((x) => x.outcome)).toEqual(['wrong', 'timed_out', 'skipped', 'skipped']);
    expect(s.totals.timeTakenMs).toBe(10);
    expect(scoreAnswers([], []).allCorrect).toBe(false);
  });

  it('the transcript holds question, choices, the choice made, outcome and time', () => {
    const qs = questions();
    const [q1] = qs as [Question];
    const t = buildTranscript(
      qs,
      scoreAnswers(qs, [{ questionId: q1.id, choiceId: wrongOf(q1), timeTakenMs: 2500 }]),
    );
    expect(t.version).toBe(1);
    expect(t.entries).toHaveLength(qs.length);
    expect(t.entries[0]).toEqual({
      questionId: q1.id,
      kind: q1.kind,
      prompt: q1.prompt,
      promptText: 'Which of these did you ask IT for help with in the last 90 days?',
      choices: q1.choices,
      correctChoiceId: q1.correctChoiceId,
      chosen: q1.choices.find((c) => c.id === wrongOf(q1)),
      outcome: 'wrong',
      timeTakenMs: 2500,
    });
    expect(t.entries[1]).toMatchObject({ chosen: null, outcome: 'skipped', timeTakenMs: null });
  });
});

describe('call code (number matching)', () => {
  it('two digits and two distinct decoys, the code among the three', () => {
    for (let i = 0; i < 200; i++) {
      const cc = createCallCode();
      expect(cc.code).toMatch(/^\d{2}$/);
      expect(cc.choices).toHaveLength(3);
      expect(new Set(cc.choices).size).toBe(3);
      expect(cc.choices).toContain(cc.code);
      for (const c of cc.choices) expect(c).toMatch(/^\d{2}$/);
    }
  });

  it('shuffled: the code is at every position about equally often', () => {
    const at = [0, 0, 0];
    for (let i = 0; i < 3000; i++) {
      const cc = createCallCode();
      (at[cc.choices.indexOf(cc.code)] as number)++;
    }
    for (const n of at) expect(n).toBeGreaterThan(850);
  });

  it('uses the injected random source: leading zeros kept, repeats drawn again', () => {
    // code 7 → "07"; decoy draws 7 (repeat, drawn again), 42, 99; then the shuffle draws
    const cc = createCallCode(scripted([7, 7, 42, 99, 0, 0]));
    expect(cc.code).toBe('07');
    expect([...cc.choices].sort()).toEqual(['07', '42', '99']);
    expect(() => createCallCode(() => 5)).toThrow(/repeating/);
    expect(() => createCallCode(() => 100)).toThrow(/range/);
  });

  it('as a question: kind call_code, three choices with random ids, the code is the right one', () => {
    const cc = createCallCode();
    const q = callCodeQuestion(cc);
    expect(q.kind).toBe('call_code');
    expect(q.prompt.key).toBe('challenge.question.call_code');
    expect(q.choices.map((c) => c.text)).toEqual(cc.choices);
    expect(q.choices.find((c) => c.id === q.correctChoiceId)?.text).toBe(cc.code);
    expect(q.choices.map((c) => c.text)).not.toContain(NONE_OF_THESE);
    expect(new Set(q.choices.map((c) => c.id)).size).toBe(3);
    expect(callCodeQuestion(cc).choices.map((c) => c.id)).not.toEqual(q.choices.map((c) => c.id));
    const s = scoreAnswers([q], [{ questionId: q.id, choiceId: q.correctChoiceId, timeTakenMs: 8000 }]);
    expect(s.allCorrect).toBe(true);
  });
});
