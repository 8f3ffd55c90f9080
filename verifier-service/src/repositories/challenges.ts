// The knowledge challenge's state between requests and the per-account failure count (S5). Rows stay here: the
// functions return camelCase objects; the questions are sealed by the caller (they hold the right answers).
import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { Database, ChallengeRow } from '../db/schema';

type Q = Kysely<Database> | Transaction<Database>;

export interface RecordedAnswer {
  questionId: string;
  /** null: submitted without a choice after the time limit */
  choiceId: string | null;
  /** Server-measured, from showing the question to the answer */
  timeTakenMs: number | null;
  /** The page's own count of the same span (its script; absent without it), at most the server's */
  pageTimeMs?: number | null;
  /** Times the selected choice changed before submitting (the page's script reports it) */
  changes: number;
  at: string;
}

export interface ChallengeState {
  verificationId: string;
  tenantId: string;
  questionsSealed: string;
  answers: RecordedAnswer[];
  /** Index of the question being asked */
  position: number;
  submissions: number;
  maxSubmissions: number;
  /** When the current question was first shown */
  shownAt: Date | null;
}

const fromRow = (r: ChallengeRow): ChallengeState => ({
  verificationId: r.verification_id,
  tenantId: r.tenant_id,
  questionsSealed: r.questions_sealed,
  answers: (r.answers ?? []) as RecordedAnswer[],
  position: r.position,
  submissions: r.submissions,
  maxSubmissions: r.max_submissions,
  shownAt: r.shown_at,
});

export async function insertChallenge(
  db: Q,
  c: { verificationId: string; tenantId: string; questionsSealed: string; maxSubmissions: number },
): Promise<void> {
  await db
    .insertInto('verification_challenges')
    .values({
      verification_id: c.verificationId,
      tenant_id: c.tenantId,
      questions_sealed: c.questionsSealed,
      answers: '[]',
      max_submissions: c.maxSubmissions,
    })
    .execute();
}

export async function findChallenge(db: Q, verificationId: string): Promise<ChallengeState | null> {
  const r = await db
    .selectFrom('verification_challenges')
    .selectAll()
    .where('verification_id', '=', verificationId)
    .executeTakeFirst();
  return r ? fromRow(r) : null;
}

/** Records when the current question was first shown (a reload keeps the first time). */
export async function markQuestionShown(db: Q, verificationId: string, position: number, now: Date) {
  const r = await db
    .updateTable('verification_challenges')
    .set({ shown_at: now, updated_at: now })
    .where('verification_id', '=', verificationId)
    .where('position', '=', position)
    .where('shown_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
  return r ? fromRow(r) : null;
}

/**
 * S5, counted before checked: one conditional UPDATE increments the submission count while it is below the bound
 * and returns the row (locked until the transaction ends, so parallel submissions queue behind it and each sees
 * the previous one's count). Null when the bound is reached: the submission is refused unread.
 */
export async function countSubmission(
  db: Q,
  verificationId: string,
  now: Date,
): Promise<ChallengeState | null> {
  const r = await db
    .updateTable('verification_challenges')
    .set({ submissions: sql`submissions + 1`, updated_at: now })
    .where('verification_id', '=', verificationId)
    .whereRef('submissions', '<', 'max_submissions')
    .returningAll()
    .executeTakeFirst();
  return r ? fromRow(r) : null;
}

/** Stores an answer to the question at `position` and moves to the next one. */
export async function recordAnswer(
  db: Q,
  verificationId: string,
  position: number,
  answer: RecordedAnswer,
  now: Date,
): Promise<ChallengeState | null> {
  const r = await db
    .updateTable('verification_challenges')
    .set({
      answers: sql`answers || ${JSON.stringify([answer])}::jsonb`,
      position: position + 1,
      shown_at: null,
      updated_at: now,
    })
    .where('verification_id', '=', verificationId)
    .where('position', '=', position)
    .returningAll()
    .executeTakeFirst();
  return r ? fromRow(r) : null;
}

// ── per-account failures (S5: across links, at most 100 consecutive) ──────────────────────────────────────────

/**
 * Counts a verification against the account before it is decided: every Start adds one, a pass resets it. Returns
 * the count including this one, so a caller refuses once it exceeds the limit.
 */
export async function countAccountAttempt(db: Q, tenantId: string, accountKey: string, now: Date) {
  const r = await db
    .insertInto('account_failures')
    .values({ tenant_id: tenantId, account_key: accountKey, consecutive: 1, updated_at: now })
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'account_key']).doUpdateSet({
        consecutive: sql`account_failures.consecutive + 1`,
        updated_at: now,
      }),
    )
    .returning('consecutive')
    .executeTakeFirstOrThrow();
  return r.consecutive;
}

export async function resetAccountFailures(db: Q, tenantId: string, accountKey: string, now: Date) {
  await db
    .updateTable('account_failures')
    .set({ consecutive: 0, updated_at: now })
    .where('tenant_id', '=', tenantId)
    .where('account_key', '=', accountKey)
    .execute();
}

export async function accountFailures(db: Q, tenantId: string, accountKey: string): Promise<number> {
  const r = await db
    .selectFrom('account_failures')
    .select('consecutive')
    .where('tenant_id', '=', tenantId)
    .where('account_key', '=', accountKey)
    .executeTakeFirst();
  return r?.consecutive ?? 0;
}
