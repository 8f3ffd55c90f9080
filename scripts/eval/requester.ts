// The requester's side in a real Chromium page: open the link, read the landing page, press Start (the page's own
// script collects the browser signals and posts them), answer each question page as a person with some knowledge
// would (CONTRACTS.md "Requester challenge pages"), and end on the result page, or on the wait for the manager.
import type { BrowserContext, Page } from 'playwright-core';
import { knownAnswer, type PersonKnowledge } from '@imper/dev-instance';
import { HarnessError } from './agent';
import type { Rng } from './rng';

export interface QuestionView {
  kind: string;
  legend: string;
  choices: string[];
}

export interface Answered extends QuestionView {
  picked: string;
  thinkMs: number;
}

/** Picks the text of one choice. */
export type Answerer = (q: QuestionView, index: number) => string;

export const NONE = 'None of these';

/** How the person treats the call-code question. */
export type CodeBehaviour = { code: string | null } | 'none-of-these' | 'guess';

/**
 * A person who knows `knows` about the requester (everything for the employee; some kinds for an impostor) and
 * otherwise guesses uniformly among the choices. `mistakeAt` (the n-th knowledge question, 0-based) is answered
 * wrongly on purpose: the honest slip.
 */
export function person(
  rng: Rng,
  knows: Partial<PersonKnowledge>,
  code: () => CodeBehaviour,
  o: { mistakeAt?: number } = {},
): Answerer {
  let knowledgeIndex = 0;
  return (q) => {
    if (q.kind === 'call_code') {
      const c = code();
      if (c === 'none-of-these') return NONE;
      if (c === 'guess') return rng.pick(q.choices.filter((x) => x !== NONE));
      return c.code && q.choices.includes(c.code) ? c.code : NONE;
    }
    const n = knowledgeIndex++;
    const right = knownAnswer(knows, q.kind, q.choices);
    if (o.mistakeAt === n) {
      const truth = knownAnswer(knows, q.kind, q.choices);
      return rng.pick(q.choices.filter((x) => x !== truth));
    }
    return right ?? rng.pick(q.choices);
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Marks the current document, then waits until a new one replaced it (a form post and its 303 landed). */
async function untilNewDocument(page: Page, act: () => Promise<void>): Promise<void> {
  await page.evaluate(() => ((window as unknown as { __evalOld?: boolean }).__evalOld = true));
  await act();
  await page.waitForFunction(() => !(window as unknown as { __evalOld?: boolean }).__evalOld, null, {
    timeout: 30_000,
  });
  await page.waitForLoadState('load');
}

/** Opens the link (a GET never consumes it; the page's script reports the open) and lets the page settle. */
export async function openLink(context: BrowserContext, link: string): Promise<Page> {
  const page = await context.newPage();
  const res = await page.goto(link);
  if (res?.status() !== 200) throw new HarnessError(`link answered ${res?.status()}`);
  await page.waitForLoadState('networkidle');
  return page;
}

export interface RequesterRun {
  asked: Answered[];
  /** Where the browser ended: 'result' or 'waiting' (the manager's confirmation) */
  ended: 'result' | 'waiting';
  page: Page;
}

/** Presses Start after reading for `readMs`, then answers every question with `answer`, each after `thinkMs()`. */
export async function startAndAnswer(
  page: Page,
  answer: Answerer,
  o: { readMs: number; thinkMs: () => number; afterStart?: () => Promise<void> },
): Promise<RequesterRun> {
  await sleep(o.readMs);
  await untilNewDocument(page, () => page.locator('button[data-role="start"]').click());
  await o.afterStart?.();
  const asked: Answered[] = [];
  for (let i = 0; i < 12; i++) {
    const path = new URL(page.url()).pathname;
    if (path !== '/v/challenge') break;
    const form = page.locator('form[data-step="question"]');
    await form.waitFor({ timeout: 10_000 });
    const kind = (await form.getAttribute('data-question-kind')) ?? '';
    const legend = (await form.locator('legend').innerText()).trim();
    const options = await form.locator('input[type="radio"][name="choice"]').evaluateAll((inputs) =>
      inputs.map((el) => ({
        id: el.id,
        text: (document.querySelector(`label[for="${el.id}"]`)?.textContent ?? '').trim(),
      })),
    );
    if (options.length === 0) throw new HarnessError(`question ${kind} has no choices`);
    const q: QuestionView = { kind, legend, choices: options.map((c) => c.text) };
    const picked = answer(q, i);
    const option = options.find((c) => c.text === picked);
    if (!option) throw new HarnessError(`answerer picked ${JSON.stringify(picked)}, not a choice of ${kind}`);
    const thinkMs = o.thinkMs();
    await sleep(thinkMs);
    await form.locator(`label[for="${option.id}"]`).click();
    await untilNewDocument(page, () => form.locator('button[type="submit"]').click());
    asked.push({ ...q, picked, thinkMs });
  }
  const path = new URL(page.url()).pathname;
  // Passed at Verified on a ticket whose policy has an automated action: the portal offers it at once (issue 10).
  // The evaluation stops there: the decision is what it measures; the action is the action tests' business.
  if (path === '/v/action') return { asked, ended: 'result', page };
  if (path !== '/v/result') throw new HarnessError(`the challenge ended on ${path}`);
  const waiting = (await page.locator('#waiting').count()) > 0;
  if (!waiting && (await page.locator('section.result').count()) === 0)
    throw new HarnessError(
      `the result page shows neither a result nor the wait: ${(await page.content()).slice(0, 300)}`,
    );
  return { asked, ended: waiting ? 'waiting' : 'result', page };
}

/** On the waiting page: the page's script polls /v/status and moves on by itself; waits until it shows a result. */
export async function waitForResultPage(page: Page, timeoutMs: number): Promise<void> {
  // The result, or (Passed at Verified with an automated action) the action page.
  await page.locator('section.result, form[data-step="action"]').first().waitFor({ timeout: timeoutMs });
}
