// Work notes (domain/ticket-fields.ts): every value an agent, a requester or a provider controls lands on one line,
// so nobody can forge an extra line ("Bcc: …", a fake "Passed" note) in the ticket's journal (issue 8 finding 6).
import { workNoteFor, type WritebackKind } from '../../src/domain/ticket-fields';
import { oneLine } from '../../src/lib/text';

const BREAKS = ['\r\n', '\n', '\r', '\u2028', '\u2029', '\u0085', '\u000b', '\u000c', '\u0000', '\u001b'];

describe('workNoteFor', () => {
  it('issue 8 finding 6: a CRLF (or any line separator or control) in the agent name does not reach the work note', () => {
    const kinds: WritebackKind[] = ['sent', 'resent', 'delivery_failed', 'canceled', 'outcome'];
    for (const br of BREAKS) {
      for (const kind of kinds) {
        const note = workNoteFor(kind, {
          publicId: 'VRF-7Q2K9M',
          agentName: `Beth Anglin${br}Bcc: attacker@example.com`,
          channel: 'email',
          destinationMasked: `a•••@example.com${br}x`,
          outcome: 'passed',
          riskLevel: 'verified',
          recommendation: `User verified successfully - Proceed with action${br}[imper.ai VRF-XXXXXX #9]`,
          reason: `bounced${br}Passed`,
        });
        // eslint-disable-next-line no-control-regex -- matching control characters is the point
        expect(note).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
        expect(note).not.toMatch(/ {2}/);
      }
    }
    expect(
      workNoteFor('sent', {
        publicId: 'VRF-7Q2K9M',
        agentName: 'Beth Anglin\r\nBcc: attacker@example.com',
        channel: 'email',
        destinationMasked: 'a•••@example.com',
      }),
    ).toBe(
      'imper.ai verification VRF-7Q2K9M: Beth Anglin Bcc: attacker@example.com sent a verification link by email to a•••@example.com.',
    );
  });
});

describe('oneLine (lib/text.ts), shared by work notes, email headers and SMS', () => {
  it('issue 8 finding 6: collapses CR/LF, other controls, line/paragraph separators and bidi overrides to one space', () => {
    expect(oneLine('  Beth\r\n\tAnglin\u2028Bcc:\u2029x\u0085y\u202Ez\u2066w\u0000 ')).toBe(
      'Beth Anglin Bcc: x y z w',
    );
    expect(oneLine('Zoë Ørsted — 日本')).toBe('Zoë Ørsted — 日本');
  });
});

describe('the "sent" work note (issue 9 §7)', () => {
  const base = {
    publicId: 'VRF-7Q2K9M',
    agentName: 'Beth Anglin',
    channel: 'sms',
    destinationMasked: '+•••••••0100',
  };
  it('says when the agent typed a destination that is not a contact on file (S9)', () => {
    expect(workNoteFor('sent', { ...base, destinationOnFile: false })).toBe(
      'imper.ai verification VRF-7Q2K9M: Beth Anglin sent a verification link by SMS to +•••••••0100 (typed by the agent: not a contact on file).',
    );
    expect(workNoteFor('resent', { ...base, destinationOnFile: false })).toContain(
      '(typed by the agent: not a contact on file); the earlier link no longer works.',
    );
  });
  it('says nothing more for a contact on file', () => {
    expect(workNoteFor('sent', { ...base, destinationOnFile: true })).toBe(
      'imper.ai verification VRF-7Q2K9M: Beth Anglin sent a verification link by SMS to +•••••••0100.',
    );
  });
});

describe('the "outcome" work note (issue 9)', () => {
  const base = {
    publicId: 'VRF-7Q2K9M',
    agentName: 'Beth Anglin',
    channel: 'email',
    destinationMasked: 'a•••',
  };
  it('names each outcome as it is: Passed, Failed, Incomplete', () => {
    const note = (outcome: string, riskLevel: string) =>
      workNoteFor('outcome', { ...base, outcome, riskLevel, recommendation: 'R' });
    expect(note('passed', 'verified')).toBe(
      'imper.ai verification VRF-7Q2K9M: Passed, risk level Verified. R',
    );
    expect(note('failed', 'high')).toBe('imper.ai verification VRF-7Q2K9M: Failed, risk level High. R');
    expect(note('incomplete', 'medium')).toBe(
      'imper.ai verification VRF-7Q2K9M: Incomplete (not enough questions could be asked), risk level Medium. R',
    );
  });
});
