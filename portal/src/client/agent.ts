/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The agent's send page, live: sends, resends and cancels through the JSON API without leaving the page, and
// polls the verification every 2 s while it is under way (sent → delivered or failed → opened → in progress →
// outcome). Without this script the page's forms post and a "Refresh status" link reloads it.
import type { AgentVerificationView, ErrorResponse } from '@imper/shared';
import { MESSAGES, isMessageKey, text, type Locale, type MessageKey } from '../i18n';
import { isActiveState, statusLineKey, stepStatusKey, timeline } from '../status';
import { formatTimes, role } from './common';

const POLL_MS = 2000;
const lang = document.documentElement.lang;
const locale: Locale = lang in MESSAGES ? (lang as Locale) : 'en';
const t = (key: MessageKey, vars?: Record<string, string>) => text(locale, key, vars);

const section = document.getElementById('verification') as HTMLElement;
const sendSection = document.getElementById('send') as HTMLElement | null;
const form = document.getElementById('send-form') as HTMLFormElement | null;
const csrf = (document.querySelector('input[name="csrf"]') as HTMLInputElement | null)?.value ?? '';
const trouble = role('net-trouble', section)!;
const opError = role('op-error', section)!;
let timer: number | undefined;
let failures = 0;
let last = '';

formatTimes();
role('refresh', section)?.setAttribute('hidden', ''); // the page keeps itself current

/** Error text for people: the service's own (English) message, or this language's words for the code. */
function errorText(body: Partial<ErrorResponse> | null): string {
  const code = body?.error?.code;
  const key = `error.${code}.body`;
  if (locale !== 'en' && code && isMessageKey(key)) return t(key);
  return body?.error?.message ?? t('agent.opFailed');
}

async function api(path: string, init: RequestInit = {}): Promise<{ status: number; body: unknown }> {
  const res = await fetch(path, {
    ...init,
    credentials: 'same-origin',
    headers: {
      accept: 'application/json',
      'x-csrf-token': csrf,
      ...(init.body ? { 'content-type': 'application/json' } : {}),
    },
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

function setRow(name: string, content: string | Node | null) {
  const wrap = section.querySelector<HTMLElement>(`[data-row="${name}"]`);
  const dd = wrap?.querySelector<HTMLElement>('dd');
  if (!wrap || !dd) return;
  wrap.hidden = content === null || content === '';
  dd.replaceChildren(...(content === null ? [] : [content]));
}

function render(v: AgentVerificationView) {
  const snapshot = JSON.stringify(v);
  if (snapshot === last) return;
  last = snapshot;
  const active = isActiveState(v.state);
  section.hidden = false;
  section.dataset.id = v.id;
  section.dataset.state = v.state;
  section.querySelector('#vh')!.textContent = t('verification.heading', { id: v.id });
  const state = section.querySelector<HTMLElement>('[data-field="state"]')!;
  const stateText = t(statusLineKey(v));
  if (state.textContent !== stateText) state.textContent = stateText;
  state.className = `state state-${v.state}`;

  const list = section.querySelector('.timeline')!;
  list.replaceChildren(
    ...timeline(v).map((s) => {
      const li = document.createElement('li');
      li.dataset.step = s.key;
      li.dataset.status = s.status;
      if (s.status === 'current') li.setAttribute('aria-current', 'step');
      const label = document.createElement('span');
      label.className = 'step-label';
      label.textContent = t(s.label);
      const sr = document.createElement('span');
      sr.className = 'sr-only step-status';
      sr.textContent = `(${t(stepStatusKey(s.status))})`;
      li.append(label, ' ', sr);
      return li;
    }),
  );

  const dest = document.createDocumentFragment();
  dest.append(`${t(`channel.${v.channel}`)} ${v.destinationMasked}`);
  if (!v.destinationOnFile) {
    const warn = document.createElement('span');
    warn.className = 'warn';
    warn.textContent = t('verification.notOnFile');
    dest.append(' ', warn);
  }
  setRow('destination', dest);
  if (active) {
    const time = document.createElement('time');
    time.className = 'local-time';
    time.dateTime = v.linkExpiresAt;
    setRow('expires', time);
    formatTimes(section);
  } else setRow('expires', null);
  setRow('risk', v.riskLevel ? t(`risk.${v.riskLevel}`) : null);
  section.querySelector('[data-field="risk"]')!.className = `risk risk-${v.riskLevel ?? ''}`;
  setRow('recommendation', v.riskLevel ? t(`recommendation.${v.riskLevel}`) : (v.recommendation ?? null));
  setRow('attention', v.attention ?? null);
  // Number matching: the code the agent reads to the caller, only while the verification is under way.
  const callCode = role('call-code', section);
  const code = section.querySelector<HTMLElement>('[data-call-code]');
  if (callCode && code) {
    const value = active ? (v.callCode ?? '') : '';
    if (code.textContent !== value) code.textContent = value;
    callCode.hidden = value === '';
  }

  for (const f of Array.from(section.querySelectorAll<HTMLFormElement>('form[data-op]'))) {
    f.action = `/agent/verifications/${v.id}/${f.dataset.op}`;
    f.hidden = !active || (f.dataset.op === 'resend' && v.state === 'in_progress');
  }
  if (sendSection) {
    if (!active && sendSection.hidden)
      sendSection.querySelector('#sh')!.textContent = t('agent.sendNewHeading');
    sendSection.hidden = active;
  }
}

function schedule(delay = POLL_MS) {
  window.clearTimeout(timer);
  timer = window.setTimeout(() => void poll(), delay);
}

async function poll() {
  const id = section.dataset.id;
  if (!id) return;
  try {
    const { status, body } = await api(`/agent/api/verifications/${encodeURIComponent(id)}`);
    if (status === 401) return window.location.reload(); // the session ended: the page says what to do next
    if (status !== 200) throw new Error(`status ${status}`);
    failures = 0;
    trouble.hidden = true;
    const v = body as AgentVerificationView;
    render(v);
    if (isActiveState(v.state)) schedule();
  } catch {
    failures += 1;
    trouble.hidden = false;
    schedule(Math.min(POLL_MS * 2 ** failures, 15_000));
  }
}

role('retry', trouble)?.addEventListener('click', () => {
  trouble.hidden = true;
  schedule(0);
});

// Resend and cancel in the page.
for (const f of Array.from(section.querySelectorAll<HTMLFormElement>('form[data-op]'))) {
  f.addEventListener('submit', (e) => {
    e.preventDefault();
    const id = section.dataset.id;
    if (!id) return;
    const button = f.querySelector('button')!;
    button.setAttribute('aria-disabled', 'true');
    opError.hidden = true;
    api(`/agent/api/verifications/${encodeURIComponent(id)}/${f.dataset.op}`, { method: 'POST' })
      .then(({ status, body }) => {
        if (status !== 200) {
          opError.textContent = errorText(body as ErrorResponse | null);
          opError.hidden = false;
          return;
        }
        render(body as AgentVerificationView);
        schedule();
        (section.querySelector('#vh') as HTMLElement).focus();
      })
      .catch(() => {
        opError.textContent = t('agent.netTrouble');
        opError.hidden = false;
      })
      .finally(() => button.removeAttribute('aria-disabled'));
  });
}

// Sending in the page.
if (form) {
  const destination = form.querySelector<HTMLInputElement>('#destination')!;
  const typed = form.querySelector<HTMLInputElement>('#typed')!;
  const formError = role('form-error', form)!;
  const sendButton = role<HTMLButtonElement>('send', form)!;
  // Picking a contact shows its channel; typing a destination selects "another address or number".
  form.addEventListener('change', (e) => {
    const input = e.target as HTMLInputElement;
    if (input.name === 'contact' && input.dataset.channel) {
      const channel = form.querySelector<HTMLInputElement>(
        `input[name="channel"][value="${input.dataset.channel}"]`,
      );
      if (channel) channel.checked = true;
    }
  });
  destination.addEventListener('input', () => {
    if (destination.value) typed.checked = true;
  });

  let busy = false;
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (busy) return;
    const data = new FormData(form);
    const contact = String(data.get('contact') ?? 'typed');
    const channel = String(data.get('channel') ?? 'sms');
    let body: Record<string, string>;
    if (contact === 'typed') {
      const value = destination.value.trim();
      if (!value) {
        formError.textContent = t('agent.destinationRequired');
        formError.hidden = false;
        destination.setAttribute('aria-invalid', 'true');
        destination.focus();
        return;
      }
      body = { channel, destination: value };
    } else {
      const [contactChannel = '', key = ''] = contact.split(':');
      body = { channel: contactChannel, contactKey: key };
    }
    busy = true;
    formError.hidden = true;
    destination.removeAttribute('aria-invalid');
    sendButton.setAttribute('aria-disabled', 'true');
    sendButton.textContent = t('agent.sending');
    api('/agent/api/verifications', { method: 'POST', body: JSON.stringify(body) })
      .then(({ status, body: answer }) => {
        if (status !== 201) {
          formError.textContent = errorText(answer as ErrorResponse | null);
          formError.hidden = false;
          return;
        }
        render(answer as AgentVerificationView);
        schedule();
        (section.querySelector('#vh') as HTMLElement).focus();
      })
      .catch(() => {
        formError.textContent = t('agent.netTrouble');
        formError.hidden = false;
      })
      .finally(() => {
        busy = false;
        sendButton.removeAttribute('aria-disabled');
        sendButton.textContent = t('agent.send');
      });
  });
}

if (section.dataset.id && isActiveState(section.dataset.state as AgentVerificationView['state'])) schedule();
