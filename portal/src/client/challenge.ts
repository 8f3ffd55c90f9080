/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The requester's pages after Start: the silent signals posted with Start, a question page (how often the answer
// was changed, a gentle countdown that never submits) and the wait for the manager's confirmation (polls the
// status, then moves on). Exported functions only, no work at import: requester.ts wires them to the page, and
// test/challenge-client.test.ts runs the pure parts.
import { fill, role } from './common';

/** The hidden `signals` field's value: the collector's payload as JSON, or empty if collecting throws. */
export function signalsValue(collect: () => unknown): string {
  try {
    return JSON.stringify(collect()) ?? '';
  } catch {
    return '';
  }
}

/** The countdown's words for the seconds left: "About N seconds left" (N rounded up to 5), or "time is up". */
export function countdownText(leftTemplate: string, upText: string, remainingSeconds: number): string {
  if (!(remainingSeconds > 0)) return upText;
  return fill(leftTemplate, { seconds: String(Math.max(5, Math.ceil(remainingSeconds / 5) * 5)) });
}

export const POLL_MS = 5000;
const POLL_MAX_MS = 60_000;
/** Every 5 s while the service answers; after failures, doubling up to a minute. */
export const pollDelay = (failures: number): number =>
  failures <= 0 ? POLL_MS : Math.min(POLL_MS * 2 ** failures, POLL_MAX_MS);

/** Where to go when the wait is over: only a same-origin address (never a redirect elsewhere), else null. */
export function safeNext(next: unknown, base: string): string | null {
  if (typeof next !== 'string' || next === '') return null;
  try {
    const url = new URL(next, base);
    const origin = new URL(base).origin;
    return url.origin === origin && (url.protocol === 'https:' || url.protocol === 'http:') ? url.href : null;
  } catch {
    return null;
  }
}

/** Counts how often the selected answer changes after the first selection (hidden `changes`), reports the
 * milliseconds from showing the question to the submit (hidden `elapsed`: the server only uses it when it is
 * shorter than its own count), shows the time left at most every 15 s in a polite live region, and ignores a
 * second press of the submit button. */
export function wireQuestion(form: HTMLFormElement): void {
  const shown = performance.now();
  const changes = form.querySelector<HTMLInputElement>('input[name="changes"]');
  const elapsed = form.querySelector<HTMLInputElement>('input[name="elapsed"]');
  let selected = form.querySelector('input[name="choice"]:checked') !== null;
  form.addEventListener('change', (e) => {
    const input = e.target as HTMLInputElement;
    if (input.name !== 'choice') return;
    if (selected && changes) changes.value = String((Number(changes.value) || 0) + 1);
    selected = true;
  });
  let sent = false;
  form.addEventListener('submit', (e) => {
    if (sent) e.preventDefault();
    else if (elapsed) elapsed.value = String(Math.round(performance.now() - shown));
    sent = true;
    form.querySelector('button[type="submit"]')?.setAttribute('aria-disabled', 'true');
  });
  // Back/forward cache: a page shown again may be sent again.
  window.addEventListener('pageshow', () => {
    sent = false;
    form.querySelector('button[type="submit"]')?.removeAttribute('aria-disabled');
  });

  const countdown = role('countdown');
  const limit = Number(countdown?.dataset.seconds);
  if (!countdown || !(limit > 0)) return;
  const started = Date.now();
  const timer = window.setInterval(() => {
    const remaining = limit - (Date.now() - started) / 1000;
    countdown.textContent = countdownText(
      countdown.dataset.leftTemplate ?? '',
      countdown.dataset.up ?? '',
      remaining,
    );
    if (remaining <= 0) window.clearInterval(timer);
  }, 15_000);
}

/** Polls `data-status-url` (`{ done, next? }`) and, once done, goes to `next` (same origin only) or reloads. */
export function wireWaiting(section: HTMLElement): void {
  const url = section.dataset.statusUrl;
  if (!url) return;
  const status = role('wait-status', section);
  let failures = 0;
  let timer: number | undefined;
  const schedule = () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void poll(), pollDelay(failures));
  };
  const poll = async () => {
    try {
      const res = await fetch(url, {
        credentials: 'same-origin',
        cache: 'no-store',
        headers: { accept: 'application/json' },
      });
      if (!res.ok) throw new Error(`status ${res.status}`);
      const body = (await res.json()) as { done?: unknown; next?: unknown };
      failures = 0;
      if (status) status.textContent = '';
      if (body.done === true) {
        const next = safeNext(body.next, window.location.href);
        if (next) window.location.assign(next);
        else window.location.reload();
        return;
      }
    } catch {
      failures += 1;
      if (status && failures >= 2) status.textContent = section.dataset.trouble ?? '';
    }
    schedule();
  };
  // Back in view (a phone's browser woken up): ask at once rather than wait out the delay.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') {
      window.clearTimeout(timer);
      void poll();
    }
  });
  schedule();
}

/**
 * The new-password hint: length against the minimum, as the person types (the server's check is the real one: it
 * knows the common-password list and the person's names, which a page script must not carry).
 */
export function strengthText(
  length: number,
  min: number,
  labels: { short: string; ok: string; strong: string },
) {
  if (length === 0) return '';
  if (length < min) return labels.short;
  return length >= min + 8 ? labels.strong : labels.ok;
}

export function wireStrength(input: HTMLInputElement, out: HTMLElement): void {
  const min = Number(out.dataset.min) || 15;
  const labels = {
    short: out.dataset.short ?? '',
    ok: out.dataset.ok ?? '',
    strong: out.dataset.strong ?? '',
  };
  let last = '';
  input.addEventListener('input', () => {
    const next = strengthText([...input.value].length, min, labels);
    // Only announce a change of band, not every keystroke (aria-live).
    if (next !== last) out.textContent = last = next;
  });
}
