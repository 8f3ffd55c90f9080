// Every rule the engine runs, in report order. Add a rule: one file here on the shared base, one line below, and
// its tests in test/domain/risk/rules.
import type { RiskRule } from './base';
import { answersTooFast } from './answers-too-fast';
import { answersTooSlow } from './answers-too-slow';
import { automationMarkers } from './automation-markers';
import { callCode } from './call-code';
import { clientHintsMismatch } from './client-hints-mismatch';
import { collectorMissing } from './collector-missing';
import { contactChangedRecently } from './contact-changed-recently';
import { destinationNotOnFile } from './destination-not-on-file';
import { destinationUsedForOtherRequester } from './destination-used-for-other-requester';
import { hostingIp } from './hosting-ip';
import { instantStart } from './instant-start';
import { ipCountryMismatch } from './ip-country-mismatch';
import { languageInconsistent } from './language-inconsistent';
import { managerApproved } from './manager-approved';
import { managerDenied } from './manager-denied';
import { managerNotReached } from './manager-not-reached';
import { networkDataUnavailable } from './network-data-unavailable';
import { notEnoughQuestions } from './not-enough-questions';
import { openedOnOtherDevice } from './opened-on-other-device';
import { privateFactsMissed } from './private-facts-missed';
import { screenTouchInconsistent } from './screen-touch-inconsistent';
import { sharedIp } from './shared-ip';
import { skippedAnswers } from './skipped-answers';
import { timezoneInconsistent } from './timezone-inconsistent';
import { torNetwork } from './tor-network';
import { verificationsManyByAgent } from './verifications-many-by-agent';
import { verificationsManyForDestination } from './verifications-many-for-destination';
import { verificationsManyForRequester } from './verifications-many-for-requester';
import { vpnIp } from './vpn-ip';
import { wrongAnswers } from './wrong-answers';

export type { RiskRule, RuleVerdict, RuleInput } from './base';

export const RULES: readonly RiskRule[] = [
  // network
  networkDataUnavailable,
  hostingIp,
  vpnIp,
  torNetwork,
  ipCountryMismatch,
  sharedIp,
  // endpoint (device and browser)
  collectorMissing,
  automationMarkers,
  clientHintsMismatch,
  timezoneInconsistent,
  languageInconsistent,
  screenTouchInconsistent,
  instantStart,
  // persona (context and step-up)
  destinationNotOnFile,
  destinationUsedForOtherRequester,
  contactChangedRecently,
  verificationsManyForRequester,
  verificationsManyForDestination,
  verificationsManyByAgent,
  openedOnOtherDevice,
  managerDenied,
  managerApproved,
  managerNotReached,
  // challenge (knowledge, timings, call code)
  notEnoughQuestions,
  wrongAnswers,
  skippedAnswers,
  privateFactsMissed,
  answersTooFast,
  answersTooSlow,
  callCode,
];
