import { contactChangedRecently } from '../../../../src/domain/risk/rules/contact-changed-recently';
import { destinationNotOnFile } from '../../../../src/domain/risk/rules/destination-not-on-file';
import { destinationUsedForOtherRequester } from '../../../../src/domain/risk/rules/destination-used-for-other-requester';
import { managerApproved } from '../../../../src/domain/risk/rules/manager-approved';
import { managerDenied } from '../../../../src/domain/risk/rules/manager-denied';
import { managerNotReached } from '../../../../src/domain/risk/rules/manager-not-reached';
import { openedOnOtherDevice } from '../../../../src/domain/risk/rules/opened-on-other-device';
import { verificationsManyByAgent } from '../../../../src/domain/risk/rules/verifications-many-by-agent';
import { verificationsManyForDestination } from '../../../../src/domain/risk/rules/verifications-many-for-destination';
import { verificationsManyForRequester } from '../../../../src/domain/risk/rules/verifications-many-for-requester';
import { policyWith, run } from '../fixtures';

describe('persona (context) rules', () => {
  describe('destination-not-on-file (S9): an attacker asks the agent to send the link to their own phone', () => {
    it('fires strongly, keeps the result from Verified, and says the agent typed it', () => {
      const v = run(destinationNotOnFile, {
        request: { destinationOnFile: false, destinationTypedByAgent: true },
      });
      expect(v).toMatchObject({ points: 4, floor: 'medium' });
      expect(v!.explanation).toContain('typed by the agent');
    });
    it('does not fire for a contact on file', () => {
      expect(run(destinationNotOnFile)).toBeNull();
    });
  });

  describe('contact-changed-recently (S10): a SIM swap or a takeover of the contact details', () => {
    it('fires strongly for a recent phone change on an SMS link, and keeps it from Verified', () => {
      const v = run(contactChangedRecently, { request: { channel: 'sms', phoneChangedDaysAgo: 2 } });
      expect(v).toMatchObject({ points: 3, floor: 'medium' });
      expect(v!.explanation).toMatch(/phone number .* 2 days ago/);
    });
    it('fires more mildly for a recent email change on an email link', () => {
      const v = run(contactChangedRecently, { request: { channel: 'email', emailChangedDaysAgo: 1 } });
      expect(v).toMatchObject({ points: 2 });
      expect(v!.floor).toBeUndefined();
    });
    it('does not fire for an old change, no known change, or a change of the other contact', () => {
      expect(run(contactChangedRecently)).toBeNull();
      expect(run(contactChangedRecently, { request: { phoneChangedDaysAgo: null } })).toBeNull();
      // A history that could not be read is missing data, never "no change".
      expect(
        run(contactChangedRecently, { request: { phoneChangedDaysAgo: null, contactHistoryKnown: false } }),
      ).toMatchObject({ missingData: true });
      expect(
        run(contactChangedRecently, { request: { channel: 'email', phoneChangedDaysAgo: 1 } }),
      ).toBeNull();
    });
    it('uses the policy window (N days)', () => {
      const p = policyWith({ context: { recentContactChangeDays: 30 } });
      expect(run(contactChangedRecently, { request: { phoneChangedDaysAgo: 20 } }, p)).not.toBeNull();
      expect(run(contactChangedRecently, { request: { phoneChangedDaysAgo: 20 } })).toBeNull();
    });
  });

  describe('verifications-many-*: retrying until one gets through', () => {
    it('fires for many verifications of one requester, more at twice the limit', () => {
      expect(
        run(verificationsManyForRequester, { request: { recentVerificationsForRequester: 3 } })!.points,
      ).toBe(2);
      expect(
        run(verificationsManyForRequester, { request: { recentVerificationsForRequester: 6 } })!.points,
      ).toBe(3);
      expect(
        run(verificationsManyForRequester, { request: { recentVerificationsForRequester: 2 } }),
      ).toBeNull();
    });
    it('fires for many verifications to one destination', () => {
      expect(
        run(verificationsManyForDestination, { request: { recentVerificationsForDestination: 4 } }),
      ).toMatchObject({ points: 2 });
      expect(run(verificationsManyForDestination)).toBeNull();
    });
    it('fires for an agent starting an unusual number, only for agent-initiated ones', () => {
      expect(run(verificationsManyByAgent, { request: { recentVerificationsByAgent: 30 } })).toMatchObject({
        points: 1,
      });
      expect(run(verificationsManyByAgent)).toBeNull();
      expect(
        run(verificationsManyByAgent, { request: { initiatedBy: 'api', recentVerificationsByAgent: 30 } }),
      ).toBeNull();
    });
  });

  describe('destination-used-for-other-requester: an attacker reusing their phone for several victims', () => {
    it('is decisive', () => {
      expect(
        run(destinationUsedForOtherRequester, { request: { destinationUsedForOtherRequester: true } }),
      ).toMatchObject({ points: 9, floor: 'high' });
      expect(destinationUsedForOtherRequester.decisive).toBe(true);
    });
    it('does not fire otherwise', () => {
      expect(run(destinationUsedForOtherRequester)).toBeNull();
    });
  });

  describe('opened-on-other-device: a forwarded link', () => {
    it('fires', () => {
      expect(run(openedOnOtherDevice, { request: { openedOnOtherDevice: true } })).toMatchObject({
        points: 3,
      });
    });
    it('does not fire on one device', () => {
      expect(run(openedOnOtherDevice)).toBeNull();
    });
  });

  describe('manager-denied: the manager says it is not the requester', () => {
    it('is decisive', () => {
      expect(run(managerDenied, { stepUp: { managerAttestation: 'denied' } })).toMatchObject({
        points: 10,
        floor: 'high',
      });
      expect(managerDenied.decisive).toBe(true);
    });
    it('does not fire for any other answer', () => {
      for (const s of ['not_requested', 'requested', 'approved', 'timed_out', 'unavailable'] as const) {
        expect(run(managerDenied, { stepUp: { managerAttestation: s } })).toBeNull();
      }
    });
  });

  describe('manager-approved: attestation stands in for a typed destination, per policy', () => {
    it('lifts destination-not-on-file by default, adding no points', () => {
      const v = run(managerApproved, {
        request: { destinationOnFile: false },
        stepUp: { managerAttestation: 'approved' },
      });
      expect(v).toMatchObject({ points: 0, waives: ['destination-not-on-file'] });
    });
    it('lifts nothing when the policy keeps approved typed destinations at Medium', () => {
      const v = run(
        managerApproved,
        { request: { destinationOnFile: false }, stepUp: { managerAttestation: 'approved' } },
        policyWith({ stepUp: { typedDestinationApprovedUpTo: 'medium' } }),
      );
      expect(v).toMatchObject({ points: 0 });
      expect(v!.waives).toBeUndefined();
    });
    it('does not fire without an approval', () => {
      expect(run(managerApproved, { request: { destinationOnFile: false } })).toBeNull();
    });
  });

  describe('manager-not-reached: a step-up that could not complete', () => {
    it('fires for a timeout and for no manager on file', () => {
      expect(run(managerNotReached, { stepUp: { managerAttestation: 'timed_out' } })!.explanation).toMatch(
        /in time/,
      );
      expect(run(managerNotReached, { stepUp: { managerAttestation: 'unavailable' } })!.explanation).toMatch(
        /no manager/,
      );
    });
    it('does not fire otherwise', () => {
      expect(run(managerNotReached, { stepUp: { managerAttestation: 'requested' } })).toBeNull();
    });
  });
});
