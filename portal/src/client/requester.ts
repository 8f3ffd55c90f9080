/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The requester's pages: local dates, and Start done in the page so that a network failure shows a clear "try
// again" panel instead of the browser's own error page; Start carries the silent browser signals. After Start:
// the question pages and the wait for the manager (challenge.ts). Without this script the forms post as usual.
import { wireQuestion, wireStrength, wireWaiting, signalsValue } from './challenge';
import { fill, formatTimes, role } from './common';
import { collectSignals } from './signals';

formatTimes();

const question = document.getElementById('question-form') as HTMLFormElement | null;
if (question) wireQuestion(question);
const waiting = document.getElementById('waiting');
if (waiting) wireWaiting(waiting);

const strength = role('strength');
const newPassword = document.getElementById('pw') as HTMLInputElement | null;
if (strength && newPassword) wireStrength(newPassword, strength);

const form = document.getElementById('start-form') as HTMLFormElement | null;
if (form) {
  // Tells the service a browser ran this page, so the agent sees "opened" (a scanner's GET shows as "fetched").
  if (form.dataset.opened)
    navigator.sendBeacon(
      form.dataset.opened,
      new URLSearchParams(new FormData(form) as unknown as Record<string, string>),
    );
  const button = role<HTMLButtonElement>('start', form)!;
  const checking = role('checking', form)!;
  const trouble = role('net-trouble')!;
  const progress = role('progress');
  const signals = form.querySelector<HTMLInputElement>('input[name="signals"]');
  let busy = false;

  const showStep = (step: string) => {
    if (!progress) return;
    const items = Array.from(progress.querySelectorAll<HTMLLIElement>('li[data-step]'));
    const at = Math.max(
      0,
      items.findIndex((li) => li.dataset.step === step),
    );
    items.forEach((li, i) => {
      const status = i < at ? 'done' : i === at ? 'current' : 'todo';
      li.dataset.status = status;
      if (status === 'current') li.setAttribute('aria-current', 'step');
      else li.removeAttribute('aria-current');
      li.querySelector('.sr-only')?.remove();
      const label =
        status === 'done'
          ? progress.dataset.doneLabel
          : status === 'current'
            ? progress.dataset.currentLabel
            : '';
      if (label) {
        const sr = document.createElement('span');
        sr.className = 'sr-only';
        sr.textContent = ` (${label})`;
        li.append(sr);
      }
    });
    const pos = role('progress-pos', progress);
    if (pos && progress.dataset.posTemplate)
      pos.textContent = fill(progress.dataset.posTemplate, {
        n: String(at + 1),
        total: String(items.length),
      });
  };

  const start = async () => {
    if (busy) return;
    busy = true;
    button.setAttribute('aria-disabled', 'true');
    trouble.hidden = true;
    checking.textContent = form.dataset.checking ?? '';
    showStep(form.dataset.nextStep ?? 'checks');
    // Read once per press, into the form itself: the in-page POST and the native fallback below both carry it.
    if (signals) signals.value = signalsValue(collectSignals);
    try {
      const res = await fetch(form.action, {
        method: 'POST',
        body: new URLSearchParams(new FormData(form) as unknown as Record<string, string>),
        credentials: 'same-origin',
        headers: { accept: 'text/html' },
      });
      // Started: the service redirected to the next page. Refused (used, expired, too many attempts…): post the
      // form natively so that the service's own page says what happened and what to do next.
      if (res.redirected) window.location.assign(res.url);
      else form.submit();
    } catch {
      busy = false;
      button.removeAttribute('aria-disabled');
      checking.textContent = '';
      showStep('start');
      trouble.hidden = false;
      trouble.focus();
    }
  };

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void start();
  });
  role('retry', trouble)?.addEventListener('click', () => void start());
}
