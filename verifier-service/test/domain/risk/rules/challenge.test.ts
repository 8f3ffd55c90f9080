import { answersTooFast } from '../../../../src/domain/risk/rules/answers-too-fast';
import { answersTooSlow } from '../../../../src/domain/risk/rules/answers-too-slow';
import { callCode } from '../../../../src/domain/risk/rules/call-code';
import { notEnoughQuestions } from '../../../../src/domain/risk/rules/not-enough-questions';
import { privateFactsMissed } from '../../../../src/domain/risk/rules/private-facts-missed';
import { skippedAnswers } from '../../../../src/domain/risk/rules/skipped-answers';
import { wrongAnswers } from '../../../../src/domain/risk/rules/wrong-answers';
import { run } from '../fixtures';

describe('challenge rules', () => {
  describe('wrong-answers: a guesser', () => {
    it('scales with the share of questions missed', () => {
      expect(run(wrongAnswers, { challenge: { correct: 3, wrong: 1 } })!.points).toBe(2.5);
      expect(run(wrongAnswers, { challenge: { correct: 2, wrong: 2 } })!.points).toBe(5);
      expect(run(wrongAnswers, { challenge: { correct: 1, wrong: 3 } })!.points).toBe(7.5);
      expect(run(wrongAnswers, { challenge: { correct: 0, wrong: 4 } })!.explanation).toBe(
        '4 of 4 knowledge questions were answered wrong.',
      );
    });
    it('does not fire when every answer is right', () => {
      expect(run(wrongAnswers)).toBeNull();
    });
  });

  describe('skipped-answers: questions left to time out', () => {
    it('scales, at half the strength of a wrong answer', () => {
      expect(run(skippedAnswers, { challenge: { correct: 2, skipped: 2 } })!.points).toBe(2.5);
    });
    it('does not fire when all were answered', () => {
      expect(run(skippedAnswers)).toBeNull();
    });
  });

  describe('private-facts-missed: an informed outsider who only knows public facts', () => {
    it('fires when an asset, group or recent-ticket question was missed', () => {
      const v = run(privateFactsMissed, {
        challenge: { correct: 2, wrong: 2, missedKinds: ['asset', 'recent_ticket'] },
      });
      expect(v).toMatchObject({ points: 2 });
      expect(v!.explanation).toContain('asset, recent_ticket');
    });
    it('does not fire when only public facts (manager, department, location) were missed', () => {
      expect(
        run(privateFactsMissed, { challenge: { correct: 3, wrong: 1, missedKinds: ['location'] } }),
      ).toBeNull();
      expect(run(privateFactsMissed)).toBeNull();
    });
  });

  describe('not-enough-questions: knowledge could not be checked', () => {
    it('fires as missing data and keeps the result from Verified', () => {
      expect(run(notEnoughQuestions, { challenge: { notEnoughQuestions: true, asked: 1 } })).toMatchObject({
        floor: 'medium',
        missingData: true,
      });
    });
    it('does not fire with enough questions', () => {
      expect(run(notEnoughQuestions)).toBeNull();
    });
  });

  describe('answers-too-fast: a script, or answers relayed ready-made', () => {
    it('fires for answers below human reading time, at least half its weight', () => {
      expect(run(answersTooFast, { behaviour: { answerTimesMs: [300, 280, 310, 290] } })!.points).toBe(3);
      expect(run(answersTooFast, { behaviour: { answerTimesMs: [300, 5000, 4000, 6000] } })!.points).toBe(
        1.5,
      );
    });
    it('does not fire at a reading pace', () => {
      expect(run(answersTooFast)).toBeNull();
    });
    it("reads the page's shorter counts: a script answering at once is caught even when a loaded server saw it late", () => {
      const late = { answerTimesMs: [4200, 3900, 4400, 4100] };
      expect(run(answersTooFast, { behaviour: late })).toBeNull();
      expect(
        run(answersTooFast, { behaviour: { ...late, fastestAnswerTimesMs: [310, 290, 350, 300] } })!.points,
      ).toBe(3);
    });
    it('too slow keeps the server’s counts: a page claiming speed cannot hide a looked-up answer', () => {
      const looked = {
        answerTimesMs: [90_000, 80_000, 85_000, 95_000],
        fastestAnswerTimesMs: [4000, 4000, 4000, 4000],
      };
      expect(run(answersTooSlow, { behaviour: looked })!.points).toBe(2);
    });
  });

  describe('answers-too-slow: time to look the answers up', () => {
    it('fires for answers slower than the policy allows', () => {
      expect(
        run(answersTooSlow, { behaviour: { answerTimesMs: [90_000, 80_000, 4000, 5000] } }),
      ).toMatchObject({
        points: 1,
      });
    });
    it('does not fire at a normal pace', () => {
      expect(run(answersTooSlow)).toBeNull();
    });
  });

  describe('call-code: an employee completing a link for an impostor on the phone', () => {
    it('is decisive when the code is wrong', () => {
      expect(run(callCode, { challenge: { callCode: { asked: true, correct: false } } })).toMatchObject({
        points: 10,
        floor: 'high',
      });
      expect(callCode.decisive).toBe(true);
    });
    it('keeps the result from Verified when the code was asked and never entered', () => {
      expect(run(callCode, { challenge: { callCode: { asked: true, correct: null } } })).toMatchObject({
        floor: 'medium',
      });
    });
    it('does not fire when right, or when not asked (self-service)', () => {
      expect(run(callCode)).toBeNull();
      expect(run(callCode, { challenge: { callCode: { asked: false, correct: null } } })).toBeNull();
    });
  });
});
