// Scoring a challenge and the transcript of it: pure functions over the questions and the answers given.
// The transcript is what the lifecycle stores (encrypted) for the console's "challenge" analysis.

import type { Choice, Question } from './generate';
import { promptText, type Prompt } from './messages';

export interface ChallengeAnswer {
  questionId: string;
  /** null: the requester skipped the question. */
  choiceId: string | null;
  /** From showing the question to the answer, measured by the server; null when unknown. */
  timeTakenMs: number | null;
  /** The same span as the page itself counted it (its script, from showing the question to the submit); kept only
   * when it is not longer than the server's. Only ever used to find answers too fast to be read. */
  pageTimeMs?: number | null;
  /** The server closed the question at its time limit before an answer arrived. */
  timedOut?: boolean;
}

export type AnswerOutcome = 'correct' | 'wrong' | 'skipped' | 'timed_out';

export interface QuestionScore {
  questionId: string;
  kind: Question['kind'];
  outcome: AnswerOutcome;
  /** The choice made ('' ids are never valid); null when skipped, timed out or unanswered. */
  choiceId: string | null;
  timeTakenMs: number | null;
  /** See ChallengeAnswer.pageTimeMs; null when the page did not report one */
  pageTimeMs?: number | null;
}

export interface ChallengeScore {
  questions: QuestionScore[];
  totals: {
    questions: number;
    correct: number;
    wrong: number;
    skipped: number;
    timedOut: number;
    /** Sum of the known times taken. */
    timeTakenMs: number;
  };
  allCorrect: boolean;
}

/**
 * One outcome per question, in the questions' order. An answer after the time limit counts as timed out
 * whatever it chose; a choice that is not one of the question's counts as wrong; no answer at all counts as
 * skipped; only the first answer to a question counts, answers to unknown questions are ignored.
 */
export function scoreAnswers(
  questions: readonly Question[],
  answers: readonly ChallengeAnswer[],
): ChallengeScore {
  const first = new Map<string, ChallengeAnswer>();
  for (const a of answers) if (!first.has(a.questionId)) first.set(a.questionId, a);

  const scored = questions.map((q): QuestionScore => {
    const a = first.get(q.id);
    const time =
      a && a.timeTakenMs !== null && Number.isFinite(a.timeTakenMs) ? Math.max(0, a.timeTakenMs) : null;
    const page =
      a?.pageTimeMs != null && Number.isFinite(a.pageTimeMs) && time !== null
        ? Math.min(time, Math.max(0, a.pageTimeMs))
        : null;
    const base = {
      questionId: q.id,
      kind: q.kind,
      timeTakenMs: time,
      ...(page !== null ? { pageTimeMs: page } : {}),
    };
    if (!a) return { ...base, outcome: 'skipped', choiceId: null };
    if (a.timedOut || (time !== null && time > q.timeLimitSeconds * 1000)) {
      return { ...base, outcome: 'timed_out', choiceId: null };
    }
    if (a.choiceId === null || a.choiceId === '') return { ...base, outcome: 'skipped', choiceId: null };
    const known = q.choices.some((c) => c.id === a.choiceId);
    return {
      ...base,
      outcome: known && a.choiceId === q.correctChoiceId ? 'correct' : 'wrong',
      choiceId: a.choiceId,
    };
  });

  const count = (o: AnswerOutcome): number => scored.filter((s) => s.outcome === o).length;
  const correct = count('correct');
  return {
    questions: scored,
    totals: {
      questions: scored.length,
      correct,
      wrong: count('wrong'),
      skipped: count('skipped'),
      timedOut: count('timed_out'),
      timeTakenMs: scored.reduce((sum, s) => sum + (s.timeTakenMs ?? 0), 0),
    },
    allCorrect: scored.length > 0 && correct === scored.length,
  };
}

export interface TranscriptEntry {
  questionId: string;
  kind: Question['kind'];
  prompt: Prompt;
  /** The English prompt as shown (for the console until it renders message keys itself). */
  promptText: string;
  choices: Choice[];
  correctChoiceId: string;
  /** The choice made, or null. */
  chosen: Choice | null;
  outcome: AnswerOutcome;
  timeTakenMs: number | null;
}

export interface ChallengeTranscript {
  version: 1;
  entries: TranscriptEntry[];
}

/** The record of a challenge: question, choices, choice made, outcome, time taken. Holds personal data: encrypt it. */
export function buildTranscript(questions: readonly Question[], score: ChallengeScore): ChallengeTranscript {
  const byId = new Map(score.questions.map((s) => [s.questionId, s]));
  return {
    version: 1,
    entries: questions.map((q) => {
      const s = byId.get(q.id);
      const chosen = s?.choiceId ? (q.choices.find((c) => c.id === s.choiceId) ?? null) : null;
      return {
        questionId: q.id,
        kind: q.kind,
        prompt: q.prompt,
        promptText: promptText(q.prompt),
        choices: q.choices.map((c) => ({ ...c })),
        correctChoiceId: q.correctChoiceId,
        chosen: chosen ? { ...chosen } : null,
        outcome: s?.outcome ?? 'skipped',
        timeTakenMs: s?.timeTakenMs ?? null,
      };
    }),
  };
}
