// The requester's pages on a phone (375 × 812): keyboard-only completion (Start and every question page), network
// trouble with a retry, the pages for expired / already used / not valid / no session / too many attempts (each
// saying what to do next), French by Accept-Language, all scanned by axe and photographed. The browser is headless
// Chromium as automation drives it, so the service (rightly) does not verify it: these tests check how the pages
// behave and that the result page renders, not the outcome (agent-and-requester.test.ts has the genuine path).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { knownAnswer } from '@imper/dev-instance';
import { build, type TestApp } from '../helper';
import type { Browser as HttpBrowser } from '../browser-client';
import { freshLink, ticketsWithContacts, type TicketRef } from '../flows';
import { callCodeFor, knowledgeOf } from '../requester';
import { RequesterPage, RESULT_TITLES, type QuestionOnPage } from './pages/requester-pages';
import {
  DESKTOP,
  PHONE,
  launchChromium,
  layoutShift,
  newContext,
  record,
  requirePortalBuild,
  screenshot,
} from './support';

let t: TestApp;
let browser: Browser;
let tickets: TicketRef[];
// Real time plus an offset the expiry test moves (launch tokens are minted on real time).
let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  requirePortalBuild();
  [t, browser] = await Promise.all([build({ clock }), launchChromium()]);
  await t.startWorker({ pollInterval: 50 });
  tickets = ticketsWithContacts(t, 6);
}, 60_000);
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await t?.close();
});

async function phone(opts = PHONE): Promise<{ page: Page; requester: RequesterPage }> {
  const context = await newContext(browser, t, opts);
  contexts.push(context);
  const page = await context.newPage();
  return { page, requester: new RequesterPage(page) };
}

/** The requester of `ticket` answers the code `agent` reads them and what they know about themselves. */
async function answersFor(ticket: TicketRef, agent: HttpBrowser) {
  const code = await callCodeFor(t, agent);
  expect(code).toMatch(/^\d{2}$/);
  const knowledge = knowledgeOf(t, ticket.caller.sys_id);
  return (q: QuestionOnPage): string | null =>
    q.kind === 'call_code' ? code : knownAnswer(knowledge, q.kind, q.choices);
}

/** Each question page: axe-clean and photographed, no wider than the phone, the Questions step current. */
const checkQuestionPage =
  (requester: RequesterPage, name: string, step = 'Questions') =>
  async (q: QuestionOnPage, i: number): Promise<void> => {
    expect(q.choices.length).toBeGreaterThanOrEqual(3);
    await expect(requester.currentStep().textContent()).resolves.toBe(step);
    expect(await requester.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      375,
    );
    await record(requester.page, `${name}-${i + 1}-${q.kind}-phone`);
  };

/** After the last answer: a result page (whatever the outcome), at the Result step, axe-clean. */
async function expectResultPage(requester: RequesterPage, name: string, step = 'Result') {
  expect(new URL(requester.page.url()).pathname).toBe('/v/result');
  expect(RESULT_TITLES).toContain(await requester.heading().textContent());
  await expect(requester.currentStep().textContent()).resolves.toBe(step);
  await record(requester.page, name);
}

describe('the start page', () => {
  it('says where requesters, agents and security staff go, on a phone and on a desktop, with an icon', async () => {
    for (const [opts, name] of [
      [PHONE, 'home-phone'],
      [DESKTOP, 'home-desktop'],
    ] as const) {
      const { page } = await phone(opts);
      const res = await page.goto(`${t.url}/`);
      expect(res?.status()).toBe(200);
      await expect(page.locator('h1').textContent()).resolves.toBe(
        'Identity verification for your IT helpdesk',
      );
      expect(await page.locator('main h2').allTextContents()).toEqual([
        'You were sent a link',
        'Helpdesk agents',
        'Security and helpdesk leads',
      ]);
      // Nothing wider than the screen (375 px phones).
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      const icon = await page.request.get(`${t.url}/favicon.ico`);
      expect([icon.status(), icon.headers()['content-type']]).toEqual([200, 'image/svg+xml']);
      await record(page, name);
    }
  });
});

describe('requester pages', () => {
  it('can be completed with the keyboard alone, with a visible focus and a progress indicator', async () => {
    const ticket = tickets[0]!;
    const { link, agent } = await freshLink(t, ticket);
    const { page, requester } = await phone();
    await page.goto(link);
    await expect(requester.progress().textContent()).resolves.toContain('Step 1 of 4');
    // Tab from the top: the skip link first, then on to Start.
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Skip to content');
    for (
      let i = 0;
      i < 10 && (await page.evaluate(() => document.activeElement?.textContent)) !== 'Start';
      i++
    )
      await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Start');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).not.toBe('none');
    await screenshot(page, 'requester-landing-focus-phone');
    await Promise.all([page.waitForURL(/\/v\/challenge$/), page.keyboard.press('Enter')]);

    // Every question page, with the keyboard alone: Tab into the choices, arrows, Space, Tab to Continue, Enter.
    const pick = await answersFor(ticket, agent);
    const check = checkQuestionPage(requester, 'requester-question-keyboard');
    const outlines: string[] = [];
    const asked: QuestionOnPage[] = [];
    for (let i = 0; i < 12; i++) {
      const q = await requester.question();
      if (!q) break;
      asked.push(q);
      await expect(requester.progress().textContent()).resolves.toContain('Step 3 of 4');
      await check(q, i);
      const answer = pick(q);
      expect({ kind: q.kind, answer }).toEqual({ kind: q.kind, answer: expect.any(String) });
      const focus = await requester.answerWithKeyboard(answer!);
      outlines.push(focus.choiceOutline, focus.submitOutline);
    }
    expect(asked[0]?.kind).toBe('call_code');
    expect(asked.length).toBeGreaterThanOrEqual(4);
    for (const o of outlines) expect(o).not.toBe('none'); // a visible focus on every choice and button
    await expectResultPage(requester, 'requester-result-keyboard-phone');
  }, 60_000);

  it('shows a clear network-trouble message with a retry when Start cannot reach the server, and the retry works', async () => {
    const ticket = tickets[1]!;
    const { link, agent } = await freshLink(t, ticket);
    const { page, requester } = await phone();
    await page.goto(link);
    await page.route('**/v/*/start', (route) => route.abort('internetdisconnected'));
    await requester.startButton().click();
    await requester.networkTrouble().waitFor({ state: 'visible' });
    await expect(requester.networkTrouble().textContent()).resolves.toContain('Network trouble');
    await expect(requester.networkTrouble().textContent()).resolves.toContain('Check that you are online');
    await expect(requester.currentStep().textContent()).resolves.toBe('Start'); // nothing moved on
    await record(page, 'requester-network-trouble-phone');
    await page.unroute('**/v/*/start');
    await Promise.all([page.waitForURL(/\/v\/challenge$/), requester.retryButton().click()]);
    // The retried Start opened the challenge; the requester answers it to the end.
    const asked = await requester.answerAll(await answersFor(ticket, agent), {
      each: checkQuestionPage(requester, 'requester-question-after-retry'),
    });
    expect(asked[0]?.kind).toBe('call_code');
    expect(asked.length).toBeGreaterThanOrEqual(4);
    await expectResultPage(requester, 'requester-result-after-retry-phone');
  }, 60_000);

  it('says what happened and what to do next when the link was already used, is not valid, or there is no verification', async () => {
    const { link } = await freshLink(t, tickets[2]!);
    const { page, requester } = await phone();
    await page.goto(link);
    await requester.start();
    const other = await phone();
    await other.page.goto(link);
    await expect(other.requester.heading().textContent()).resolves.toBe('This link was already used');
    await expect(other.requester.whatNext().textContent()).resolves.toContain(
      'If that was not you, tell your helpdesk right away',
    );
    await record(other.page, 'requester-error-used-phone');

    await other.page.goto('/v/not-a-real-link');
    await expect(other.requester.heading().textContent()).resolves.toBe('This link is not valid');
    await record(other.page, 'requester-error-not-valid-phone');

    await other.page.goto('/v/result');
    await expect(other.requester.heading().textContent()).resolves.toBe('No verification in this browser');
    await record(other.page, 'requester-error-no-session-phone');
    await other.page.setViewportSize(DESKTOP.viewport!);
    await screenshot(other.page, 'requester-error-no-session-desktop');
    // The requester who pressed Start is on the first question, undisturbed by the other browser.
    expect(page.url()).toMatch(/\/v\/challenge$/);
    await expect(requester.question()).resolves.toMatchObject({ kind: 'call_code' });
  }, 30_000);

  it('shows the expired page once the link has passed its lifetime', async () => {
    const { link } = await freshLink(t, tickets[3]!);
    const { page, requester } = await phone();
    await page.goto(link);
    await record(page, 'requester-landing-before-expiry-phone');
    offsetMs = t.config.linkTtlMinutes * 60_000 + 1000;
    try {
      await page.reload();
      await expect(requester.heading().textContent()).resolves.toBe('This link has expired');
      await expect(requester.whatNext().textContent()).resolves.toBe(
        'Ask your helpdesk agent to send you a new one.',
      );
      await record(page, 'requester-error-expired-phone');
      await page.setViewportSize(DESKTOP.viewport!);
      await screenshot(page, 'requester-error-expired-desktop');
    } finally {
      offsetMs = 0;
    }
  }, 30_000);

  it('speaks French to a French browser, with dates in the viewer’s locale and no layout shift', async () => {
    const { link, agent } = await freshLink(t, tickets[4]!);
    const { page, requester } = await phone({ ...PHONE, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
    await page.goto(link);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('fr');
    await expect(requester.heading().textContent()).resolves.toBe('Vérifiez votre identité');
    const time = page.locator('time.local-time');
    const iso = (await time.getAttribute('datetime'))!;
    const expected = new Intl.DateTimeFormat('fr-FR', {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'Europe/Paris',
    }).format(new Date(iso));
    await expect(time.textContent()).resolves.toBe(expected);
    expect(await layoutShift(page)).toBeLessThan(0.01);
    await record(page, 'requester-landing-fr-phone');
    await requester.start();
    // The questions in French too, each page axe-clean; then the result page, in French.
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('fr');
    const asked = await requester.answerAll(await answersFor(tickets[4]!, agent), {
      each: checkQuestionPage(requester, 'requester-question-fr', 'Questions'),
    });
    expect(asked.length).toBeGreaterThanOrEqual(4);
    expect(asked[0]!.legend).not.toBe('Which code did the service desk agent read to you?');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('fr');
    await expectResultPage(requester, 'requester-result-fr-phone', 'Résultat');
    expect(RESULT_TITLES.slice(4)).toContain(await requester.heading().textContent());
  }, 60_000);

  it('shows "too many attempts" with what to do next when this address is rate-limited', async () => {
    const { page, requester } = await phone();
    // Use up this IP's allowance, then open a page. The limiter's one-minute window may have started with an
    // earlier test and roll over while this loop runs, so send until it answers 429 (at most three windows' worth).
    let limited = false;
    for (let sent = 0; !limited && sent < 3 * t.config.rateLimits.perIpPerMinute; sent += 50) {
      const statuses = await Promise.all(
        Array.from({ length: 50 }, () =>
          fetch(`${t.url}/v/${'x'.repeat(43)}`).then(async (r) => (await r.arrayBuffer(), r.status)),
        ),
      );
      limited = statuses.includes(429);
    }
    expect(limited).toBe(true);
    const res = await page.goto('/v/result');
    expect(res?.status()).toBe(429);
    await expect(requester.heading().textContent()).resolves.toBe('Too many attempts');
    await expect(requester.whatNext().textContent()).resolves.toContain('Wait a few minutes');
    await record(page, 'requester-error-too-many-attempts-phone');
  }, 30_000);
});
