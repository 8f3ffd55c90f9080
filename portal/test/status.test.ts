// The agent's status line agrees with the step bar (issue 9 §7: it said "Link sent - waiting" while the bar showed
// the link opened and In progress next).
import type { AgentVerificationView } from '@imper/shared';
import { MESSAGES } from '../src/i18n';
import { statusLineKey, timeline } from '../src/status';

const base: AgentVerificationView = {
  id: 'VRF-7Q2K9M',
  state: 'sent',
  channel: 'sms',
  destinationMasked: '+•••••••0100',
  destinationOnFile: true,
  linkExpiresAt: '2026-12-01T10:10:00.000Z',
  createdAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:00:00.000Z',
};
const at = (over: Partial<AgentVerificationView>) => ({ ...base, ...over });
const delivery = (status: 'sent' | 'delivered' | 'failed') => ({
  status,
  provider: 'twilio',
  updatedAt: '2026-12-01T10:00:05.000Z',
});

describe('status line', () => {
  it.each([
    ['sent, not yet delivered', at({ delivery: delivery('sent') }), 'state.sent'],
    ['delivered', at({ delivery: delivery('delivered') }), 'state.sent.delivered'],
    [
      'opened',
      at({ delivery: delivery('delivered'), linkOpenedAt: '2026-12-01T10:01:00.000Z' }),
      'state.sent.opened',
    ],
    ['delivery failed', at({ delivery: delivery('failed') }), 'state.sent.deliveryFailed'],
    ['in progress', at({ state: 'in_progress' }), 'state.in_progress'],
    ['passed', at({ state: 'passed' }), 'state.passed'],
  ] as const)('%s → %s', (_what, v, key) => {
    expect(statusLineKey(v)).toBe(key);
    // Every key it can give has words in every language.
    for (const messages of Object.values(MESSAGES)) expect(messages[key]).toBeTruthy();
  });

  it('never says "waiting for the requester" to open once the step bar shows the link opened', () => {
    const v = at({ delivery: delivery('delivered'), linkOpenedAt: '2026-12-01T10:01:00.000Z' });
    expect(timeline(v).find((s) => s.key === 'opened')?.status).toBe('done');
    expect(MESSAGES.en[statusLineKey(v)]).toBe('Link opened - waiting for the requester to start');
  });
});
