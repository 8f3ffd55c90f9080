import { VERIFICATION_STATES } from '@imper/shared';
import {
  decidedEvent,
  eventSpec,
  isFinal,
  statesAllowing,
  stepAfter,
  ticketStatusFor,
  transition,
  VERIFICATION_EVENTS,
  VERIFICATION_STEPS,
  type VerificationEvent,
} from '../../src/domain/verification';
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

  // The whole table, spelled out: which states each event leaves from, the state it enters, its side effects.
  const TABLE: Record<
    VerificationEvent,
    {
      from: string[];
      to: string;
      revoke: boolean;
      ticket: string | null;
      audit: string | null;
      actor?: string;
    }
  > = {
    delivered_to_provider: { from: ['sending'], to: 'sent', revoke: false, ticket: 'sent', audit: null },
    delivery_failed: {
      from: ['sending', 'sent'],
      to: 'same',
      revoke: false,
      ticket: 'delivery_failed',
      audit: null,
    },
    resent: {
      from: ['sending', 'sent'],
      to: 'sending',
      revoke: true,
      ticket: null,
      audit: 'verification.resend_requested',
      actor: 'agent',
    },
    started: {
      from: ['sending', 'sent'],
      to: 'in_progress',
      revoke: false,
      ticket: 'in_progress',
      audit: 'verification.started',
      actor: 'requester',
    },
    answered: {
      from: ['in_progress'],
      to: 'same',
      revoke: false,
      ticket: null,
      audit: 'challenge.answered',
      actor: 'requester',
    },
    step_up_requested: {
      from: ['in_progress'],
      to: 'same',
      revoke: false,
      ticket: null,
      audit: 'stepup.requested',
      actor: 'system',
    },
    step_up_answered: {
      from: ['in_progress'],
      to: 'same',
      revoke: false,
      ticket: null,
      audit: 'stepup.answered',
      actor: 'manager',
    },
    action_completed: {
      from: ['passed'],
      to: 'same',
      revoke: false,
      ticket: 'action_completed',
      audit: 'action.completed',
      actor: 'requester',
    },
    action_failed: {
      from: ['passed'],
      to: 'same',
      revoke: false,
      ticket: 'action_failed',
      audit: 'action.failed',
      actor: 'system',
    },
    reported_not_me: {
      from: ['passed'],
      to: 'same',
      revoke: false,
      ticket: 'reported',
      audit: 'action.reported',
      actor: 'requester',
    },
    decided_passed: {
      from: ['in_progress'],
      to: 'passed',
      revoke: true,
      ticket: 'outcome',
      audit: 'verification.decided',
      actor: 'system',
    },
    decided_failed: {
      from: ['in_progress'],
      to: 'failed',
      revoke: true,
      ticket: 'outcome',
      audit: 'verification.decided',
      actor: 'system',
    },
    incomplete: {
      from: ['in_progress'],
      to: 'incomplete',
      revoke: true,
      ticket: 'outcome',
      audit: 'verification.decided',
      actor: 'system',
    },
    timed_out: {
      from: ['in_progress', 'sending', 'sent'],
      to: 'timed_out',
      revoke: true,
      ticket: 'timed_out',
      audit: 'verification.timed_out',
      actor: 'system',
    },
    canceled: {
      from: ['in_progress', 'sending', 'sent'],
      to: 'canceled',
      revoke: true,
      ticket: 'canceled',
      audit: 'verification.canceled',
      actor: 'agent',
    },
  };

  it('declares, for every event, the states it leaves from, the state it enters and its side effects', () => {
    expect([...VERIFICATION_EVENTS].sort()).toEqual(Object.keys(TABLE).sort());
    for (const event of VERIFICATION_EVENTS) {
      const spec = eventSpec(event);
      const want = TABLE[event];
      expect({ event, from: statesAllowing(event).sort() }).toEqual({ event, from: [...want.from].sort() });
      expect({ event, to: spec.to }).toEqual({ event, to: want.to });
      expect({ event, revoke: spec.revokeLinks }).toEqual({ event, revoke: want.revoke });
      const ticket = typeof spec.ticket === 'function' ? spec.ticket({ sends: 1 }) : spec.ticket;
      expect({ event, ticket }).toEqual({ event, ticket: want.ticket });
      expect({ event, audit: spec.audit?.type ?? null, actor: spec.audit?.actor }).toEqual({
        event,
        audit: want.audit,
        actor: want.actor,
      });
      expect(VERIFICATION_STEPS).toContain(spec.step);
      for (const s of VERIFICATION_STATES) {
        const next = transition(s, event);
        if (want.from.includes(s)) expect(next).toBe(want.to === 'same' ? s : want.to);
        else expect(next).toBeNull();
      }
    }
  });

  it('keeps the waiting steps in the table: Start opens the challenge, answers need it, the step-up follows it', () => {
    expect(stepAfter('started', 'in_progress')).toBe('challenge');
    expect(eventSpec('answered').fromSteps).toEqual(['challenge']);
    expect(eventSpec('step_up_requested').fromSteps).toEqual(['challenge']);
    expect(stepAfter('step_up_requested', 'in_progress')).toBe('step_up');
    expect(eventSpec('step_up_answered').fromSteps).toEqual(['step_up']);
    expect(stepAfter('answered', 'in_progress')).toBeUndefined();
    for (const e of ['decided_passed', 'decided_failed', 'incomplete', 'timed_out', 'canceled'] as const)
      expect(stepAfter(e, transition('in_progress', e)!)).toBeNull();
  });

  it('tells a first delivery from a resend on the ticket', () => {
    const { ticket } = eventSpec('delivered_to_provider');
    if (typeof ticket !== 'function') throw new Error('expected a rule');
    expect(ticket({ sends: 1 })).toBe('sent');
    expect(ticket({ sends: 2 })).toBe('resent');
  });

  it('accepts no event in a final state but the action after a pass, which leaves it passed', () => {
    for (const s of VERIFICATION_STATES.filter(isFinal))
      for (const event of VERIFICATION_EVENTS) {
        const afterPass = s === 'passed' && eventSpec(event).step === 'action';
        expect({ s, event, next: transition(s, event) }).toEqual({
          s,
          event,
          next: afterPass ? 'passed' : null,
        });
      }
  });

  it('revokes the links of every event that ends a verification, and leaves nobody stuck', () => {
    for (const event of VERIFICATION_EVENTS) {
      const { to, revokeLinks } = eventSpec(event);
      if (to !== 'same' && isFinal(to)) expect({ event, revokeLinks }).toEqual({ event, revokeLinks: true });
    }
    // Every active state can be ended by the agent (cancel) and by the clock (timed out).
    for (const s of VERIFICATION_STATES.filter((x) => !isFinal(x))) {
      expect(transition(s, 'canceled')).toBe('canceled');
      expect(transition(s, 'timed_out')).toBe('timed_out');
    }
  });

  it('names the event of each outcome', () => {
    expect(decidedEvent('passed')).toBe('decided_passed');
    expect(decidedEvent('failed')).toBe('decided_failed');
    expect(decidedEvent('incomplete')).toBe('incomplete');
    expect(eventSpec(decidedEvent('failed')).to).toBe('failed');
  });

  it('shows "sent" on the ticket while the first message is on its way', () => {
    expect(ticketStatusFor('sending')).toBe('sent');
    expect(ticketStatusFor('timed_out')).toBe('timed_out');
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
      action: 'password_reset',
      actionStatus: 'not_started',
    };
    expect(ticketFieldsFor(v)).not.toHaveProperty('x_imper_verify_verification');
    expect(ticketFieldsFor(v)).toMatchObject({
      x_imper_verify_action: 'password_reset',
      x_imper_verify_action_status: 'not_started',
    });
    expect(ticketFieldsFor({ ...v, state: 'passed', riskLevel: 'verified', hasOutcome: true })).toMatchObject(
      {
        x_imper_verify_status: 'passed',
        x_imper_verify_risk_level: 'verified',
        x_imper_verify_verification: v.detailsUrl,
      },
    );
  });
});
