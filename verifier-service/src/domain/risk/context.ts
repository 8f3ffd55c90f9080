// The plain, enriched context every risk rule reads. It is built before scoring, by the signal extraction in
// src/signals/ (IP → country/ASN, user agent → device) and by the lifecycle (counts, challenge results, step-up);
// the rules and the engine do no I/O, so they are tested on fixture contexts alone (STYLE.md "Risk rules as small
// units").
//
// Missing data is explicit, never "clean": `network.status` says whether the lookup worked, `device.collected`
// whether the browser collector ran, and `null` means "not known" wherever a number or a flag may be unknown.
import type { Channel } from '@imper/shared';

/** ok: looked up; reserved: loopback/private/documentation address (no geo data exists for it); unavailable: the
 * lookup data could not be loaded or the address could not be read, so nothing is known. */
export type NetworkStatus = 'ok' | 'reserved' | 'unavailable';

export interface NetworkContext {
  status: NetworkStatus;
  ip: string | null;
  /** ISO 3166-1 alpha-2, upper case; null when unknown */
  country: string | null;
  asn: number | null;
  asnOrg: string | null;
  /** From data/asn-lists.json */
  hosting: boolean;
  vpn: boolean;
  tor: boolean;
  /** The requester's ServiceNow location country (ISO alpha-2), null when the record has none */
  requesterLocationCountry: string | null;
  /** Other requesters seen from the same IP lately (the lifecycle picks the window) */
  otherRequestersSameIp: number;
}

export type PlatformType = 'mobile' | 'tablet' | 'desktop' | 'unknown';

export interface AutomationMarkers {
  /** navigator.webdriver was true */
  webdriver: boolean;
  /** "HeadlessChrome" (or another headless token) in the user agent */
  headlessUserAgent: boolean;
  /** WebGL renders in software (SwiftShader, llvmpipe): a headless browser or a VM without a GPU */
  softwareRenderer: boolean;
  /** navigator.languages was empty */
  noLanguages: boolean;
  /** Desktop Chrome reports no plugins (real desktop Chrome has its PDF viewer entries) */
  noPluginsOnDesktopChrome: boolean;
}

export interface DeviceContext {
  /** Did the browser collector run and post a valid payload? */
  collected: boolean;
  userAgent: string | null;
  browser: { name: string | null; version: string | null };
  os: { name: string | null; version: string | null };
  platformType: PlatformType;
  /** Client hints (headers or navigator.userAgentData), when the browser sends them */
  clientHints: { present: boolean; mobile: boolean | null; platform: string | null; brands: string[] };
  /** Why the user agent and the client hints disagree; empty when they agree or no hints were sent */
  clientHintsMismatches: string[];
  automation: AutomationMarkers;
  timeZone: string | null;
  /** Countries that use `timeZone` (IANA zone1970), null when the zone is unknown or not tied to countries (UTC) */
  timeZoneCountries: string[] | null;
  languages: string[];
  screen: { w: number; h: number; dpr: number } | null;
  maxTouchPoints: number | null;
  /** Why screen/touch do not fit the claimed device (touch on a desktop UA, a 0×0 screen…); empty when they fit */
  screenTouchIssues: string[];
  webglRenderer: string | null;
  hardwareConcurrency: number | null;
}

export interface BehaviourContext {
  /** From delivery of the link to its first (browser) open; null when unknown */
  deliveryToOpenMs: number | null;
  openToStartMs: number | null;
  /** Time to answer each question, in the order asked (server-measured) */
  answerTimesMs: number[];
  /** The same, each the shorter of the server's and the page's count (the page's can only shorten it); absent:
   * as answerTimesMs. Only "too fast" reads it: a slow server must not make a script look like a reader. */
  fastestAnswerTimesMs?: number[];
  /** How many times the requester changed a selected answer before submitting */
  answerChanges: number;
}

export type InitiatedBy = 'agent' | 'self_service' | 'api';

export interface RequestContext {
  initiatedBy: InitiatedBy;
  channel: Channel;
  /** S9: the destination is one of the requester's contacts on file */
  destinationOnFile: boolean;
  /** The agent typed the destination (rather than picking a contact on file) */
  destinationTypedByAgent: boolean;
  /** S10: days since the requester's phone / email last changed on the directory record; null = unknown or never */
  phoneChangedDaysAgo: number | null;
  emailChangedDaysAgo: number | null;
  /** S10: whether the directory's change history (sys_audit) could be read; false = the two above are unknown */
  contactHistoryKnown: boolean;
  /** Verifications lately (the lifecycle picks the window) */
  recentVerificationsForRequester: number;
  recentVerificationsForDestination: number;
  recentVerificationsByAgent: number;
  /** The same destination was used lately for a different requester: a strong sign of an attacker's phone */
  destinationUsedForOtherRequester: boolean;
  /** The link was opened on one device and started on another */
  openedOnOtherDevice: boolean;
}

export type QuestionKind =
  'manager' | 'department' | 'location' | 'group' | 'asset' | 'recent_ticket' | (string & {});

export interface ChallengeContext {
  /** Knowledge questions asked (the call code is not one of them) */
  asked: number;
  correct: number;
  wrong: number;
  skipped: number;
  /** Kinds of the questions answered wrong or skipped */
  missedKinds: QuestionKind[];
  /** The generator could not find enough answerable questions */
  notEnoughQuestions: boolean;
  callCode: { asked: boolean; correct: boolean | null };
}

export type StepUpStatus =
  | 'not_requested'
  | 'requested'
  | 'approved'
  | 'denied'
  | 'timed_out'
  /** the requester has no manager on file to ask */
  | 'unavailable';

export interface StepUpContext {
  managerAttestation: StepUpStatus;
}

export interface RiskContext {
  network: NetworkContext;
  device: DeviceContext;
  behaviour: BehaviourContext;
  request: RequestContext;
  challenge: ChallengeContext;
  stepUp: StepUpContext;
}
