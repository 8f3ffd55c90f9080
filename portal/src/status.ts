// What the agent sees of a verification's progress, as plain data: used by the server-rendered page and by the
// page's script when it updates the same elements live. Never anything but state, delivery, outcome, risk level.
import type { AgentVerificationView, VerificationState } from '@imper/shared';
import type { MessageKey } from './i18n';

export type StepStatus = 'done' | 'current' | 'failed' | 'todo';
export const TIMELINE_KEYS = ['sent', 'delivered', 'opened', 'in_progress', 'outcome'] as const;
export type TimelineKey = (typeof TIMELINE_KEYS)[number];
export interface TimelineStep {
  key: TimelineKey;
  label: MessageKey;
  status: StepStatus;
}

const FINAL: readonly VerificationState[] = ['passed', 'failed', 'incomplete', 'timed_out', 'canceled'];
export const isActiveState = (state: VerificationState) => !FINAL.includes(state);

/** sent → delivered (or failed) → opened → in progress → outcome. */
export function timeline(v: AgentVerificationView): TimelineStep[] {
  const delivery = v.delivery?.status;
  const final = FINAL.includes(v.state);
  const started = v.state === 'in_progress' || (final && v.state !== 'canceled' && v.state !== 'timed_out');
  const opened = Boolean(v.linkOpenedAt) || started;
  const delivered = delivery === 'delivered' || delivery === 'opened' || opened;
  const deliveryFailed = delivery === 'failed' && !opened;
  const sent = delivered || deliveryFailed || delivery === 'sent' || (v.state !== 'sending' && !final);
  const reached = [sent, delivered || deliveryFailed, opened, started, final];
  const firstOpen = reached.indexOf(false);
  return TIMELINE_KEYS.map((key, i) => {
    let status: StepStatus = reached[i] ? 'done' : i === firstOpen && !final ? 'current' : 'todo';
    if (key === 'delivered' && deliveryFailed) status = 'failed';
    const label: MessageKey =
      key === 'delivered' && deliveryFailed ? 'timeline.deliveryFailed' : `timeline.${key}`;
    return { key, label, status };
  });
}

export const stepStatusKey = (s: StepStatus): MessageKey => `timeline.${s}`;

/**
 * The status line above the timeline, in step with it: while the link is out, it says what the requester has done
 * so far (delivered, opened) rather than a bare "waiting", so it never contradicts the step bar.
 */
export function statusLineKey(v: AgentVerificationView): MessageKey {
  if (v.state !== 'sent') return `state.${v.state}`;
  const steps = timeline(v);
  const reached = (key: TimelineKey) => steps.find((s) => s.key === key)?.status === 'done';
  if (steps.some((s) => s.key === 'delivered' && s.status === 'failed')) return 'state.sent.deliveryFailed';
  if (reached('opened')) return 'state.sent.opened';
  if (reached('delivered')) return 'state.sent.delivered';
  return 'state.sent';
}
