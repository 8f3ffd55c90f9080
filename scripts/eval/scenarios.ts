// The labelled scenarios. Each is one helpdesk call: an agent launches from a fresh ticket of its own requester and
// sends a link; someone opens it in Chromium on some device and answers as they know; the manager, if asked,
// approves or denies (or never answers); the outcome is read from the database and the ticket.
//
// What attackers are given, so each scenario tests one defence (the worst case for it):
// - "LinkedIn" knowledge: name, title, department, location and manager; group, device and ticket questions guessed.
// - "insider" knowledge: the above and the requester's groups.
// - network / device / forwarding / contact-change attacks: the attacker knows every answer and is on the call
//   (has the code); only the defence the scenario names stands in the way.
// - On-file destinations in knowledge and network attacks: the attacker controls that channel (a compromised
//   mailbox, a SIM swap); otherwise the link never reaches them.
import type { PersonKnowledge } from '@imper/dev-instance';
import type { Country, DeviceKind } from './devices';
import type { AddressKind } from './people';

export type Knows = 'all' | 'linkedin' | 'insider' | 'nothing';
export type Pace = 'human' | 'slow' | 'bot';
export type ManagerBehaviour = 'approve' | 'deny' | 'none';

export interface Scenario {
  label: string;
  cls: 'genuine' | 'attack';
  /** The scenario's family (variants share it), for the totals */
  family: string;
  /** The requester's office country */
  country: Country;
  channel: 'sms' | 'email';
  /** on-file: a contact the agent picks from the ticket; typed: a destination the agent types */
  destination: 'on-file' | 'typed';
  /** The typed destination (default: a new one per scenario) */
  typed?: string;
  device: DeviceKind;
  address: AddressKind;
  /** Where the address is (default: the requester's country) */
  addressCountry?: Country;
  /** Locale and time zone of the device (default: the requester's country) */
  deviceCountry?: Country;
  knows: Knows;
  /** agent: the code the agent reads out; none-of-these: nobody read one; guess: one of the digits at random */
  code: 'agent' | 'none-of-these' | 'guess';
  pace: Pace;
  /** The n-th knowledge question (0-based) is answered wrongly: an honest slip */
  mistakeAt?: number;
  manager: ManagerBehaviour;
  /** The link was first opened by the employee on their own phone, then started on the device above */
  forwarded?: boolean;
  /** The attacker had the requester's mobile changed to their own number this many days ago (S10) */
  mobileChangedDaysAgo?: number;
  /** Waits until that scenario has sent its link (the same destination used twice) */
  after?: string;
  /** Expected not to be Verified for a genuine person, for a stated reason (reported as "acceptable Medium") */
  acceptableMedium?: string;
  /** Scheduled first: it waits out the manager's time limit */
  early?: boolean;
}

export const knowledgeFor = (knows: Knows, all: PersonKnowledge): Partial<PersonKnowledge> => {
  switch (knows) {
    case 'all':
      return all;
    case 'insider':
      return { manager: all.manager, department: all.department, location: all.location, group: all.group };
    case 'linkedin':
      return { manager: all.manager, department: all.department, location: all.location };
    case 'nothing':
      return {};
  }
};

const genuine = (
  label: string,
  family: string,
  s: Pick<Scenario, 'country' | 'channel' | 'device'> & Partial<Scenario>,
): Scenario => ({
  label,
  cls: 'genuine',
  family,
  destination: 'on-file',
  address: 'residential',
  knows: 'all',
  code: 'agent',
  pace: 'human',
  manager: 'approve', // the employee really asked; their manager confirms if asked
  ...s,
});

const attack = (
  label: string,
  family: string,
  s: Pick<Scenario, 'country' | 'channel' | 'device' | 'knows'> & Partial<Scenario>,
): Scenario => ({
  label,
  cls: 'attack',
  family,
  destination: 'on-file',
  address: 'residential',
  code: 'agent',
  pace: 'human',
  manager: 'deny', // the manager never heard of the request
  ...s,
});

const SHARED_ATTACKER_PHONE = '+12025550177';

export const SCENARIOS: Scenario[] = [
  // Scheduled first: the manager never answers, so it waits out ATTESTATION_TIMEOUT_MINUTES.
  attack('typed attacker phone, manager does not answer (GB)', 'typed-attacker-destination', {
    country: 'GB',
    channel: 'sms',
    destination: 'typed',
    device: 'phone',
    knows: 'linkedin',
    manager: 'none',
    early: true,
  }),
  attack(
    'typed attacker phone, attacker knows every answer, manager does not answer (US)',
    'typed-attacker-destination',
    {
      country: 'US',
      channel: 'sms',
      destination: 'typed',
      device: 'phone',
      knows: 'all',
      manager: 'none',
      early: true,
    },
  ),
  attack('same destination: first requester (typed attacker phone)', 'same-destination', {
    country: 'US',
    channel: 'sms',
    destination: 'typed',
    typed: SHARED_ATTACKER_PHONE,
    device: 'phone',
    knows: 'linkedin',
    early: true,
  }),
  genuine('slow reader, phone, SMS (GB)', 'slow-reader', {
    country: 'GB',
    channel: 'sms',
    device: 'phone',
    pace: 'slow',
    early: true,
  }),
  genuine('slow reader, desktop, email (US)', 'slow-reader', {
    country: 'US',
    channel: 'email',
    device: 'desktop',
    pace: 'slow',
    early: true,
  }),

  // ── genuine employees ──
  genuine('on-file SMS on a phone (US)', 'on-file-sms-phone', {
    country: 'US',
    channel: 'sms',
    device: 'phone',
  }),
  genuine('on-file email on a desktop (US)', 'on-file-email-desktop', {
    country: 'US',
    channel: 'email',
    device: 'desktop',
  }),
  genuine('phone, SMS (GB)', 'office-country', { country: 'GB', channel: 'sms', device: 'phone' }),
  genuine('desktop, email (GB)', 'office-country', { country: 'GB', channel: 'email', device: 'desktop' }),
  genuine('phone, SMS (DE)', 'office-country', { country: 'DE', channel: 'sms', device: 'phone' }),
  genuine('desktop, email (DE)', 'office-country', { country: 'DE', channel: 'email', device: 'desktop' }),
  genuine('email opened on a phone (US)', 'office-country', {
    country: 'US',
    channel: 'email',
    device: 'phone',
  }),
  genuine('email opened on a phone (DE)', 'office-country', {
    country: 'DE',
    channel: 'email',
    device: 'phone',
  }),
  genuine('desktop, email, second person (GB)', 'office-country', {
    country: 'GB',
    channel: 'email',
    device: 'desktop',
  }),
  genuine('on-file SMS on a phone, second person (US)', 'on-file-sms-phone', {
    country: 'US',
    channel: 'sms',
    device: 'phone',
  }),
  genuine('on-file email on a desktop, third person (US)', 'on-file-email-desktop', {
    country: 'US',
    channel: 'email',
    device: 'desktop',
  }),
  genuine('on-file SMS on a phone, third person (GB)', 'on-file-sms-phone', {
    country: 'GB',
    channel: 'sms',
    device: 'phone',
  }),
  genuine('desktop, email, second person (DE)', 'office-country', {
    country: 'DE',
    channel: 'email',
    device: 'desktop',
  }),
  genuine('honest mistake: one wrong answer (US)', 'honest-mistake', {
    country: 'US',
    channel: 'email',
    device: 'desktop',
    mistakeAt: 1,
    acceptableMedium:
      'a wrong answer must never reach Verified (a guesser would too); the manager confirms and the request goes ahead without an automated action',
  }),
  genuine('traveller: GB employee, phone on a US home network', 'traveller', {
    country: 'GB',
    channel: 'sms',
    device: 'phone',
    addressCountry: 'US',
    deviceCountry: 'US',
  }),
  genuine('traveller: DE employee, laptop on a GB home network', 'traveller', {
    country: 'DE',
    channel: 'email',
    device: 'desktop',
    addressCountry: 'GB',
  }),
  genuine('lost phone: agent-typed new number, manager approves (US)', 'lost-phone', {
    country: 'US',
    channel: 'sms',
    destination: 'typed',
    device: 'phone',
  }),
  genuine('lost phone: agent-typed new number, manager approves (DE)', 'lost-phone', {
    country: 'DE',
    channel: 'sms',
    destination: 'typed',
    device: 'phone',
  }),

  // ── attacks ──
  attack('typed attacker phone, LinkedIn knowledge, manager denies (US)', 'typed-attacker-destination', {
    country: 'US',
    channel: 'sms',
    destination: 'typed',
    device: 'phone',
    knows: 'linkedin',
  }),
  attack('typed attacker email, LinkedIn knowledge, manager denies (DE)', 'typed-attacker-destination', {
    country: 'DE',
    channel: 'email',
    destination: 'typed',
    device: 'desktop',
    knows: 'linkedin',
  }),
  attack('blind guesser (US)', 'blind-guesser', {
    country: 'US',
    channel: 'email',
    device: 'desktop',
    knows: 'nothing',
  }),
  attack('blind guesser, phone (GB)', 'blind-guesser', {
    country: 'GB',
    channel: 'sms',
    device: 'phone',
    knows: 'nothing',
  }),
  attack('blind guesser (DE)', 'blind-guesser', {
    country: 'DE',
    channel: 'email',
    device: 'desktop',
    knows: 'nothing',
  }),
  attack('informed outsider: name, title, department, location, manager (US)', 'informed-outsider', {
    country: 'US',
    channel: 'email',
    device: 'desktop',
    knows: 'linkedin',
  }),
  attack('informed outsider (DE)', 'informed-outsider', {
    country: 'DE',
    channel: 'sms',
    device: 'phone',
    knows: 'linkedin',
  }),
  attack('insider who also knows groups (US)', 'insider', {
    country: 'US',
    channel: 'email',
    device: 'desktop',
    knows: 'insider',
  }),
  attack('insider who also knows groups (GB)', 'insider', {
    country: 'GB',
    channel: 'email',
    device: 'desktop',
    knows: 'insider',
  }),
  attack('headless bot, every answer right, bot speed', 'headless-bot', {
    country: 'US',
    channel: 'email',
    device: 'headless-bot',
    knows: 'all',
    pace: 'bot',
  }),
  attack('headless bot, every answer right, human pace', 'headless-bot', {
    country: 'US',
    channel: 'email',
    device: 'headless-bot',
    knows: 'all',
  }),
  attack('disguised bot (looks like desktop Chrome), every answer right, bot speed', 'disguised-bot', {
    country: 'US',
    channel: 'email',
    device: 'disguised-bot',
    knows: 'all',
    pace: 'bot',
  }),
  attack(
    'forwarded link: opened on the employee phone, started on the attacker desktop (US)',
    'forwarded-link',
    {
      country: 'US',
      channel: 'sms',
      device: 'desktop',
      knows: 'all',
      forwarded: true,
    },
  ),
  attack('forwarded link, email (GB)', 'forwarded-link', {
    country: 'GB',
    channel: 'email',
    device: 'desktop',
    knows: 'all',
    forwarded: true,
  }),
  attack('datacenter IP (Amazon), every answer right', 'datacenter-ip', {
    country: 'US',
    channel: 'email',
    device: 'desktop',
    knows: 'all',
    address: 'hosting',
  }),
  attack('VPN IP (Cloudflare WARP), every answer right', 'vpn-ip', {
    country: 'US',
    channel: 'email',
    device: 'desktop',
    knows: 'all',
    address: 'vpn',
  }),
  attack('Tor exit IP, every answer right', 'tor-ip', {
    country: 'US',
    channel: 'email',
    device: 'desktop',
    knows: 'all',
    address: 'tor',
    addressCountry: 'DE',
  }),
  attack('recently changed phone (3 days ago), SMS to it, every answer right', 'recently-changed-phone', {
    country: 'US',
    channel: 'sms',
    device: 'phone',
    knows: 'all',
    mobileChangedDaysAgo: 3,
  }),
  attack('same destination: second requester (the same attacker phone)', 'same-destination', {
    country: 'US',
    channel: 'sms',
    destination: 'typed',
    typed: SHARED_ATTACKER_PHONE,
    device: 'phone',
    knows: 'all',
    after: 'same destination: first requester (typed attacker phone)',
  }),
  attack('unexpected link, impostor on the call: employee picks "None of these" (US)', 'unexpected-link', {
    country: 'US',
    channel: 'sms',
    device: 'phone',
    knows: 'all',
    code: 'none-of-these',
  }),
  attack('unexpected link: employee guesses a code (US)', 'unexpected-link-guess', {
    country: 'US',
    channel: 'sms',
    device: 'phone',
    knows: 'all',
    code: 'guess',
  }),
  attack('unexpected link: employee guesses a code (GB)', 'unexpected-link-guess', {
    country: 'GB',
    channel: 'email',
    device: 'desktop',
    knows: 'all',
    code: 'guess',
  }),
  attack('unexpected link: employee guesses a code (DE)', 'unexpected-link-guess', {
    country: 'DE',
    channel: 'sms',
    device: 'phone',
    knows: 'all',
    code: 'guess',
  }),
];
