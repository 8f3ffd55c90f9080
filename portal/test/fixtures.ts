// Sample data for the page tests: one valid value of each requester page's input, overridable per test.
import type { AttestationPageData, LandingData, QuestionPageData } from '../src';

export const landingData = (over: Partial<LandingData> = {}): LandingData => ({
  helpdeskName: 'Acme',
  ticketNumber: 'INC1',
  agentName: 'Beth',
  requesterName: 'Abel',
  expiresAt: new Date(),
  token: 't'.repeat(43),
  csrf: 'c',
  ...over,
});

export const questionData = (over: Partial<QuestionPageData> = {}): QuestionPageData => ({
  helpdeskName: 'Acme',
  csrf: 'c',
  action: '/v/challenge',
  question: {
    id: 'q1',
    kind: 'manager',
    prompt: { key: 'challenge.question.manager', params: {} },
    choices: [{ id: 'a', text: 'None of these' }],
    timeLimitSeconds: 60,
  },
  position: { n: 1, total: 3 },
  ...over,
});

export const attestationData = (over: Partial<AttestationPageData> = {}): AttestationPageData => ({
  helpdeskName: 'Acme',
  requesterName: 'Abel',
  ticketNumber: 'INC1',
  ticketSubject: 'Reset',
  agentName: 'Beth',
  reason: 'medium_risk',
  csrf: 'c',
  action: '/attest/x',
  expiresAt: new Date(),
  ...over,
});
