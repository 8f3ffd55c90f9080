// The analysis report the console shows (CONTRACTS.md: sections network, endpoint, persona, challenge, device),
// stored as JSON with the verification, and the safe view for agents and requesters (outcome, risk level,
// recommendation; never the score or the signals).
import type { RiskLevel } from '@imper/shared';
import type { RiskContext } from './context';
import type { RiskDecision, RiskOutcome, VerifiedGate } from './engine';
import { RISK_CATEGORIES, type RiskCategory, type RiskPolicy } from './policy';

export const ANALYSIS_REPORT_VERSION = 1;

export interface ReportSignal {
  id: string;
  weight: number;
  points: number;
  explanation: string;
  floor: 'medium' | 'high' | null;
  missingData: boolean;
  waivedBy: string | null;
}

export interface ReportSection {
  score: number;
  cap: number;
  signals: ReportSignal[];
  /** What was observed, fired or not (for the auditor's own judgement) */
  facts: Record<string, string | number | boolean | null | string[] | number[]>;
}

export interface DeviceMetadata {
  userAgent: string | null;
  browser: string | null;
  os: string | null;
  platformType: string;
  clientHints: { mobile: boolean | null; platform: string | null; brands: string[] } | null;
  timeZone: string | null;
  languages: string[];
  screen: string | null;
  maxTouchPoints: number | null;
  webglRenderer: string | null;
  hardwareConcurrency: number | null;
  collected: boolean;
}

export interface AnalysisReport {
  version: typeof ANALYSIS_REPORT_VERSION;
  score: number;
  riskLevel: RiskLevel;
  outcome: RiskOutcome;
  recommendation: string;
  needsStepUp: boolean;
  stepUpReasons: RiskDecision['stepUpReasons'];
  verifiedBlockedBy: VerifiedGate[];
  missingData: string[];
  thresholds: RiskPolicy['thresholds'];
  network: ReportSection;
  endpoint: ReportSection;
  persona: ReportSection;
  challenge: ReportSection;
  device: DeviceMetadata;
}

const joinName = (p: { name: string | null; version: string | null }) =>
  p.name ? (p.version ? `${p.name} ${p.version}` : p.name) : null;

function facts(ctx: RiskContext): Record<RiskCategory, ReportSection['facts']> {
  const { network: n, device: d, request: r, challenge: c, behaviour: b, stepUp: s } = ctx;
  return {
    network: {
      status: n.status,
      ip: n.ip,
      country: n.country,
      asn: n.asn,
      asnOrg: n.asnOrg,
      hosting: n.hosting,
      vpn: n.vpn,
      tor: n.tor,
      requesterLocationCountry: n.requesterLocationCountry,
      otherRequestersSameIp: n.otherRequestersSameIp,
    },
    endpoint: {
      collected: d.collected,
      clientHintsMismatches: d.clientHintsMismatches,
      screenTouchIssues: d.screenTouchIssues,
      webdriver: d.automation.webdriver,
      headlessUserAgent: d.automation.headlessUserAgent,
      softwareRenderer: d.automation.softwareRenderer,
      timeZoneCountries: d.timeZoneCountries,
    },
    persona: {
      initiatedBy: r.initiatedBy,
      channel: r.channel,
      destinationOnFile: r.destinationOnFile,
      destinationTypedByAgent: r.destinationTypedByAgent,
      phoneChangedDaysAgo: r.phoneChangedDaysAgo,
      emailChangedDaysAgo: r.emailChangedDaysAgo,
      contactHistoryKnown: r.contactHistoryKnown,
      recentVerificationsForRequester: r.recentVerificationsForRequester,
      recentVerificationsForDestination: r.recentVerificationsForDestination,
      recentVerificationsByAgent: r.recentVerificationsByAgent,
      destinationUsedForOtherRequester: r.destinationUsedForOtherRequester,
      openedOnOtherDevice: r.openedOnOtherDevice,
      deliveryToOpenMs: b.deliveryToOpenMs,
      openToStartMs: b.openToStartMs,
      managerAttestation: s.managerAttestation,
    },
    challenge: {
      asked: c.asked,
      correct: c.correct,
      wrong: c.wrong,
      skipped: c.skipped,
      missedKinds: c.missedKinds,
      notEnoughQuestions: c.notEnoughQuestions,
      callCodeAsked: c.callCode.asked,
      callCodeCorrect: c.callCode.correct,
      answerTimesMs: [...b.answerTimesMs],
      answerChanges: b.answerChanges,
    },
  };
}

/** The console's analysis report: per category the fired signals with their weights and explanations, the facts
 * observed, and the device metadata. JSON-serialisable (no undefined, no class instances). */
export function buildAnalysisReport(
  ctx: RiskContext,
  decision: RiskDecision,
  policy: RiskPolicy,
): AnalysisReport {
  const f = facts(ctx);
  const section = (c: RiskCategory): ReportSection => ({
    score: decision.categories[c].score,
    cap: decision.categories[c].cap,
    signals: decision.categories[c].signals.map((s) => ({
      id: s.id,
      weight: s.weight,
      points: s.points,
      explanation: s.explanation,
      floor: s.floor ?? null,
      missingData: s.missingData ?? false,
      waivedBy: s.waivedBy ?? null,
    })),
    facts: f[c],
  });
  const d = ctx.device;
  const sections = Object.fromEntries(RISK_CATEGORIES.map((c) => [c, section(c)])) as Record<
    RiskCategory,
    ReportSection
  >;
  return {
    version: ANALYSIS_REPORT_VERSION,
    score: decision.score,
    riskLevel: decision.riskLevel,
    outcome: decision.outcome,
    recommendation: decision.recommendation,
    needsStepUp: decision.needsStepUp,
    stepUpReasons: decision.stepUpReasons,
    verifiedBlockedBy: decision.verifiedBlockedBy,
    missingData: decision.missingData,
    thresholds: policy.thresholds,
    ...sections,
    device: {
      userAgent: d.userAgent,
      browser: joinName(d.browser),
      os: joinName(d.os),
      platformType: d.platformType,
      clientHints: d.clientHints.present
        ? { mobile: d.clientHints.mobile, platform: d.clientHints.platform, brands: d.clientHints.brands }
        : null,
      timeZone: d.timeZone,
      languages: d.languages,
      screen: d.screen ? `${d.screen.w}x${d.screen.h}@${d.screen.dpr}` : null,
      maxTouchPoints: d.maxTouchPoints,
      webglRenderer: d.webglRenderer,
      hardwareConcurrency: d.hardwareConcurrency,
      collected: d.collected,
    },
  };
}

/** What an agent (ticket) or the requester (portal) may see: never the score, the signals or the facts. */
export interface PublicRiskView {
  outcome: RiskOutcome;
  riskLevel: RiskLevel;
  recommendation: string;
}

export function toPublicView(
  d: Pick<RiskDecision, 'outcome' | 'riskLevel' | 'recommendation'>,
): PublicRiskView {
  return { outcome: d.outcome, riskLevel: d.riskLevel, recommendation: d.recommendation };
}
