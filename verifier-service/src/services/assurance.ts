// The identity-assurance flow (PRODUCT.md F4): what happens between Start and the outcome. Start takes the silent
// checks and prepares the challenge (`planAssurance`, inside Start's transaction); the requester answers one
// question per request (`answerQuestion`); after the last answer — or at once when there is nothing to ask — the
// risk engine decides (`finishVerification`), and at Medium or for a typed destination the manager is asked to
// attest first (services/step-up.ts), after which the engine decides again.
//
// Every move is an event of the lifecycle table (`applyEvent`); the engine (`domain/risk`) and the challenge
// (`domain/challenge`) are pure, and this module only feeds them and stores what they return.
import type { Kysely, Transaction } from 'kysely';
import type { SignalsPayload } from '@imper/shared';
import type { Deps } from '../context';
import type { Database } from '../db/schema';
import { AppError } from '../errors';
import { deriveKey, hmac, newToken, safeEqual, sha256 } from '../lib/crypto';
import { addJob } from '../lib/jobs';
import type { OrgFactsResult } from '../clients/servicenow/org-facts';
import { fetchOrgFacts } from '../clients/servicenow/org-facts';
import {
  buildTranscript,
  callCodeQuestion,
  createCallCode,
  generateChallenge,
  NONE_OF_THESE,
  scoreAnswers,
  type CallCode,
  type ChallengeAnswer,
  type Question,
} from '../domain/challenge';
import type { RiskContext, StepUpStatus } from '../domain/risk/context';
import { decide, RISK_RECOMMENDATIONS, type RiskDecision } from '../domain/risk/engine';
import { DEFAULT_POLICY, mergePolicy, type RiskPolicy } from '../domain/risk/policy';
import { buildAnalysisReport } from '../domain/risk/report';
import { decidedEvent, type Verification } from '../domain/verification';
import { recordStartClientIp } from '../repositories/assurance';
import { findThresholdOverridesFor } from '../repositories/risk-thresholds';
import { appendAuditEvents } from '../repositories/audit';
import {
  countAccountAttempt,
  countSubmission,
  findChallenge,
  insertChallenge,
  markQuestionShown,
  recordAnswer,
  resetAccountFailures,
  type ChallengeState,
} from '../repositories/challenges';
import { findVerificationById, findVerificationBySessionHash } from '../repositories/verifications';
import {
  buildRiskContext,
  loadAssuranceInputs,
  withChallenge,
  type ChallengeResult,
} from './assurance-context';
import { applyEvent, type AuditEntry } from './lifecycle';
import { configuredRisk, policyLayers } from './risk-settings';
import { requestStepUp } from './step-up';

export const CHALLENGE_PATH = '/v/challenge';
export const RESULT_PATH = '/v/result';

/**
 * The risk policy a verification is decided with, in layers; each is merged on top of the ones before it, so the most
 * specific wins:
 *   1. the defaults (domain/risk/policy.ts `DEFAULT_POLICY`: Medium from 3, High from 7);
 *   2. the configured treatment of reserved addresses (RISK_RESERVED_ADDRESSES);
 *   3. the tenant's configuration for all its requests (TENANTS[].risk);
 *   4. the thresholds its admins set in the console for all requests (`risk_threshold_overrides`, category '');
 *   5. the configuration of the request category (TENANTS[].risk.categories[<ticket category>]);
 *   6. the thresholds set in the console for that category.
 * The console sets the two thresholds only (services/risk-settings.ts `policyLayers`); weights, rules and the step-up
 * stay the configuration's. Config validated every configured combination at boot, and every console row is a valid
 * pair on its own (0 < medium < high <= 10, a check of the table), so whichever layer sets the thresholds last the
 * policy is one the engine can use. Both console rows are read in one query, with the connection or transaction it
 * is given (the decision's: Start's, the last answer's or the step-up's), so a change saved before that transaction
 * reads them applies to the decision.
 */
export async function policyFor(
  db: Kysely<Database> | Transaction<Database>,
  deps: Pick<Deps, 'config' | 'tenants'>,
  v: Pick<Verification, 'tenantId' | 'ticketCategory'>,
): Promise<RiskPolicy> {
  const overrides = await findThresholdOverridesFor(db, v.tenantId, v.ticketCategory);
  return mergePolicy(
    DEFAULT_POLICY,
    { reservedAddresses: deps.config.assurance.reservedAddresses },
    ...policyLayers(configuredRisk(deps, v.tenantId), overrides, v.ticketCategory).map((l) => l.override),
  );
}

/** The key the tenant's questions derive from: the same person sees the same choices every time. */
const challengeKey = (deps: Pick<Deps, 'keys'>, tenantId: string) =>
  deriveKey(deps.keys.challenge, `tenant:${tenantId}`);

/** The account a failure count belongs to (S5): the requester's sys_id, or their user name. */
const accountKey = (v: Pick<Verification, 'requesterSysId' | 'requesterUserName'>) =>
  v.requesterSysId ? `sys_id:${v.requesterSysId}` : `user:${v.requesterUserName}`;

// ── the call code (number matching) ─────────────────────────────────────────────────────────────────────────

/** A new call code for an agent-initiated verification, sealed for storage; null when the tenant does not use it. */
export function newSealedCallCode(deps: Pick<Deps, 'config' | 'sealer'>): string | null {
  if (deps.config.assurance.callCode === 'off') return null;
  // The code among four decoys (and "None of these"): a requester who was read no code and guesses anyway is
  // right one time in five.
  return deps.sealer.seal(JSON.stringify(createCallCode(undefined, { decoys: 4 })));
}

/** The digits the agent reads to the caller, while the requester may still be asked for them. */
export function callCodeDigits(deps: Pick<Deps, 'sealer'>, v: Pick<Verification, 'callCodeSealed'>) {
  if (!v.callCodeSealed) return null;
  return (JSON.parse(deps.sealer.open(v.callCodeSealed)) as CallCode).code;
}

/**
 * The call code as the first question, with `None of these` last: an employee who gets a link they did not ask for
 * was read no code, and says so (the engine's call-code rule: a wrong code, or none, is High).
 */
function callCodeWithNone(callCode: CallCode): Question {
  const q = callCodeQuestion(callCode);
  return { ...q, choices: [...q.choices, { id: `c_${newToken(12)}`, text: NONE_OF_THESE }] };
}

// ── Start ───────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * The requester's facts and the decoy pools from the tenant's ServiceNow, read before Start's transaction (no
 * database lock is held while ServiceNow answers). Null when they cannot be read: the challenge then has nothing to
 * ask and the verification ends Incomplete, which the agent may retry.
 */
export async function loadOrgFacts(
  deps: Pick<Deps, 'tenants' | 'clock' | 'log'>,
  v: Pick<Verification, 'tenantId' | 'requesterSysId' | 'ticketTable' | 'ticketSysId' | 'publicId'>,
): Promise<OrgFactsResult | null> {
  const tenant = deps.tenants.byId(v.tenantId);
  if (!tenant || !v.requesterSysId) return null;
  try {
    return await fetchOrgFacts(tenant.servicenow, v.requesterSysId, {
      currentTicket: { table: v.ticketTable, sysId: v.ticketSysId },
      now: () => deps.clock.now().getTime(),
    });
  } catch (err) {
    deps.log.warn(
      { verification: v.publicId, error: err instanceof Error ? err.message.slice(0, 200) : 'unknown' },
      'the requester’s ServiceNow facts could not be read; nothing to ask',
    );
    return null;
  }
}

export interface StartSignals {
  ip: string;
  headers: Record<string, string | string[] | undefined>;
  payload: SignalsPayload | null;
}

export interface AssurancePlan {
  /** The silent checks, stored with the verification for the decision */
  riskContext: RiskContext;
  /** The questions to ask, the call code first; null when the verification is decided at once */
  questions: Question[] | null;
  /** Why it is decided at once */
  decideNow: null | 'not_enough_questions' | 'account_attempts_exceeded';
}

/**
 * Inside Start's transaction, before the `started` event: records the client address, takes the silent checks,
 * counts the attempt against the account (S5, before anything is checked) and prepares the questions.
 */
export async function planAssurance(
  trx: Transaction<Database>,
  deps: Deps,
  v: Verification,
  signals: StartSignals,
  facts: OrgFactsResult | null,
  now: Date,
): Promise<AssurancePlan> {
  await recordStartClientIp(trx, v.id, signals.ip);
  const inputs = await loadAssuranceInputs(
    { db: trx, network: deps.assurance.network, clock: deps.clock },
    v,
    { ip: signals.ip, headers: signals.headers, payload: signals.payload, at: now },
    { orgFacts: facts?.facts ?? null },
  );
  const riskContext = buildRiskContext(inputs);
  const attempts = await countAccountAttempt(trx, v.tenantId, accountKey(v), now);
  if (attempts > deps.config.assurance.maxConsecutiveFailures) {
    return { riskContext, questions: null, decideNow: 'account_attempts_exceeded' };
  }
  const generated =
    facts && v.requesterSysId
      ? generateChallenge({
          tenantId: v.tenantId,
          key: challengeKey(deps, v.tenantId),
          personId: v.requesterSysId,
          facts: facts.facts,
          pools: facts.pools,
          currentTicket: { id: v.ticketSysId, shortDescription: v.ticketSubject },
        })
      : null;
  if (!generated || generated.kind === 'incomplete') {
    return { riskContext, questions: null, decideNow: 'not_enough_questions' };
  }
  const callCode = v.callCodeSealed ? (JSON.parse(deps.sealer.open(v.callCodeSealed)) as CallCode) : null;
  const questions = [...(callCode ? [callCodeWithNone(callCode)] : []), ...generated.questions];
  return { riskContext, questions, decideNow: null };
}

/** After the `started` event: stores the questions, or decides at once. Returns the verification as it is then. */
export async function beginChallenge(
  trx: Transaction<Database>,
  deps: Deps,
  started: Verification,
  plan: AssurancePlan,
  now: Date,
  auditInto: AuditEntry[],
): Promise<Verification> {
  // The whole verification has VERIFICATION_TIMEOUT_MINUTES from Start; the expire task is moved to it.
  await addJob(
    trx,
    'expire',
    { verificationId: started.id },
    { jobKey: `expire:${started.id}`, runAt: started.deadlineAt },
  );
  if (!plan.questions) {
    return finishVerification(trx, deps, started, {
      challenge: plan.decideNow === 'not_enough_questions' ? { notEnoughQuestions: true } : null,
      override: plan.decideNow === 'account_attempts_exceeded' ? 'account_attempts_exceeded' : null,
      stepUp: 'not_requested',
      now,
      auditInto,
    });
  }
  await insertChallenge(trx, {
    verificationId: started.id,
    tenantId: started.tenantId,
    questionsSealed: deps.sealer.seal(JSON.stringify(plan.questions)),
    maxSubmissions: plan.questions.length + deps.config.assurance.extraSubmissions,
  });
  return started;
}

// ── the questions ───────────────────────────────────────────────────────────────────────────────────────────

/** The anti-CSRF value of the question forms: bound to the requester's session (S7). */
export function challengeCsrf(deps: Pick<Deps, 'keys'>, sessionId: string): string {
  return hmac(deps.keys.csrf, `challenge:${sessionId}`).toString('base64url');
}

const notActive = () =>
  new AppError(
    'CHALLENGE_NOT_ACTIVE',
    'There is no question waiting for you. Open the link from your message again, or ask your helpdesk for a new one.',
  );

const openQuestions = (deps: Pick<Deps, 'sealer'>, c: ChallengeState): Question[] =>
  JSON.parse(deps.sealer.open(c.questionsSealed)) as Question[];

/** What the question page shows: never the right answer. */
export interface QuestionView {
  id: string;
  kind: Question['kind'];
  prompt: Question['prompt'];
  choices: { id: string; text: string }[];
  timeLimitSeconds: number;
}

export type RequesterNext =
  | { kind: 'question'; question: QuestionView; position: { n: number; total: number }; csrf: string }
  | { kind: 'waiting'; verification: Verification }
  | { kind: 'result'; verification: Verification };

async function sessionVerification(deps: Deps, sessionId: string | undefined) {
  if (!sessionId || sessionId.length > 100) return null;
  return (await findVerificationBySessionHash(deps.db, sha256(sessionId))) ?? null;
}

/** Where the requester's session is: a question (shown now, its clock started), the wait for the manager, or the result. */
export async function requesterNext(
  deps: Deps,
  sessionId: string | undefined,
): Promise<RequesterNext | null> {
  const v = await sessionVerification(deps, sessionId);
  if (!v) return null;
  if (v.state !== 'in_progress') return { kind: 'result', verification: v };
  if (v.step === 'step_up') return { kind: 'waiting', verification: v };
  const c = await findChallenge(deps.db, v.id);
  if (!c) return { kind: 'result', verification: v };
  const questions = openQuestions(deps, c);
  const q = questions[c.position];
  if (!q) return { kind: 'result', verification: v };
  if (!c.shownAt) await markQuestionShown(deps.db, v.id, c.position, deps.clock.now());
  return {
    kind: 'question',
    question: {
      id: q.id,
      kind: q.kind,
      prompt: q.prompt,
      choices: q.choices.map((ch) => ({ id: ch.id, text: ch.text })),
      timeLimitSeconds: q.timeLimitSeconds,
    },
    position: { n: c.position + 1, total: questions.length },
    csrf: challengeCsrf(deps, sessionId!),
  };
}

export interface AnswerForm {
  csrf?: string | undefined;
  question?: string | undefined;
  choice?: string | undefined;
  changes?: string | undefined;
  /** The page's count of milliseconds from showing the question to the submit (its script fills it) */
  elapsed?: string | undefined;
}

export type AnswerResult = 'next' | 'choice_required' | 'done';

/**
 * One answer. S5: the submission is counted (one conditional UPDATE, the row locked until commit) before anything
 * about it is read; past the bound the verification fails without the answer being looked at. A stale form (a
 * question already answered, a double click) counts and changes nothing else. Answers are never judged to the
 * requester: right or wrong, the next question follows.
 */
export async function answerQuestion(
  deps: Deps,
  sessionId: string | undefined,
  form: AnswerForm,
): Promise<AnswerResult> {
  const v0 = await sessionVerification(deps, sessionId);
  if (!v0) throw notActive();
  const expected = Buffer.from(challengeCsrf(deps, sessionId!));
  if (!form.csrf || !safeEqual(Buffer.from(form.csrf), expected)) {
    throw new AppError(
      'CSRF_FAILED',
      'Your browser did not send the form we expected. Go back and answer again.',
    );
  }
  if (v0.state !== 'in_progress' || v0.step !== 'challenge') return 'done';
  const now = deps.clock.now();
  const outcome = await deps.db.transaction().execute(async (trx): Promise<AnswerResult | 'refused'> => {
    const counted = await countSubmission(trx, v0.id, now);
    const v = await findVerificationById(trx, v0.id);
    const audit: AuditEntry[] = [];
    if (!counted) {
      // The bound is reached: refused unread. The first refusal fails the verification (High).
      if (v && v.state === 'in_progress' && v.step === 'challenge') {
        const c = await findChallenge(trx, v.id);
        await finishVerification(trx, deps, v, {
          challenge: c ? scored(deps, c) : null,
          override: 'too_many_submissions',
          stepUp: 'not_requested',
          now,
          auditInto: audit,
        });
        await appendAudit(trx, audit);
      }
      return 'refused';
    }
    if (!v || v.state !== 'in_progress' || v.step !== 'challenge') return 'done';
    const questions = openQuestions(deps, counted);
    const q = questions[counted.position];
    if (!q || form.question !== q.id) return 'next'; // stale: the page shows the current question
    const timeTakenMs = counted.shownAt ? Math.max(0, now.getTime() - counted.shownAt.getTime()) : null;
    const overTime = timeTakenMs !== null && timeTakenMs > q.timeLimitSeconds * 1000;
    const choice = typeof form.choice === 'string' && form.choice.length <= 100 ? form.choice : '';
    if (!choice && !overTime) return 'choice_required';
    const changes = Math.min(50, Math.max(0, Number.parseInt(form.changes ?? '0', 10) || 0));
    // The page's own count can only make an answer look faster (never slower) than the server saw it: a page that
    // lies gains nothing, and answers a loaded server received late are still recognised as too fast to read.
    const elapsed = /^\d{1,9}$/.test(form.elapsed ?? '') ? Number(form.elapsed) : null;
    const pageTimeMs = elapsed !== null && timeTakenMs !== null ? Math.min(elapsed, timeTakenMs) : null;
    const after = await recordAnswer(
      trx,
      v.id,
      counted.position,
      {
        questionId: q.id,
        choiceId: choice || null,
        timeTakenMs,
        ...(pageTimeMs !== null ? { pageTimeMs } : {}),
        changes,
        at: now.toISOString(),
      },
      now,
    );
    if (!after) return 'next';
    const moved = await applyEvent(trx, deps, v, 'answered', {
      audit: { position: counted.position + 1, of: questions.length, kind: q.kind },
      auditInto: audit,
      now,
    });
    if (moved && after.position >= questions.length) {
      await finishVerification(trx, deps, moved, {
        challenge: scored(deps, after),
        override: null,
        stepUp: 'not_requested',
        now,
        auditInto: audit,
      });
    }
    await appendAudit(trx, audit);
    return moved && after.position >= questions.length ? 'done' : 'next';
  });
  if (outcome === 'refused') {
    throw new AppError(
      'TOO_MANY_ATTEMPTS',
      'Too many answers were sent for this verification. Contact your helpdesk to continue.',
    );
  }
  return outcome;
}

async function appendAudit(trx: Transaction<Database>, entries: AuditEntry[]) {
  if (entries.length > 0) await appendAuditEvents(trx, entries);
}

/** The challenge as answered so far, scored (unanswered questions count as skipped). */
function scored(deps: Pick<Deps, 'sealer'>, c: ChallengeState): ChallengeOutcome {
  const all = openQuestions(deps, c);
  const callCodeQ = all.find((q) => q.kind === 'call_code') ?? null;
  const knowledge = all.filter((q) => q.kind !== 'call_code');
  const answers: ChallengeAnswer[] = c.answers.map((a) => ({
    questionId: a.questionId,
    choiceId: a.choiceId,
    timeTakenMs: a.timeTakenMs,
    pageTimeMs: a.pageTimeMs ?? null,
  }));
  const score = scoreAnswers(knowledge, answers);
  const callScore = callCodeQ ? scoreAnswers([callCodeQ], answers).questions[0]! : null;
  return {
    result: {
      score,
      callCode: callScore
        ? {
            asked: true,
            correct: callScore.outcome === 'correct' ? true : callScore.outcome === 'wrong' ? false : null,
          }
        : { asked: false, correct: null },
      answerChanges: c.answers.reduce((n, a) => n + a.changes, 0),
    },
    transcript: buildTranscript(all, scoreAnswers(all, answers)),
  };
}

interface ChallengeOutcome {
  result: ChallengeResult;
  transcript: ReturnType<typeof buildTranscript> | null;
}

// ── the decision ────────────────────────────────────────────────────────────────────────────────────────────

export interface FinishOptions {
  /** The answered challenge; `{ notEnoughQuestions: true }` when there was nothing to ask; null when never asked */
  challenge: ChallengeOutcome | { notEnoughQuestions: true } | null;
  /** A limit the attempt broke: decided High whatever the signals say */
  override: null | 'too_many_submissions' | 'account_attempts_exceeded';
  stepUp: StepUpStatus;
  now: Date;
  auditInto: AuditEntry[];
}

const ATTENTION = {
  high: 'High risk detected - review before acting',
  incomplete: 'Incomplete - not enough questions could be asked; verify the requester another way',
  stepUpFailed: 'Manager attestation not received - verify the requester another way',
} as const;

/** The engine's decision over the stored silent checks, the challenge and the step-up, with the policy's limits. */
export async function decideWith(
  trx: Transaction<Database>,
  deps: Pick<Deps, 'config' | 'tenants'>,
  v: Pick<Verification, 'tenantId' | 'ticketCategory'>,
  ctx: RiskContext,
  opts: Pick<FinishOptions, 'override'>,
): Promise<{ decision: RiskDecision; policy: RiskPolicy }> {
  const policy = await policyFor(trx, deps, v);
  let decision = decide(ctx, policy);
  if (opts.override) {
    decision = {
      ...decision,
      riskLevel: 'high',
      outcome: 'failed',
      recommendation: RISK_RECOMMENDATIONS.high,
      needsStepUp: false,
    };
  }
  return { decision, policy };
}

/**
 * Decides a verification in progress: the risk engine over what was collected. A step-up still to be answered
 * moves it to the `step_up` step (the manager is asked, services/step-up.ts); otherwise the decision is final:
 * outcome, risk level, score, recommendation, the analysis report and the sealed transcript are stored in one event.
 */
export async function finishVerification(
  trx: Transaction<Database>,
  deps: Deps,
  v: Verification,
  opts: FinishOptions,
): Promise<Verification> {
  const ch = opts.challenge;
  const answered = ch && 'result' in ch ? ch : null;
  const ctx = withChallenge(v.riskContext as RiskContext, {
    challenge: answered ? answered.result : ch ? { notEnoughQuestions: true } : null,
    stepUp: opts.stepUp,
  });
  const { decision, policy } = await decideWith(trx, deps, v, ctx, opts);
  const report = {
    ...buildAnalysisReport(ctx, decision, policy),
    ...(opts.override ? { limit: opts.override } : {}),
  };
  const reasons = Object.values(decision.categories)
    .flatMap((c) => c.signals)
    .filter((s) => s.points > 0 || s.floor)
    .map((s) => s.id)
    .concat(opts.override ? [opts.override] : []);
  const transcriptSealed = answered?.transcript
    ? deps.sealer.seal(JSON.stringify(answered.transcript))
    : undefined;
  const common = {
    riskScore: decision.score,
    riskLevel: decision.riskLevel,
    recommendation: decision.recommendation,
    reasons,
    report,
    ...(transcriptSealed ? { transcriptSealed } : {}),
    riskContext: ctx,
  };
  if (decision.outcome === 'needs_step_up') {
    return requestStepUp(trx, deps, v, {
      set: common,
      reasons: decision.stepUpReasons,
      now: opts.now,
      auditInto: opts.auditInto,
      audit: { score: decision.score, riskLevel: decision.riskLevel, reasons: decision.stepUpReasons },
    });
  }
  const outcome = decision.outcome;
  const decided = await applyEvent(trx, deps, v, decidedEvent(outcome), {
    set: {
      ...common,
      outcome,
      completedAt: opts.now,
      attention:
        decision.riskLevel === 'high'
          ? ATTENTION.high
          : outcome === 'incomplete'
            ? ATTENTION.incomplete
            : outcome === 'failed'
              ? ATTENTION.stepUpFailed
              : null,
    },
    audit: {
      outcome,
      riskLevel: decision.riskLevel,
      score: decision.score,
      reasons,
    },
    auditInto: opts.auditInto,
    now: opts.now,
  });
  if (!decided) return v;
  if (outcome === 'passed') await resetAccountFailures(trx, v.tenantId, accountKey(v), opts.now);
  return decided;
}
