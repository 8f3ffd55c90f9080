// The identity-assurance context builder (issue 9): everything the risk engine (`domain/risk`) reads about one
// verification at Start, as a plain `RiskContext`. Two halves, so the mapping is tested on fixtures alone:
//
// - `loadAssuranceInputs(deps, verification, request)`: the I/O — the network lookup of the client address, the
//   history queries (`repositories/assurance.ts`), the opened link. Org facts, the challenge and the step-up are
//   read or answered elsewhere and passed in.
// - `buildRiskContext(inputs)`: pure mapping. Whatever is unknown stays unknown (null, `collected: false`,
//   `status: 'unavailable'`, not enough questions), which the engine treats as missing data, never as clean.
//
// The flow (services/assurance.ts) builds the context at Start, stores it, and completes it with `withChallenge`
// after the last answer. Start records the client address (`recordStartClientIp`) and the page's open report the
// opener's device (`recordLinkOpenedDevice`), which the same-IP and other-device signals read.
import { getAllCountries } from 'countries-and-timezones';
import type { SignalsPayload } from '@imper/shared';
import type { OrgFacts } from '../domain/challenge/facts';
import type { ChallengeScore } from '../domain/challenge/score';
import type {
  ChallengeContext,
  InitiatedBy,
  QuestionKind,
  RiskContext,
  StepUpStatus,
} from '../domain/risk/context';
import type { Verification } from '../domain/verification';
import type { DB } from '../db/connect';
import {
  countOtherRequestersFromIp,
  countRecentByAgent,
  countRecentForDestination,
  countRecentForRequester,
  DEFAULT_HISTORY_WINDOW_DAYS,
  destinationUsedForOtherRequester,
  latestOpenedLink,
  windowStart,
  type HistoryScope,
  type OpenedLink,
} from '../repositories/assurance';
import {
  deviceContext,
  deviceHeaders,
  networkContext,
  type DeviceHeaders,
  type NetworkLookup,
  type NetworkLookupResult,
} from '../signals';

/** The request that pressed Start. */
export interface StartRequest {
  /** request.ip: the client address as Fastify resolved it per TRUST_PROXY */
  ip: string;
  headers: Record<string, string | string[] | undefined>;
  /** The collector's validated payload (`parseSignalsPayload`); null or absent when it did not run */
  payload?: SignalsPayload | null;
  /** When Start was pressed; defaults to the verification's startedAt, else the clock */
  at?: Date;
}

/** The knowledge challenge as answered (it is answered after Start, so the caller passes it when it has it). */
export interface ChallengeResult {
  score: ChallengeScore;
  /** The generator could not find enough answerable questions */
  notEnoughQuestions?: boolean;
  callCode?: { asked: boolean; correct: boolean | null };
  /** How many times the requester changed a selected answer before submitting */
  answerChanges?: number;
}

export interface AssuranceHistory {
  windowDays: number;
  forRequester: number;
  forDestination: number;
  byAgent: number;
  destinationUsedForOtherRequester: boolean;
  otherRequestersSameIp: number;
}

export type AssuranceVerification = Pick<
  Verification,
  | 'id'
  | 'tenantId'
  | 'channel'
  | 'destinationOnFile'
  | 'destinationKey'
  | 'destinationHash'
  | 'agentUserName'
  | 'initiatedBy'
  | 'requesterSysId'
  | 'requesterUserName'
  | 'createdAt'
  | 'startedAt'
>;

export interface AssuranceInputs {
  verification: AssuranceVerification;
  /** The network lookup of the Start request's address */
  network: NetworkLookupResult;
  headers: DeviceHeaders;
  payload: SignalsPayload | null;
  startedAt: Date;
  /** The requester's ServiceNow facts; null when ServiceNow could not be read */
  orgFacts: OrgFacts | null;
  history: AssuranceHistory;
  /** The opened link and who opened it; null when no browser reported an open */
  opened: OpenedLink | null;
  challenge?: ChallengeResult | null;
  stepUp?: StepUpStatus;
}

// ── the pure mapping ───────────────────────────────────────────────────────────────────────────────────────

const COUNTRY_ALIASES: Record<string, string> = {
  USA: 'US',
  'UNITED STATES OF AMERICA': 'US',
  'U.S.': 'US',
  'U.S.A.': 'US',
  UK: 'GB',
  'GREAT BRITAIN': 'GB',
  ENGLAND: 'GB',
  SCOTLAND: 'GB',
  WALES: 'GB',
  'NORTHERN IRELAND': 'GB',
};
let countryNames: Map<string, string> | null = null;

/** A ServiceNow location country (free text: `US`, `USA`, `United States`, `Germany`) as ISO alpha-2, or null. */
export function countryCode(raw: string | null | undefined): string | null {
  const s = (raw ?? '').trim().toUpperCase();
  if (!s) return null;
  if (!countryNames) {
    countryNames = new Map();
    for (const c of Object.values(getAllCountries())) {
      countryNames.set(c.id.toUpperCase(), c.id);
      countryNames.set(c.name.toUpperCase(), c.id);
    }
  }
  return COUNTRY_ALIASES[s] ?? countryNames.get(s) ?? null;
}

const normUa = (ua: string | null | undefined) => (ua ?? '').trim().replace(/\s+/g, ' ');

/**
 * Opened on one device, started on another: the opener's and the starter's user agents differ. A browser sends the
 * same user agent on every request, so a difference is a different browser or device (a forwarded link). The
 * address alone is not compared: a phone moving between Wi-Fi and mobile data changes it. Unknown (no recorded
 * open, or either user agent missing) → false.
 */
export function openedOnOtherDevice(opened: OpenedLink | null, starterUserAgent: string | undefined) {
  const a = normUa(opened?.openedUserAgent);
  const b = normUa(starterUserAgent);
  return a !== '' && b !== '' && a !== b;
}

function challengeContext(
  c: ChallengeResult | null | undefined,
  orgFacts: OrgFacts | null,
): ChallengeContext {
  if (!c) {
    return {
      asked: 0,
      correct: 0,
      wrong: 0,
      skipped: 0,
      missedKinds: [],
      // Without the requester's facts no question can be asked: the engine's "not enough questions" (missing data).
      notEnoughQuestions: orgFacts === null,
      callCode: { asked: false, correct: null },
    };
  }
  const t = c.score.totals;
  return {
    asked: t.questions,
    correct: t.correct,
    wrong: t.wrong,
    // A question closed at its time limit had no answer: skipped.
    skipped: t.skipped + t.timedOut,
    missedKinds: c.score.questions.filter((q) => q.outcome !== 'correct').map((q) => q.kind as QuestionKind),
    notEnoughQuestions: c.notEnoughQuestions ?? false,
    callCode: c.callCode ?? { asked: false, correct: null },
  };
}

const msBetween = (from: Date | null | undefined, to: Date | null | undefined) =>
  from && to && to.getTime() > from.getTime() ? to.getTime() - from.getTime() : null;

/** The answers' times as the risk rules read them: the server's, and each the shorter of the server's and the
 * page's own count (only "too fast" reads the latter). */
function answerTimes(questions: ChallengeScore['questions']) {
  const known = questions.filter((q) => q.timeTakenMs !== null);
  return {
    answerTimesMs: known.map((q) => q.timeTakenMs!),
    fastestAnswerTimesMs: known.map((q) => Math.min(q.timeTakenMs!, q.pageTimeMs ?? q.timeTakenMs!)),
  };
}

export function initiatedBy(v: Pick<Verification, 'initiatedBy'>): InitiatedBy {
  return v.initiatedBy;
}

export function buildRiskContext(i: AssuranceInputs): RiskContext {
  const v = i.verification;
  const facts = i.orgFacts;
  const network = networkContext(i.network, {
    requesterLocationCountry: countryCode(facts?.location?.country),
    otherRequestersSameIp: i.history.otherRequestersSameIp,
  });
  const device = deviceContext(i.headers, i.payload);
  // S10: a change found in sys_audit; null when the facts or the history could not be read, or there was none.
  const changedDaysAgo = (c: OrgFacts['lastPhoneChange']) =>
    facts && facts.contactHistoryAvailable && c ? c.daysAgo : null;
  // Opened by the page's script strictly before Start; an open Start itself recorded has no open-to-start time.
  const openedAt = i.opened?.openedAt ?? null;
  const openedBeforeStart = openedAt !== null && openedAt.getTime() < i.startedAt.getTime();
  return {
    network,
    device,
    behaviour: {
      deliveryToOpenMs: openedBeforeStart ? msBetween(i.opened?.sentAt ?? v.createdAt, openedAt) : null,
      openToStartMs: openedBeforeStart ? i.startedAt.getTime() - openedAt.getTime() : null,
      ...answerTimes(i.challenge?.score.questions ?? []),
      answerChanges: i.challenge?.answerChanges ?? 0,
    },
    request: {
      initiatedBy: initiatedBy(v),
      channel: v.channel,
      destinationOnFile: v.destinationOnFile,
      // A typed destination that matches a contact stores its key and counts as on file (as a pick would).
      destinationTypedByAgent: v.destinationKey === null && !v.destinationOnFile,
      phoneChangedDaysAgo: changedDaysAgo(facts?.lastPhoneChange ?? null),
      contactHistoryKnown: Boolean(facts?.contactHistoryAvailable),
      emailChangedDaysAgo: changedDaysAgo(facts?.lastEmailChange ?? null),
      recentVerificationsForRequester: i.history.forRequester,
      recentVerificationsForDestination: i.history.forDestination,
      recentVerificationsByAgent: i.history.byAgent,
      destinationUsedForOtherRequester: i.history.destinationUsedForOtherRequester,
      openedOnOtherDevice: openedOnOtherDevice(i.opened, i.headers.userAgent),
    },
    challenge: challengeContext(i.challenge, facts),
    stepUp: { managerAttestation: i.stepUp ?? 'not_requested' },
  };
}

/**
 * The stored silent checks with the challenge as answered and the step-up's status: what the engine decides on
 * after the last answer (and again after the manager's answer). Answer times and changes join the behaviour.
 */
export function withChallenge(
  ctx: RiskContext,
  c: { challenge: ChallengeResult | { notEnoughQuestions: true } | null; stepUp: StepUpStatus },
): RiskContext {
  const answered = c.challenge && 'score' in c.challenge ? c.challenge : null;
  const challenge = answered
    ? challengeContext(answered, null)
    : c.challenge
      ? { ...challengeContext(null, null), notEnoughQuestions: true }
      : ctx.challenge;
  return {
    ...ctx,
    behaviour: answered
      ? {
          ...ctx.behaviour,
          ...answerTimes(answered.score.questions),
          answerChanges: answered.answerChanges ?? 0,
        }
      : ctx.behaviour,
    challenge,
    stepUp: { managerAttestation: c.stepUp },
  };
}

// ── the I/O ────────────────────────────────────────────────────────────────────────────────────────────────

export interface AssuranceDeps {
  db: DB;
  network: NetworkLookup;
  clock: { now(): Date };
}

export interface AssuranceOptions {
  orgFacts: OrgFacts | null;
  challenge?: ChallengeResult | null;
  stepUp?: StepUpStatus;
  /** History window; default 30 days */
  windowDays?: number;
}

export async function loadAssuranceInputs(
  deps: AssuranceDeps,
  v: AssuranceVerification,
  request: StartRequest,
  opts: AssuranceOptions,
): Promise<AssuranceInputs> {
  const startedAt = request.at ?? v.startedAt ?? deps.clock.now();
  const windowDays = opts.windowDays ?? DEFAULT_HISTORY_WINDOW_DAYS;
  const scope: HistoryScope = {
    tenantId: v.tenantId,
    excludeId: v.id,
    since: windowStart(startedAt, windowDays),
  };
  const requester = { sysId: v.requesterSysId, userName: v.requesterUserName };
  const [forRequester, forDestination, byAgent, usedForOther, sameIp, opened] = await Promise.all([
    countRecentForRequester(deps.db, scope, v.requesterSysId),
    countRecentForDestination(deps.db, scope, v.destinationHash),
    countRecentByAgent(deps.db, scope, v.agentUserName),
    destinationUsedForOtherRequester(deps.db, scope, v.destinationHash, requester),
    countOtherRequestersFromIp(deps.db, scope, request.ip, requester),
    latestOpenedLink(deps.db, v.id),
  ]);
  return {
    verification: v,
    network: deps.network.lookup(request.ip),
    headers: deviceHeaders(request.headers),
    payload: request.payload ?? null,
    startedAt,
    orgFacts: opts.orgFacts,
    history: {
      windowDays,
      forRequester,
      forDestination,
      byAgent,
      destinationUsedForOtherRequester: usedForOther,
      otherRequestersSameIp: sameIp,
    },
    opened,
    ...(opts.challenge !== undefined ? { challenge: opts.challenge } : {}),
    ...(opts.stepUp !== undefined ? { stepUp: opts.stepUp } : {}),
  };
}
