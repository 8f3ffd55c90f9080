// The context builder's pure mapping on fixtures (no database, no network data): what each input feeds, what stays
// unknown, and the engine's decision on the context it builds.
import type { SignalsPayload } from '@imper/shared';
import type { OrgFacts } from '../../src/domain/challenge/facts';
import type { ChallengeScore } from '../../src/domain/challenge/score';
import { decide } from '../../src/domain/risk/engine';
import {
  buildRiskContext,
  countryCode,
  type AssuranceInputs,
  type ChallengeResult,
} from '../../src/services/assurance-context';
import { type NetworkLookupResult } from '../../src/signals';
import { factsFor, LOCATIONS, personId } from '../domain/challenge/fixtures';
import { CHROME_WIN, SAFARI_IPHONE, chromeWinHeaders, chromeWinPayload } from '../signals/fixtures';

const payload = (over: Partial<SignalsPayload> = {}): SignalsPayload =>
  chromeWinPayload({ languages: ['en-US', 'en'], timeZone: 'America/New_York', ...over });
const headers = chromeWinHeaders('en-US,en;q=0.9');

const usResidential: NetworkLookupResult = {
  status: 'ok',
  ip: '73.12.34.56',
  country: 'US',
  asn: 7922,
  asnOrg: 'COMCAST-7922',
  hosting: false,
  vpn: false,
  tor: false,
};

const created = new Date('2026-12-01T10:00:00Z');
const started = new Date('2026-12-01T10:04:00Z');
const REQUESTER = personId(1);

/** Abel at the Washington DC HQ (country "USA"), on his Windows laptop at home, link to his phone on file. */
const facts = (over: Partial<OrgFacts> = {}): OrgFacts => ({
  ...factsFor(REQUESTER),
  location: LOCATIONS[0]!,
  ...over,
});

const inputs = (over: Partial<AssuranceInputs> = {}): AssuranceInputs => ({
  verification: {
    id: '00000000-0000-4000-8000-000000000001',
    tenantId: '00000000-0000-4000-8000-0000000000aa',
    channel: 'sms',
    destinationOnFile: true,
    destinationKey: 'mobile_phone',
    destinationHash: Buffer.alloc(32, 1),
    agentUserName: 'beth.anglin',
    initiatedBy: 'agent',
    requesterSysId: REQUESTER,
    requesterUserName: 'abel.tuter',
    createdAt: created,
    startedAt: started,
  },
  network: usResidential,
  headers,
  payload: payload(),
  startedAt: started,
  orgFacts: facts(),
  history: {
    windowDays: 30,
    forRequester: 0,
    forDestination: 0,
    byAgent: 4,
    destinationUsedForOtherRequester: false,
    otherRequestersSameIp: 0,
  },
  opened: {
    linkId: 'l1',
    openedAt: new Date('2026-12-01T10:02:00Z'),
    openedIp: '73.12.34.56',
    openedUserAgent: CHROME_WIN,
    sentAt: new Date('2026-12-01T10:00:01Z'),
  },
  ...over,
});

const q = (
  kind: ChallengeScore['questions'][number]['kind'],
  outcome: ChallengeScore['questions'][number]['outcome'],
  ms = 6000,
) => ({
  questionId: `${kind}-q`,
  kind,
  outcome,
  choiceId: outcome === 'correct' || outcome === 'wrong' ? 'c' : null,
  timeTakenMs: ms,
});

function challenge(questions: ChallengeScore['questions'], over: Partial<ChallengeResult> = {}) {
  const n = (o: string) => questions.filter((x) => x.outcome === o).length;
  const score: ChallengeScore = {
    questions,
    totals: {
      questions: questions.length,
      correct: n('correct'),
      wrong: n('wrong'),
      skipped: n('skipped'),
      timedOut: n('timed_out'),
      timeTakenMs: questions.reduce((s, x) => s + (x.timeTakenMs ?? 0), 0),
    },
    allCorrect: n('correct') === questions.length,
  };
  return { score, ...over };
}

const passed = () =>
  challenge([q('manager', 'correct'), q('department', 'correct'), q('group', 'correct', 9000)]);

describe('buildRiskContext: the mapping', () => {
  it('a genuine start: every part fed from its input', () => {
    const ctx = buildRiskContext(inputs({ challenge: passed() }));
    expect(ctx.network).toMatchObject({
      status: 'ok',
      country: 'US',
      requesterLocationCountry: 'US',
      otherRequestersSameIp: 0,
    });
    expect(ctx.device).toMatchObject({ collected: true, platformType: 'desktop', clientHintsMismatches: [] });
    expect(ctx.request).toEqual({
      initiatedBy: 'agent',
      channel: 'sms',
      destinationOnFile: true,
      destinationTypedByAgent: false,
      phoneChangedDaysAgo: null,
      emailChangedDaysAgo: null,
      contactHistoryKnown: true,
      recentVerificationsForRequester: 0,
      recentVerificationsForDestination: 0,
      recentVerificationsByAgent: 4,
      destinationUsedForOtherRequester: false,
      openedOnOtherDevice: false,
    });
    expect(ctx.behaviour).toEqual({
      deliveryToOpenMs: 119_000,
      openToStartMs: 120_000,
      answerTimesMs: [6000, 6000, 9000],
      fastestAnswerTimesMs: [6000, 6000, 9000],
      answerChanges: 0,
    });
    expect(ctx.challenge).toMatchObject({
      asked: 3,
      correct: 3,
      wrong: 0,
      skipped: 0,
      notEnoughQuestions: false,
    });
    expect(ctx.stepUp).toEqual({ managerAttestation: 'not_requested' });
  });

  it('collector missing: device.collected is false (the engine\'s "collector did not run")', () => {
    const ctx = buildRiskContext(inputs({ payload: null, challenge: passed() }));
    expect(ctx.device.collected).toBe(false);
    const d = decide(ctx);
    expect(d.riskLevel).not.toBe('verified');
    expect(d.missingData).toContain('collector-missing');
  });

  it('org facts missing: location and contact changes unknown, and no question can be asked', () => {
    const ctx = buildRiskContext(inputs({ orgFacts: null }));
    expect(ctx.network.requesterLocationCountry).toBeNull();
    expect(ctx.request.phoneChangedDaysAgo).toBeNull();
    expect(ctx.request.emailChangedDaysAgo).toBeNull();
    expect(ctx.challenge).toMatchObject({ asked: 0, notEnoughQuestions: true });
    const d = decide(ctx);
    expect(d.riskLevel).not.toBe('verified');
    expect(d.outcome).toBe('incomplete');
  });

  it('contact history unreadable (no sys_audit access): the change is unknown, not "never"', () => {
    const change = { field: 'mobile_phone' as const, changedAt: '2026-11-29T09:00:00Z', daysAgo: 2 };
    const ctx = buildRiskContext(
      inputs({
        orgFacts: facts({ lastPhoneChange: change, contactHistoryAvailable: false }),
        challenge: passed(),
      }),
    );
    expect(ctx.request.phoneChangedDaysAgo).toBeNull();
    expect(ctx.request.contactHistoryKnown).toBe(false);
    // … and so it cannot pass as clean: missing data keeps the result from Verified.
    const d = decide(ctx);
    expect(d.riskLevel).not.toBe('verified');
    expect(d.missingData).toContain('contact-changed-recently');
  });

  it('a typed destination not on file', () => {
    const v = { ...inputs().verification, destinationOnFile: false, destinationKey: null };
    const ctx = buildRiskContext(inputs({ verification: v }));
    expect(ctx.request).toMatchObject({ destinationOnFile: false, destinationTypedByAgent: true });
  });

  it("a recent phone change from the facts feeds the channel's contact change (S10)", () => {
    const ctx = buildRiskContext(
      inputs({
        orgFacts: facts({
          lastPhoneChange: { field: 'mobile_phone', changedAt: '2026-11-29T09:00:00Z', daysAgo: 2 },
          lastEmailChange: { field: 'email', changedAt: '2025-01-01T09:00:00Z', daysAgo: 699 },
        }),
        challenge: passed(),
      }),
    );
    expect(ctx.request).toMatchObject({ phoneChangedDaysAgo: 2, emailChangedDaysAgo: 699 });
    const d = decide(ctx);
    expect(d.categories.persona.signals.map((s) => s.id)).toContain('contact-changed-recently');
    expect(d.riskLevel).not.toBe('verified'); // SMS after a phone change: floor Medium
  });

  it("the requester's location country (ServiceNow free text) against the IP's country", () => {
    expect(countryCode('USA')).toBe('US');
    expect(countryCode('United Kingdom')).toBe('GB');
    expect(countryCode('germany')).toBe('DE');
    expect(countryCode('de')).toBe('DE');
    expect(countryCode('Atlantis')).toBeNull();
    expect(countryCode('')).toBeNull();

    const berlin = LOCATIONS.find((l) => l.country === 'Germany')!;
    const ctx = buildRiskContext(inputs({ orgFacts: facts({ location: berlin }), challenge: passed() }));
    expect(ctx.network).toMatchObject({ country: 'US', requesterLocationCountry: 'DE' });
    const d = decide(ctx);
    expect(d.categories.network.signals.map((s) => s.id)).toContain('ip-country-mismatch');

    const unknown = buildRiskContext(inputs({ orgFacts: facts({ location: null }) }));
    expect(unknown.network.requesterLocationCountry).toBeNull();
  });

  it('opened on one device and started on another: the user agents differ', () => {
    const opened = { ...inputs().opened!, openedUserAgent: SAFARI_IPHONE, openedIp: '172.56.1.2' };
    expect(buildRiskContext(inputs({ opened })).request.openedOnOtherDevice).toBe(true);
    // Same browser on another address (Wi-Fi → mobile data): the same device.
    const moved = { ...inputs().opened!, openedIp: '172.56.1.2' };
    expect(buildRiskContext(inputs({ opened: moved })).request.openedOnOtherDevice).toBe(false);
    // No recorded opener: unknown, not a signal.
    const unrecorded = { ...inputs().opened!, openedUserAgent: null };
    expect(buildRiskContext(inputs({ opened: unrecorded })).request.openedOnOtherDevice).toBe(false);
  });

  it('an open that Start itself recorded has no open-to-start time', () => {
    const opened = { ...inputs().opened!, openedAt: started };
    const ctx = buildRiskContext(inputs({ opened }));
    expect(ctx.behaviour).toMatchObject({ deliveryToOpenMs: null, openToStartMs: null });
    expect(buildRiskContext(inputs({ opened: null })).behaviour.openToStartMs).toBeNull();
  });

  it('history counts, wrong and timed-out answers, call code and step-up pass through', () => {
    const ctx = buildRiskContext(
      inputs({
        history: {
          windowDays: 30,
          forRequester: 3,
          forDestination: 2,
          byAgent: 30,
          destinationUsedForOtherRequester: true,
          otherRequestersSameIp: 2,
        },
        challenge: challenge([q('manager', 'correct'), q('asset', 'wrong'), q('group', 'timed_out')], {
          callCode: { asked: true, correct: true },
          answerChanges: 2,
        }),
        stepUp: 'approved',
      }),
    );
    expect(ctx.network.otherRequestersSameIp).toBe(2);
    expect(ctx.request).toMatchObject({
      recentVerificationsForRequester: 3,
      recentVerificationsForDestination: 2,
      recentVerificationsByAgent: 30,
      destinationUsedForOtherRequester: true,
    });
    expect(ctx.challenge).toEqual({
      asked: 3,
      correct: 1,
      wrong: 1,
      skipped: 1,
      missedKinds: ['asset', 'group'],
      notEnoughQuestions: false,
      callCode: { asked: true, correct: true },
    });
    expect(ctx.behaviour.answerChanges).toBe(2);
    expect(ctx.stepUp.managerAttestation).toBe('approved');
  });
});

describe('decide() on the built context', () => {
  it('the genuine employee who passed the challenge: Verified', () => {
    const d = decide(buildRiskContext(inputs({ challenge: passed() })));
    expect(d).toMatchObject({ riskLevel: 'verified', outcome: 'passed' });
  });

  it('the challenge not answered yet: never Verified', () => {
    expect(decide(buildRiskContext(inputs())).riskLevel).not.toBe('verified');
  });

  it("an attacker's typed phone: never Verified, even with the answers right", () => {
    const attacker = {
      ...inputs().verification,
      destinationOnFile: false,
      destinationKey: null,
      destinationHash: Buffer.alloc(32, 9),
    };
    const base = inputs({ verification: attacker, challenge: passed() });
    // Not yet attested: the step-up is needed.
    const pending = decide(buildRiskContext(base));
    expect(pending.riskLevel).not.toBe('verified');
    expect(pending.outcome).toBe('needs_step_up');
    // The same phone already used for someone else lately: High, whatever the manager says.
    const reused = decide(
      buildRiskContext({
        ...base,
        history: { ...base.history, destinationUsedForOtherRequester: true },
        stepUp: 'approved',
      }),
    );
    expect(reused).toMatchObject({ riskLevel: 'high', outcome: 'failed' });
    // Manager denied: High.
    expect(decide(buildRiskContext({ ...base, stepUp: 'denied' })).riskLevel).toBe('high');
  });
});
