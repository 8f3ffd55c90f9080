import { decide } from '../../../src/domain/risk/engine';
import { DEFAULT_POLICY } from '../../../src/domain/risk/policy';
import { buildAnalysisReport, toPublicView } from '../../../src/domain/risk/report';
import { ctxWith } from './fixtures';

describe('analysis report', () => {
  const ctx = ctxWith({
    network: { hosting: true, asn: 16509, asnOrg: 'Amazon.com, Inc.' },
    challenge: { correct: 3, wrong: 1, missedKinds: ['asset'] },
  });
  const decision = decide(ctx);
  const report = buildAnalysisReport(ctx, decision, DEFAULT_POLICY);

  it('holds the console sections: network, endpoint, persona, challenge and device metadata', () => {
    expect(Object.keys(report)).toEqual(
      expect.arrayContaining(['network', 'endpoint', 'persona', 'challenge', 'device']),
    );
    expect(report.network.signals).toEqual([
      {
        id: 'hosting-ip',
        weight: 3,
        points: 3,
        explanation: 'The connection came from a hosting or data-centre network (AS16509 Amazon.com, Inc.).',
        floor: null,
        missingData: false,
        waivedBy: null,
      },
    ]);
    expect(report.network.facts).toMatchObject({ asn: 16509, hosting: true, country: 'GB' });
    expect(report.challenge.signals.map((s) => s.id)).toEqual(['wrong-answers', 'private-facts-missed']);
    expect(report.device).toMatchObject({
      browser: 'Chrome 130.0.0.0',
      platformType: 'desktop',
      screen: '1920x1080@1',
    });
    expect(report.score).toBe(decision.score);
  });

  it('survives a JSON round trip unchanged (it is stored as jsonb)', () => {
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('the agent/requester view carries outcome, risk level and recommendation only: never the score or signals', () => {
    const view = toPublicView(decision);
    expect(view).toEqual({
      outcome: decision.outcome,
      riskLevel: decision.riskLevel,
      recommendation: decision.recommendation,
    });
    const text = JSON.stringify(view);
    expect(text).not.toMatch(/score|hosting|signals|Amazon/);
  });
});
