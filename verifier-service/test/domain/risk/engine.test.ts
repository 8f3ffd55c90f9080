import fc from 'fast-check';
import { decide, RISK_RECOMMENDATIONS } from '../../../src/domain/risk/engine';
import { assertValidPolicy, DEFAULT_POLICY, mergePolicy } from '../../../src/domain/risk/policy';
import { RULES } from '../../../src/domain/risk/rules';
import type { StepUpStatus } from '../../../src/domain/risk/context';
import { ctxWith, genuine, policyWith } from './fixtures';

const TYPED_PHONE = { request: { destinationOnFile: false, destinationTypedByAgent: true } } as const;
const fired = (d: ReturnType<typeof decide>) =>
  Object.values(d.categories).flatMap((c) => c.signals.map((s) => s.id));

describe('risk engine', () => {
  it('a genuine employee on the phone on file, clean signals, right answers: Verified / Passed', () => {
    const d = decide(genuine());
    expect(d).toMatchObject({ score: 0, riskLevel: 'verified', outcome: 'passed', needsStepUp: false });
    expect(d.recommendation).toBe('User verified successfully - Proceed with action');
    expect(d.verifiedBlockedBy).toEqual([]);
  });

  it('a traveller on a foreign residential IP with right answers: still Verified', () => {
    const d = decide(
      ctxWith({
        network: { ip: '88.26.0.1', country: 'ES', asn: 3352, asnOrg: 'Telefonica de Espana' },
        device: { timeZone: 'Europe/Madrid', timeZoneCountries: ['ES'] },
      }),
    );
    expect(fired(d)).toEqual(['ip-country-mismatch']);
    expect(d).toMatchObject({ riskLevel: 'verified', outcome: 'passed', score: 1 });
  });

  describe('an attacker who has the agent send the link to a phone they typed (S9)', () => {
    const statuses: StepUpStatus[] = ['not_requested', 'requested', 'denied', 'timed_out', 'unavailable'];

    it.each(statuses)('never reaches Verified without manager approval (attestation %s)', (s) => {
      const d = decide(ctxWith({ ...TYPED_PHONE, stepUp: { managerAttestation: s } }));
      expect(d.riskLevel).not.toBe('verified');
      expect(d.outcome).not.toBe('passed');
      expect(d.recommendation).not.toBe(RISK_RECOMMENDATIONS.verified);
    });

    it('pends for the manager first: needs step-up, for the typed destination', () => {
      const d = decide(ctxWith(TYPED_PHONE));
      expect(d).toMatchObject({ riskLevel: 'medium', outcome: 'needs_step_up', needsStepUp: true });
      expect(d.stepUpReasons).toContain('typed_destination');
      expect(d.verifiedBlockedBy).toContain('possession');
    });

    it('cannot be made Verified by a tenant turning the signal off or to weight 0', () => {
      for (const p of [
        policyWith({ disabledRules: ['destination-not-on-file'] }),
        policyWith({ weights: { 'destination-not-on-file': 0 } }),
      ]) {
        const d = decide(ctxWith(TYPED_PHONE), p);
        expect(d.riskLevel).toBe('medium');
        expect(d.outcome).toBe('needs_step_up');
      }
    });

    it('with the manager approving: Verified by default (the attestation stands in for possession)', () => {
      const d = decide(ctxWith({ ...TYPED_PHONE, stepUp: { managerAttestation: 'approved' } }));
      expect(d).toMatchObject({ riskLevel: 'verified', outcome: 'passed', score: 0 });
      const s = d.categories.persona.signals.find((x) => x.id === 'destination-not-on-file')!;
      expect(s).toMatchObject({ points: 0, waivedBy: 'manager-approved' });
    });

    it('with the manager approving under a stricter policy: Passed at Medium only (no automated action)', () => {
      const p = policyWith({ stepUp: { typedDestinationApprovedUpTo: 'medium' } });
      const d = decide(ctxWith({ ...TYPED_PHONE, stepUp: { managerAttestation: 'approved' } }), p);
      expect(d).toMatchObject({ riskLevel: 'medium', outcome: 'passed' });
      expect(d.recommendation).toBe(RISK_RECOMMENDATIONS.medium);
    });

    it('an approval does not clear other signals: a bot stays High', () => {
      const d = decide(
        ctxWith({
          ...TYPED_PHONE,
          device: { automation: { webdriver: true } },
          stepUp: { managerAttestation: 'approved' },
        }),
      );
      expect(d).toMatchObject({ riskLevel: 'high', outcome: 'failed' });
    });

    it('the manager denying: High / Failed', () => {
      const d = decide(ctxWith({ ...TYPED_PHONE, stepUp: { managerAttestation: 'denied' } }));
      expect(d).toMatchObject({ riskLevel: 'high', outcome: 'failed' });
      expect(d.recommendation).toBe('High risk detected - Reject this request');
    });

    it('the manager never answering: Failed, not left pending', () => {
      const d = decide(ctxWith({ ...TYPED_PHONE, stepUp: { managerAttestation: 'timed_out' } }));
      expect(d).toMatchObject({ riskLevel: 'medium', outcome: 'failed', needsStepUp: false });
      expect(d.recommendation).toBe(RISK_RECOMMENDATIONS.stepUpFailed);
    });
  });

  it('a blind guesser (three of four wrong): High / Failed', () => {
    const d = decide(
      ctxWith({ challenge: { correct: 1, wrong: 3, missedKinds: ['manager', 'asset', 'group'] } }),
    );
    expect(d).toMatchObject({ riskLevel: 'high', outcome: 'failed' });
    expect(d.score).toBeGreaterThanOrEqual(7);
  });

  it('a headless bot that answers correctly: High, not Verified', () => {
    const d = decide(
      ctxWith({
        device: {
          userAgent:
            'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/130.0.0.0 Safari/537.36',
          automation: { webdriver: true, headlessUserAgent: true, softwareRenderer: true },
          webglRenderer: 'Google SwiftShader',
        },
        behaviour: { answerTimesMs: [220, 180, 240, 200] },
      }),
    );
    expect(d).toMatchObject({ riskLevel: 'high', outcome: 'failed' });
    expect(fired(d)).toEqual(expect.arrayContaining(['automation-markers', 'answers-too-fast']));
  });

  it('a bot that hides webdriver but renders in software and answers instantly: not Verified', () => {
    const d = decide(
      ctxWith({
        device: { automation: { softwareRenderer: true, noPluginsOnDesktopChrome: true } },
        behaviour: { answerTimesMs: [220, 180, 240, 200] },
      }),
    );
    expect(d.riskLevel).not.toBe('verified');
  });

  it('an informed outsider who knows the public facts but misses the private ones: not Verified', () => {
    const d = decide(
      ctxWith({ challenge: { correct: 2, wrong: 2, missedKinds: ['asset', 'recent_ticket'] } }),
    );
    expect(d.riskLevel).not.toBe('verified');
    expect(d.outcome).toBe('failed');
    expect(fired(d)).toEqual(expect.arrayContaining(['wrong-answers', 'private-facts-missed']));
  });

  it('the same destination used for two requesters: High', () => {
    const d = decide(ctxWith({ request: { destinationUsedForOtherRequester: true } }));
    expect(d).toMatchObject({ riskLevel: 'high', outcome: 'failed' });
  });

  it('a SIM swap: a recently changed phone on an SMS link is not Verified (S10)', () => {
    const d = decide(ctxWith({ request: { channel: 'sms', phoneChangedDaysAgo: 3 } }));
    expect(d.riskLevel).toBe('medium');
    expect(d.outcome).toBe('needs_step_up');
  });

  it('an employee completing the link for an impostor on the phone (call code wrong): High', () => {
    const d = decide(ctxWith({ challenge: { callCode: { asked: true, correct: false } } }));
    expect(d).toMatchObject({ riskLevel: 'high', outcome: 'failed' });
  });

  describe('knowledge is never the only proof (NIST SP 800-63A-4)', () => {
    it('right answers from a hosting network behind a VPN are not Verified', () => {
      const d = decide(
        ctxWith({ network: { hosting: true, vpn: true, asn: 9009, asnOrg: 'M247 Europe SRL' } }),
      );
      expect(d.riskLevel).toBe('medium');
      expect(d.verifiedBlockedBy).toContain('silent_signals');
    });
    it('one wrong answer (a low score) still misses the challenge gate: Medium, step-up', () => {
      const d = decide(ctxWith({ challenge: { correct: 3, wrong: 1, missedKinds: ['location'] } }));
      expect(d.score).toBeLessThan(DEFAULT_POLICY.thresholds.medium);
      expect(d).toMatchObject({ riskLevel: 'medium', outcome: 'needs_step_up' });
      expect(d.verifiedBlockedBy).toEqual(['challenge']);
    });
    it('no challenge at all is not Verified', () => {
      const d = decide(ctxWith({ challenge: { asked: 0, correct: 0 } }));
      expect(d.riskLevel).toBe('medium');
    });
  });

  describe('missing data is a signal, not a pass (authentik GeoIP)', () => {
    it('network data unavailable: not Verified, step-up', () => {
      const d = decide(
        ctxWith({ network: { status: 'unavailable', country: null, asn: null, asnOrg: null } }),
      );
      expect(d).toMatchObject({ riskLevel: 'medium', outcome: 'needs_step_up' });
      expect(d.missingData).toEqual(['network-data-unavailable']);
      expect(d.verifiedBlockedBy).toEqual(['missing_data']);
    });
    it('a private/loopback client address (a proxy not passing the real one): not Verified by default', () => {
      const internal = ctxWith({
        network: { status: 'reserved', ip: '10.0.0.7', country: null, asn: null, asnOrg: null },
      });
      expect(decide(internal).riskLevel).toBe('medium');
      expect(decide(internal, policyWith({ reservedAddresses: 'internal' })).riskLevel).toBe('verified');
    });
    it('the collector did not run: not Verified', () => {
      const d = decide(ctxWith({ device: { collected: false } }));
      expect(d.riskLevel).toBe('medium');
    });
    it("a tenant may choose to count missing data as points only ('points')", () => {
      const d = decide(
        ctxWith({ network: { status: 'unavailable', country: null, asn: null, asnOrg: null } }),
        policyWith({ missingData: 'points' }),
      );
      expect(d).toMatchObject({ riskLevel: 'verified', outcome: 'passed', score: 2 });
    });
    it('not enough questions: Incomplete (unless something decisive makes it High)', () => {
      expect(decide(ctxWith({ challenge: { notEnoughQuestions: true, asked: 1, correct: 1 } })).outcome).toBe(
        'incomplete',
      );
      expect(
        decide(
          ctxWith({
            challenge: { notEnoughQuestions: true, asked: 1, correct: 1 },
            request: { destinationUsedForOtherRequester: true },
          }),
        ).outcome,
      ).toBe('failed');
    });
  });

  describe('policy', () => {
    it('Medium passes at Medium when the tenant does not step up at Medium', () => {
      const d = decide(ctxWith({ network: { hosting: true } }), policyWith({ stepUp: { atMedium: false } }));
      expect(d).toMatchObject({ riskLevel: 'medium', outcome: 'passed', needsStepUp: false });
      expect(d.recommendation).not.toBe(RISK_RECOMMENDATIONS.verified);
    });
    it('Medium with the manager approving passes at Medium', () => {
      const d = decide(ctxWith({ network: { hosting: true }, stepUp: { managerAttestation: 'approved' } }));
      expect(d).toMatchObject({ riskLevel: 'medium', outcome: 'passed' });
    });
    it('a category adds at most its cap', () => {
      const d = decide(
        ctxWith({ network: { hosting: true, vpn: true, tor: true, otherRequestersSameIp: 5 } }),
      );
      expect(d.categories.network.score).toBe(DEFAULT_POLICY.categoryCaps.network);
    });
    it('per-category (request category) thresholds on top of the tenant policy', () => {
      const strict = mergePolicy(DEFAULT_POLICY, { thresholds: { medium: 1 } });
      expect(strict.thresholds).toEqual({ medium: 1, high: 7 });
      const traveller = ctxWith({ network: { country: 'ES' } });
      expect(decide(traveller).riskLevel).toBe('verified');
      expect(decide(traveller, strict).riskLevel).toBe('medium');
    });
    it('decisive rules cannot be switched off', () => {
      const p = policyWith({ disabledRules: ['call-code', 'hosting-ip'] });
      expect(decide(ctxWith({ challenge: { callCode: { asked: true, correct: false } } }), p).riskLevel).toBe(
        'high',
      );
      expect(decide(ctxWith({ network: { hosting: true } }), p).riskLevel).toBe('verified');
    });
    it('refuses thresholds out of order and weights out of range', () => {
      expect(() => assertValidPolicy(mergePolicy(DEFAULT_POLICY, { thresholds: { medium: 8 } }))).toThrow(
        /thresholds/,
      );
      expect(() => assertValidPolicy(policyWith({ weights: { 'hosting-ip': -1 } }))).toThrow(/weight/);
      expect(() => assertValidPolicy(DEFAULT_POLICY)).not.toThrow();
    });
  });

  it('every rule has a unique id and a known category', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of RULES) expect(['network', 'endpoint', 'persona', 'challenge']).toContain(r.category);
  });

  describe('properties over random contexts', () => {
    const arb = fc.record({
      hosting: fc.boolean(),
      vpn: fc.boolean(),
      tor: fc.boolean(),
      status: fc.constantFrom('ok', 'reserved', 'unavailable') as fc.Arbitrary<
        'ok' | 'reserved' | 'unavailable'
      >,
      webdriver: fc.boolean(),
      collected: fc.boolean(),
      onFile: fc.boolean(),
      wrong: fc.integer({ min: 0, max: 4 }),
      code: fc.constantFrom(true, false, null),
      attestation: fc.constantFrom(
        'not_requested',
        'requested',
        'approved',
        'denied',
        'timed_out',
        'unavailable',
      ) as fc.Arbitrary<StepUpStatus>,
      shared: fc.boolean(),
      phoneDays: fc.option(fc.integer({ min: 0, max: 60 })),
    });
    type Drawn = typeof arb extends fc.Arbitrary<infer T> ? T : never;
    const build = (a: Drawn) =>
      ctxWith({
        network: { hosting: a.hosting, vpn: a.vpn, tor: a.tor, status: a.status },
        device: { collected: a.collected, automation: { webdriver: a.webdriver } },
        request: {
          destinationOnFile: a.onFile,
          destinationTypedByAgent: !a.onFile,
          destinationUsedForOtherRequester: a.shared,
          phoneChangedDaysAgo: a.phoneDays,
        },
        challenge: { correct: 4 - a.wrong, wrong: a.wrong, callCode: { asked: true, correct: a.code } },
        stepUp: { managerAttestation: a.attestation },
      });

    it('score stays in 0–10; High always fails; only Verified+Passed carries the "proceed" text', () => {
      fc.assert(
        fc.property(arb, (a) => {
          const d = decide(build(a));
          expect(d.score).toBeGreaterThanOrEqual(0);
          expect(d.score).toBeLessThanOrEqual(10);
          if (d.riskLevel === 'high') expect(d.outcome).toBe('failed');
          expect(d.recommendation === RISK_RECOMMENDATIONS.verified).toBe(
            d.riskLevel === 'verified' && d.outcome === 'passed',
          );
          expect(d.needsStepUp).toBe(d.outcome === 'needs_step_up');
        }),
      );
    });

    it('a typed destination is never Verified without an approval; a wrong call code is always High', () => {
      fc.assert(
        fc.property(arb, (a) => {
          const d = decide(build(a));
          if (!a.onFile && a.attestation !== 'approved') expect(d.riskLevel).not.toBe('verified');
          if (a.code === false || a.webdriver || a.shared || a.attestation === 'denied') {
            expect(d.riskLevel).toBe('high');
          }
          if (a.status !== 'ok') expect(d.riskLevel).not.toBe('verified');
          if (!a.collected) expect(d.riskLevel).not.toBe('verified');
        }),
      );
    });
  });
});
