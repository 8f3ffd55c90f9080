// The per-scenario line and the totals: genuine pass rate (Passed at Verified), attack stop rate (not Verified), and
// the blind-guesser and headless-bot Verified rates (goal 0 %).
import type { Outcome } from './flow';

const pct = (n: number, d: number) => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(1)} %`);
const pad = (s: string, n: number) => (s.length >= n ? s.slice(0, n) : s + ' '.repeat(n - s.length));

export function formatLine(o: Outcome): string {
  const result = `${o.state}${o.riskLevel ? `/${o.riskLevel}` : ''}`;
  const score = o.riskScore === null ? '-' : o.riskScore.toFixed(1);
  const step = o.stepUp ? ` manager:${o.managerDecision}` : '';
  return `${pad(o.verdict.toUpperCase(), 10)} ${pad(o.cls, 7)} ${pad(o.label, 84)} ${pad(result, 18)} score ${pad(score, 4)} ${o.topSignals.join(', ') || '(no signal)'}${step}`;
}

const isVerified = (o: Outcome) => o.state === 'passed' && o.riskLevel === 'verified';

export interface Summary {
  seed: number;
  concurrency: number;
  durationSeconds: number;
  scenarios: number;
  genuine: {
    total: number;
    passedVerified: number;
    passRate: string;
    passedMedium: number;
    acceptableMedium: string[];
    misses: Array<{ label: string; result: string; signals: string[]; blockedBy: string[] }>;
  };
  attacks: {
    total: number;
    stopped: number;
    stopRate: string;
    stoppedOnlyByManager: string[];
    misses: Array<{ label: string; result: string; signals: string[] }>;
  };
  blindGuesserVerifiedRate: string;
  headlessBotVerifiedRate: string;
  harnessErrors: Array<{ label: string; error: string }>;
}

export function summarise(
  outcomes: Outcome[],
  errors: Array<{ label: string; error: string }>,
  durationMs: number,
  o: { seed: number; concurrency: number },
): Summary {
  const genuine = outcomes.filter((x) => x.cls === 'genuine');
  const attacks = outcomes.filter((x) => x.cls === 'attack');
  const family = (f: string) => attacks.filter((x) => x.family === f);
  const verifiedIn = (xs: Outcome[]) => pct(xs.filter(isVerified).length, xs.length);
  const result = (x: Outcome) => `${x.state}/${x.riskLevel ?? '-'}`;
  return {
    seed: o.seed,
    concurrency: o.concurrency,
    durationSeconds: Math.round(durationMs / 1000),
    scenarios: outcomes.length,
    genuine: {
      total: genuine.length,
      passedVerified: genuine.filter(isVerified).length,
      passRate: pct(genuine.filter(isVerified).length, genuine.length),
      passedMedium: genuine.filter((x) => x.state === 'passed' && x.riskLevel === 'medium').length,
      acceptableMedium: genuine.filter((x) => x.verdict === 'acceptable').map((x) => x.label),
      misses: genuine
        .filter((x) => x.verdict === 'miss')
        .map((x) => ({
          label: x.label,
          result: result(x),
          signals: x.topSignals,
          blockedBy: x.verifiedBlockedBy,
        })),
    },
    attacks: {
      total: attacks.length,
      stopped: attacks.filter((x) => !isVerified(x)).length,
      stopRate: pct(attacks.filter((x) => !isVerified(x)).length, attacks.length),
      // Stopped, but only because the manager denied or never answered: an approving manager would have let it pass
      stoppedOnlyByManager: attacks
        .filter((x) => !isVerified(x) && x.stepUp && x.managerDecision !== 'approve')
        .filter(
          (x) =>
            x.reasons.some((r) => r === 'manager-denied' || r === 'manager-not-reached') ||
            x.managerDecision === 'none',
        )
        .map((x) => x.label),
      misses: attacks
        .filter(isVerified)
        .map((x) => ({ label: x.label, result: result(x), signals: x.topSignals })),
    },
    blindGuesserVerifiedRate: verifiedIn(family('blind-guesser')),
    headlessBotVerifiedRate: verifiedIn(family('headless-bot')),
    harnessErrors: errors,
  };
}

export function formatSummary(s: Summary): string {
  const lines = [
    `Scenarios: ${s.scenarios} (${s.genuine.total} genuine, ${s.attacks.total} attacks) in ${s.durationSeconds} s`,
    `Genuine pass rate (Passed at Verified): ${s.genuine.passedVerified}/${s.genuine.total} = ${s.genuine.passRate}`,
    `  passed at Medium (not Verified): ${s.genuine.passedMedium}${s.genuine.acceptableMedium.length ? `; acceptable Medium by design: ${s.genuine.acceptableMedium.join('; ')}` : ''}`,
    ...s.genuine.misses.map(
      (m) =>
        `  genuine miss: ${m.label} → ${m.result} [${m.signals.join(', ')}] blocked by ${m.blockedBy.join(', ') || '-'}`,
    ),
    `Attack stop rate (not Verified): ${s.attacks.stopped}/${s.attacks.total} = ${s.attacks.stopRate}`,
    ...s.attacks.misses.map((m) => `  attack miss: ${m.label} → ${m.result} [${m.signals.join(', ')}]`),
    `  stopped only by the manager's denial or silence: ${s.attacks.stoppedOnlyByManager.length}${s.attacks.stoppedOnlyByManager.length ? ` (${s.attacks.stoppedOnlyByManager.join('; ')})` : ''}`,
    `Blind guesser Verified rate: ${s.blindGuesserVerifiedRate} (goal 0 %)`,
    `Headless bot Verified rate: ${s.headlessBotVerifiedRate} (goal 0 %)`,
  ];
  if (s.harnessErrors.length)
    lines.push(
      `HARNESS ERRORS: ${s.harnessErrors.length} (${s.harnessErrors.map((e) => e.label).join('; ')})`,
    );
  return lines.join('\n');
}
