// The requester's side of a verification over HTTP, as a person (or an impostor) goes through it: present a device
// (user agent, client hints, address, the browser collector's payload), press Start, answer the questions. Answers
// come from what the person knows (`personKnowledge` of the stand-in's seed) and the call code the agent reads.
import type { SignalsPayload } from '@imper/shared';
import { knownAnswer, personKnowledge, type PersonKnowledge } from '@imper/dev-instance';
import type { TestApp } from './helper';
import { Browser, eventually, hiddenField } from './browser-client';
import { freshLink, open, ticketsWithContacts, ticketView, type TicketRef } from './flows';
import { CHROME_WIN, CHROME_WIN_HINTS, chromeWinPayload, HEADLESS } from './signals/fixtures';

export interface Device {
  /** The client address the demo/test proxy header presents (TRUST_PROXY trusts loopback in tests) */
  ip: string;
  headers: Record<string, string>;
  /** The collector's payload; null = the page's script did not run */
  payload: SignalsPayload | null;
}

/** Residential networks and the matching time zone per country the stand-in's offices are in. */
export const HOME = {
  US: { net: '73.10', timeZone: 'America/New_York', lang: 'en-US' }, // Comcast
  GB: { net: '86.150', timeZone: 'Europe/London', lang: 'en-GB' }, // BT
  DE: { net: '84.128', timeZone: 'Europe/Berlin', lang: 'de-DE' }, // Deutsche Telekom
} as const;

let homes = 0;
/**
 * A home address in `country`, a different one on every call: each person is at their own home (the same address
 * for several requesters is itself a signal).
 */
export function homeIp(country: keyof typeof HOME): string {
  homes = (homes % 250) + 1;
  return `${HOME[country].net}.${homes}.20`;
}
export const HOSTING_IP = '52.95.110.1'; // Amazon (hosting list)
export const TOR_IP = '185.220.101.1';

const chromeWinHeadersRaw = { 'user-agent': CHROME_WIN, ...CHROME_WIN_HINTS };

/** Chrome on a Windows desktop at home in `country`: what a genuine employee's browser looks like. */
export function desktopChrome(country: keyof typeof HOME = 'US', ip: string = homeIp(country)): Device {
  const home = HOME[country];
  return {
    ip,
    headers: { ...chromeWinHeadersRaw, 'accept-language': `${home.lang},en;q=0.9` },
    payload: chromeWinPayload({ languages: [home.lang, 'en'], timeZone: home.timeZone }),
  };
}

/** A headless Chromium as automation drives it, without disguise. */
export function headlessBot(ip: string = homeIp('US')): Device {
  return {
    ip,
    headers: { 'user-agent': HEADLESS, 'accept-language': 'en-US' },
    payload: chromeWinPayload({
      userAgent: HEADLESS,
      webdriver: true,
      languages: [],
      pluginsCount: 0,
      webglRenderer: 'Google SwiftShader',
      userAgentData: null,
    }),
  };
}

/** A browser presenting `device` on every request. */
export function deviceBrowser(device: Device): Browser {
  const b = new Browser();
  b.identity = { ...device.headers, 'x-forwarded-for': device.ip };
  return b;
}

/** The locations a person's office is in → the HOME entry for it. */
export function homeCountryOf(t: Pick<TestApp, 'standin'>, userSysId: string): keyof typeof HOME {
  const user = t.standin.store.get('sys_user', userSysId);
  const loc = user?.location ? t.standin.store.get('cmn_location', String(user.location)) : null;
  const c = String(loc?.country ?? '').toLowerCase();
  return c.includes('kingdom') ? 'GB' : c.includes('germany') ? 'DE' : 'US';
}

export const knowledgeOf = (t: Pick<TestApp, 'standin'>, userSysId: string): PersonKnowledge =>
  personKnowledge(t.standin.store, userSysId);

export interface QuestionSeen {
  kind: string;
  legend: string;
  choices: { id: string; text: string }[];
  csrf: string;
  questionId: string;
}

const unescape = (s: string) =>
  s
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();

/** Reads a question page by its contract (CONTRACTS.md "Requester challenge pages"). */
export function readQuestion(html: string): QuestionSeen {
  const form = /<form[^>]*data-step="question"[^>]*>[\s\S]*?<\/form>/.exec(html)?.[0];
  if (!form) throw new Error('no question form on the page');
  const kind = /data-question-kind="([^"]+)"/.exec(form)?.[1] ?? '';
  const legend = unescape(/<legend[^>]*>([\s\S]*?)<\/legend>/.exec(form)?.[1] ?? '');
  const labels = new Map<string, string>();
  for (const m of form.matchAll(/<label[^>]*for="([^"]+)"[^>]*>([\s\S]*?)<\/label>/g))
    labels.set(m[1]!, unescape(m[2]!));
  const choices: { id: string; text: string }[] = [];
  for (const m of form.matchAll(/<input[^>]*type="radio"[^>]*>/g)) {
    const tag = m[0];
    const value = /value="([^"]*)"/.exec(tag)?.[1];
    const id = /id="([^"]*)"/.exec(tag)?.[1];
    if (value && id) choices.push({ id: unescape(value), text: labels.get(id) ?? '' });
  }
  return {
    kind,
    legend,
    choices,
    csrf: hiddenField(form, 'csrf'),
    questionId: hiddenField(form, 'question'),
  };
}

/** How the requester picks an answer: a choice's text, or null to submit without one. */
export type Answerer = (q: QuestionSeen) => string | null;

/** A person who knows `knowledge` (all of it for a genuine employee) and was read `callCode` (if any). */
export function answerAs(
  knowledge: Partial<PersonKnowledge>,
  callCode: string | null,
  unknown: (q: QuestionSeen) => string | null = (q) => q.choices[0]?.text ?? null,
): Answerer {
  return (q) => {
    if (q.kind === 'call_code') return callCode ?? 'None of these';
    return (
      knownAnswer(
        knowledge,
        q.kind,
        q.choices.map((c) => c.text),
      ) ?? unknown(q)
    );
  };
}

export interface ChallengeRun {
  /** The final page (the result, or the wait for the manager) */
  final: { status: number; text: string; location: string | null };
  asked: QuestionSeen[];
}

/** Presses Start as `device` (with its collector payload) and returns the response. */
export function startAs(phone: Browser, link: string, csrf: string, device: Device) {
  const form: Record<string, string> = { csrf };
  if (device.payload) form.signals = JSON.stringify(device.payload);
  return phone.request(`${link}/start`, { method: 'POST', form });
}

/** Answers every question the service asks with `answer`, then reads the page it ends on. */
export async function answerChallenge(
  t: Pick<TestApp, 'url'> & Partial<Pick<TestApp, 'clock'>>,
  phone: Browser,
  answer: Answerer,
  o: {
    beforeEach?: (q: QuestionSeen) => Promise<void>;
    thinkMs?: number;
    /** Really wait this long per question (for a service whose clock the test cannot move, e.g. the demo) */
    realWaitMs?: number;
    /** What the page's script reports as the time from showing the question to the submit (`elapsed`) */
    pageElapsed?: string;
  } = {},
): Promise<ChallengeRun> {
  // A person reads each question for a few seconds: the app's clock skips that time (answers faster than a
  // person reads are a bot's signal).
  const thinkMs = o.thinkMs ?? 4000;
  const asked: QuestionSeen[] = [];
  for (let i = 0; i < 12; i++) {
    const page = await phone.get(`${t.url}/v/challenge`);
    if (page.status === 303) {
      let final = await phone.get(`${t.url}${page.location}`);
      // Passed at Verified with an automated action to do: the result sends the browser on to the action page.
      if (final.status === 303 && final.location) final = await phone.get(`${t.url}${final.location}`);
      return { final, asked };
    }
    if (page.status !== 200)
      throw new Error(`question page answered ${page.status}: ${page.text.slice(0, 200)}`);
    const q = readQuestion(page.text);
    asked.push(q);
    await o.beforeEach?.(q);
    t.clock?.advance?.(thinkMs);
    if (o.realWaitMs) await new Promise((r) => setTimeout(r, o.realWaitMs));
    const text = answer(q);
    const choice = text === null ? undefined : q.choices.find((c) => c.text === text)?.id;
    const res = await phone.request(`${t.url}/v/challenge`, {
      method: 'POST',
      form: {
        csrf: q.csrf,
        question: q.questionId,
        ...(choice ? { choice } : {}),
        changes: '0',
        ...(o.pageElapsed !== undefined ? { elapsed: o.pageElapsed } : {}),
      },
    });
    if (res.status !== 303) throw new Error(`answer answered ${res.status}: ${res.text.slice(0, 200)}`);
  }
  throw new Error('the challenge did not end after 12 pages');
}

/** The call code the agent's page shows for the ticket's active verification (null when none). */
export async function callCodeFor(t: Pick<TestApp, 'url'>, agent: Browser): Promise<string | null> {
  const v = (await ticketView(t, agent)).verification as { callCode?: string } | undefined;
  return v?.callCode ?? null;
}

/**
 * The genuine requester: opens the link on their own desktop at home, presses Start, answers what they know and
 * the code the agent reads them (`agent` null: a self-service or API start, which has no call code). Returns the
 * run; the verification's row tells the outcome.
 */
export async function verifyAsGenuine(
  t: TestApp,
  agent: Browser | null,
  link: string,
  requesterSysId: string,
  o: { device?: Device; phone?: Browser; pageElapsed?: string } = {},
): Promise<ChallengeRun> {
  const device = o.device ?? desktopChrome(homeCountryOf(t, requesterSysId));
  const phone = o.phone ?? deviceBrowser(device);
  const csrf = await open(phone, link);
  const started = await startAs(phone, link, csrf, device);
  if (started.status !== 303)
    throw new Error(`start answered ${started.status}: ${started.text.slice(0, 200)}`);
  const code = agent ? await callCodeFor(t, agent) : null;
  return answerChallenge(t, phone, answerAs(knowledgeOf(t, requesterSysId), code), {
    ...(o.pageElapsed !== undefined ? { pageElapsed: o.pageElapsed } : {}),
  });
}

/**
 * Two finished verifications made through the real flows on two tickets with contacts: one genuine (Passed at
 * Verified) and one where the requester picks a wrong choice on every knowledge question (Failed). Waits until the
 * failed one is decided.
 */
export async function passedAndFailed(
  t: TestApp,
  seen: Set<string>,
): Promise<{ passedId: string; failedId: string }> {
  const [good, bad] = ticketsWithContacts(t, 2) as [TicketRef, TicketRef];
  const a = await freshLink(t, good, { seen });
  const passed = await verifyAsGenuine(t, a.agent, a.link, good.caller.sys_id);
  if (passed.final.status !== 200) throw new Error(`the genuine run ended with ${passed.final.status}`);
  const b = await freshLink(t, bad, { seen });
  const device = desktopChrome(homeCountryOf(t, bad.caller.sys_id));
  const phone = deviceBrowser(device);
  await startAs(phone, b.link, await open(phone, b.link), device);
  const code = await callCodeFor(t, b.agent);
  const truths = knowledgeOf(t, bad.caller.sys_id);
  await answerChallenge(t, phone, (q) => {
    if (q.kind === 'call_code') return code;
    const right = answerAs(truths, null)(q);
    return q.choices.find((c) => c.text !== right)!.text;
  });
  await eventually(async () => {
    const v = await t.deps.db
      .selectFrom('verifications')
      .select('state')
      .where('public_id', '=', b.publicId)
      .executeTakeFirst();
    return v?.state === 'failed';
  });
  return { passedId: a.publicId, failedId: b.publicId };
}
