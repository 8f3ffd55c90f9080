import { VERIFICATION_STATES } from '@imper/shared';
import { isFinal, statesAllowing, ticketStatusFor, transition } from '../../src/domain/verification';
import { createPossessionDecider, RECOMMENDATIONS } from '../../src/domain/decision';
import {
  maskDestination,
  normalizeDestination,
  normalizeEmail,
  normalizePhone,
  sameDestination,
} from '../../src/domain/destination';
import { ticketFieldsFor } from '../../src/domain/ticket-fields';

describe('verification state machine', () => {
  it('follows the happy path and refuses moves out of final states', () => {
    expect(transition('sending', 'delivered_to_provider')).toBe('sent');
    expect(transition('sent', 'started')).toBe('in_progress');
    expect(transition('in_progress', 'decided_passed')).toBe('passed');
    for (const s of VERIFICATION_STATES.filter(isFinal)) {
      expect(transition(s, 'started')).toBeNull();
      expect(transition(s, 'canceled')).toBeNull();
      expect(transition(s, 'resent')).toBeNull();
    }
    expect(transition('in_progress', 'resent')).toBeNull();
    expect(statesAllowing('canceled').sort()).toEqual(['in_progress', 'sending', 'sent']);
  });

  it('shows "sent" on the ticket while the first message is on its way', () => {
    expect(ticketStatusFor('sending')).toBe('sent');
    expect(ticketStatusFor('timed_out')).toBe('timed_out');
  });
});

describe('first decision (possession + contact on file)', () => {
  const decider = createPossessionDecider();
  const base = {
    linkPossessed: true,
    destinationOnFile: true,
    channel: 'sms' as const,
    requesterContactChangedDaysAgo: null,
    openedFromSeveralDevices: false,
  };

  it('passes as verified when the link went to a contact on file', () => {
    expect(decider.decide(base)).toMatchObject({
      outcome: 'passed',
      riskLevel: 'verified',
      recommendation: RECOMMENDATIONS.verified,
    });
  });
  it('raises the risk to medium for a typed destination not on file (S9)', () => {
    expect(decider.decide({ ...base, destinationOnFile: false })).toMatchObject({
      outcome: 'passed',
      riskLevel: 'medium',
    });
  });
  it('fails as high risk when several signals add up', () => {
    const d = decider.decide({
      ...base,
      destinationOnFile: false,
      requesterContactChangedDaysAgo: 2,
      openedFromSeveralDevices: true,
    });
    expect(d).toMatchObject({ outcome: 'failed', riskLevel: 'high', recommendation: RECOMMENDATIONS.high });
    expect(d.reasons).toEqual([
      'destination_not_on_file',
      'contact_changed_recently',
      'opened_from_several_devices',
    ]);
  });
  it('treats a recent phone change as a risk signal for SMS (S10)', () => {
    expect(decider.decide({ ...base, requesterContactChangedDaysAgo: 3 }).riskLevel).toBe('medium');
    expect(decider.decide({ ...base, requesterContactChangedDaysAgo: 30 }).riskLevel).toBe('verified');
  });
});

describe('destinations', () => {
  it('normalises phones to E.164 and refuses junk', () => {
    expect(normalizePhone('+1 (202) 555-0143')).toBe('+12025550143');
    expect(normalizePhone('+44 20 7946 0958')).toBe('+442079460958');
    for (const bad of ['12', 'call me', '+1 555', '++1 202 555 0143', '+1 202 555 0143; drop'])
      expect(normalizePhone(bad)).toBeNull();
  });
  it('validates email syntax', () => {
    expect(normalizeEmail(' Abel.Tuter@Example.COM ')).toBe('Abel.Tuter@example.com');
    for (const bad of [
      'a@b',
      'no-at.example.com',
      'a..b@example.com',
      'a@-x.com',
      `${'a'.repeat(65)}@example.com`,
      'a b@example.com',
    ])
      expect(normalizeEmail(bad)).toBeNull();
  });
  it('throws stable codes for bad input', () => {
    expect(() => normalizeDestination('email', 'nope')).toThrow(
      expect.objectContaining({ code: 'INVALID_EMAIL' }),
    );
    expect(() => normalizeDestination('sms', 'nope')).toThrow(
      expect.objectContaining({ code: 'INVALID_PHONE' }),
    );
  });
  it('masks so that a destination is recognisable but not usable (S19)', () => {
    expect(maskDestination('email', 'abel.tuter@example.com')).toBe('a•••@example.com');
    expect(maskDestination('sms', '+12025550143')).toBe('+•••••••0143');
    expect(sameDestination('sms', '(202) 555-0143', '+1 202 555 0143')).toBe(true);
    expect(sameDestination('email', 'A@Example.com', 'a@example.com')).toBe(true);
  });
});

describe('ticket fields', () => {
  it('keeps the send link until an outcome exists, then points the field at the details', () => {
    const v = {
      publicId: 'VRF-7Q2K9M',
      state: 'sent' as const,
      riskLevel: null,
      attention: null,
      detailsUrl: 'https://v.example/console/verifications/VRF-7Q2K9M',
      hasOutcome: false,
    };
    expect(ticketFieldsFor(v)).not.toHaveProperty('x_imper_verify_verification');
    expect(ticketFieldsFor({ ...v, state: 'passed', riskLevel: 'verified', hasOutcome: true })).toMatchObject(
      {
        x_imper_verify_status: 'passed',
        x_imper_verify_risk_level: 'verified',
        x_imper_verify_verification: v.detailsUrl,
      },
    );
  });
});
