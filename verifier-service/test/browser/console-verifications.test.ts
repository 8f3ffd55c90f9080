// Issue 11 acceptance in Chromium, signed in as an operator through the sign-in form: the Verifications table
// (axe-clean at 375 px with no horizontal page scroll, and on a desktop), a status + risk filter applied through the
// form, a search by ticket number, "Next page" over 60 rows with none repeated, the details page of a passed and of
// a failed verification made through the real flows (status, risk, recommendation, analysis sections, transcript,
// timeline; axe-clean at both widths), a keyboard-only path (filter form → submit with Enter → a row's details link
// → Enter) and the live refresh (a verification inserted while the page is open appears without a reload).
import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { build, type TestApp } from '../helper';
import { consoleUser, type TestConsoleUser } from '../console';
import { passedAndFailed } from '../requester';
import { sealedRequesterEmail } from '../../src/lib/crypto';
import { insertVerification } from '../../src/repositories/verifications';
import { DESKTOP, launchChromium, newContext, PHONE, record, requirePortalBuild } from './support';

let t: TestApp;
let browser: Browser;
let operator: TestConsoleUser;
let tenantId: string;
let passedId: string;
let failedId: string;
const contexts: BrowserContext[] = [];
const seen = new Set<string>();
let seq = 0;

type State = 'passed' | 'failed' | 'sent' | 'timed_out';
type Risk = 'verified' | 'medium' | 'high' | null;

/** A verification row written straight into the database, as the API test does (the table needs many). */
async function row(
  o: Partial<{ state: State; riskLevel: Risk; category: string; number: string; createdAt: Date }> = {},
) {
  const i = ++seq;
  const publicId = `VRF-${Array.from(randomBytes(6), (b) => '23456789ABCDEFGHJKLMNPQRSTUVWXYZ'[b % 32]).join('')}`;
  const v = await insertVerification(t.deps.db, {
    publicId,
    tenantId,
    state: o.state ?? 'passed',
    ticketTable: 'incident',
    ticketSysId: randomBytes(16).toString('hex'),
    ticketNumber: o.number ?? `INC6${String(i).padStart(6, '0')}`,
    ticketSubject: 'Password reset',
    ticketCategory: o.category ?? 'inquiry',
    requesterSysId: randomBytes(16).toString('hex'),
    requesterName: `Table Person ${i}`,
    ...sealedRequesterEmail(t.deps, `table.${i}@example.com`),
    requesterUserName: `table.${i}`,
    agentUserName: 'agent.alpha',
    agentName: 'Alpha Agent',
    initiatedBy: 'agent',
    channel: 'email',
    destinationSealed: t.deps.sealer.seal('x@example.com'),
    destinationMasked: 'x•••@example.com',
    destinationHash: randomBytes(32),
    destinationKey: 'email',
    destinationOnFile: true,
    riskLevel: o.riskLevel === undefined ? 'verified' : o.riskLevel,
    createdAt: o.createdAt ?? new Date(Date.UTC(2026, 0, 1) + i * 60_000),
    deadlineAt: new Date(Date.UTC(2027, 0, 1)),
  });
  return v.publicId;
}

const uniqueCategory = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;

beforeAll(async () => {
  requirePortalBuild();
  [t, browser] = await Promise.all([build(), launchChromium()]);
  await t.startWorker({ pollInterval: 50 });
  tenantId = t.deps.tenants.all()[0]!.id;
  operator = await consoleUser(t, 'operator', { name: 'Olga Operator' });

  // Two real runs through the flows: one genuine (passed), one all wrong (failed)
  ({ passedId, failedId } = await passedAndFailed(t, seen));
}, 120_000);
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await t?.close();
});
jest.setTimeout(90_000); // two sign-ins and axe scans per test; slower when run beside the other suites

/** A new context signed in as the operator through the sign-in form, on `path`. */
async function signedIn(
  opts: typeof PHONE,
  path = '/console',
  before?: (c: BrowserContext) => Promise<void>,
) {
  const context = await newContext(browser, t, opts);
  contexts.push(context);
  if (before) await before(context);
  const page = await context.newPage();
  await page.goto(`/console/login?next=${encodeURIComponent(path)}`);
  await page.fill('input[name="username"]', operator.username);
  await page.fill('input[name="password"]', operator.password);
  await Promise.all([
    page.waitForURL((u) => u.pathname !== '/console/login'),
    page.click('#console-login button[type="submit"]'),
  ]);
  expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe(path);
  return page;
}

const fitsTheScreen = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

const rowIds = (page: Page) =>
  page.locator('tr[data-id]').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.id!));

async function submitFilters(page: Page) {
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Apply' }).click()]);
}

async function tabTo(page: Page, selector: string, max = 40) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`the keyboard never reached ${selector}`);
}

describe('console Verifications table (browser)', () => {
  it('at 375 px and on a desktop: the table, axe-clean, the page never scrolls sideways (the table scrolls in its box)', async () => {
    const cat = uniqueCategory('wide');
    for (let i = 0; i < 3; i++) await row({ category: cat });
    for (const [opts, name] of [
      [PHONE, 'phone'],
      [DESKTOP, 'desktop'],
    ] as const) {
      const page = await signedIn(opts);
      await record(page, `console-verifications-${name}`);
      expect(await fitsTheScreen(page)).toBe(true);
      expect(await page.locator('[aria-current="page"]').textContent()).toBe('Verifications');
      const ids = await rowIds(page);
      expect(ids).toEqual(expect.arrayContaining([passedId, failedId]));
      // The table's own box scrolls when it is wider than the screen, and the keyboard can reach it
      const box = page.locator('.table-scroll');
      expect(await box.getAttribute('tabindex')).toBe('0');
      expect(await box.evaluate((el) => getComputedStyle(el).overflowX)).toBe('auto');
      expect(await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href')).toBe(
        '/console/api/verifications.csv',
      );
      await page.goto(`/console?category=${cat}`);
      await record(page, `console-verifications-filtered-${name}`);
      expect(await fitsTheScreen(page)).toBe(true);
      expect((await rowIds(page)).length).toBe(3);
    }
  });

  it('a status + risk filter through the form narrows the rows; a search by ticket number finds its row', async () => {
    const cat = uniqueCategory('filter');
    const hit = await row({ category: cat, state: 'failed', riskLevel: 'high' });
    const others = [
      await row({ category: cat, state: 'failed', riskLevel: 'medium' }),
      await row({ category: cat, state: 'passed', riskLevel: 'verified' }),
    ];
    const page = await signedIn(DESKTOP, `/console?category=${cat}`);
    expect(new Set(await rowIds(page))).toEqual(new Set([hit, ...others]));
    await page.getByLabel('Status', { exact: true }).selectOption('failed');
    await page.getByLabel('Risk level', { exact: true }).selectOption('high');
    await submitFilters(page);
    const url = new URL(page.url());
    expect(url.searchParams.get('status')).toBe('failed');
    expect(url.searchParams.get('risk')).toBe('high');
    expect(await rowIds(page)).toEqual([hit]);
    expect(await page.locator(`tr[data-id="${hit}"]`).textContent()).toContain('High');
    await record(page, 'console-verifications-filter-desktop');
    // The Export link carries the same filters
    expect(await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href')).toContain(
      'status=failed',
    );

    const number = `INC5${randomBytes(3).readUIntBE(0, 3).toString().padStart(6, '0').slice(0, 6)}`;
    const found = await row({ number });
    await page.goto('/console');
    await page.getByLabel('Search', { exact: true }).fill(number);
    await submitFilters(page);
    expect(await rowIds(page)).toEqual([found]);
    expect(await page.locator(`tr[data-id="${found}"] th a`).textContent()).toBe(number);
  });

  it('"Next page" over 60 rows shows the next rows, none repeated', async () => {
    const cat = uniqueCategory('pages');
    const made = new Set<string>();
    for (let i = 0; i < 60; i++) made.add(await row({ category: cat }));
    const page = await signedIn(PHONE, `/console?category=${cat}`);
    const first = await rowIds(page);
    expect(first.length).toBe(50);
    const next = page.getByRole('link', { name: 'Next page' });
    await Promise.all([page.waitForURL(/cursor=/), next.click()]);
    expect(new URL(page.url()).searchParams.get('cursor')).toBeTruthy();
    const second = await rowIds(page);
    expect(second.length).toBe(10);
    expect(second.filter((id) => first.includes(id))).toEqual([]);
    expect(new Set([...first, ...second])).toEqual(made);
    expect(await page.getByRole('link', { name: 'Next page' }).count()).toBe(0);
    await record(page, 'console-verifications-page2-phone');
    expect(await fitsTheScreen(page)).toBe(true);
  });

  it('the keyboard alone: Tab to the filters, choose, submit with Enter; Tab to a row and Enter opens its details', async () => {
    const cat = uniqueCategory('keys');
    const hit = await row({ category: cat, state: 'failed', riskLevel: 'high' });
    await row({ category: cat, state: 'passed' });
    const page = await signedIn(DESKTOP, `/console?category=${cat}`);
    await tabTo(page, 'select[name="status"]');
    // A closed <select> changes its value with the arrow keys; choose "Failed"
    for (let i = 0; i < 10; i++) {
      if ((await page.locator('select[name="status"]').inputValue()) === 'failed') break;
      await page.keyboard.press('ArrowDown');
    }
    expect(await page.locator('select[name="status"]').inputValue()).toBe('failed');
    await tabTo(page, '.filters button[type="submit"]');
    await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
    expect(new URL(page.url()).searchParams.get('status')).toBe('failed');
    expect(await rowIds(page)).toEqual([hit]);
    await tabTo(page, `tr[data-id="${hit}"] a`, 60);
    await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
    expect(new URL(page.url()).pathname).toBe(`/console/verifications/${hit}`);
    expect(await page.locator('h1').textContent()).toContain(hit);
  });

  it('live refresh: a verification inserted while the page is open appears without a reload', async () => {
    const cat = uniqueCategory('live');
    const old = await row({ category: cat, createdAt: new Date(Date.UTC(2026, 1, 1)) });
    // Playwright's clock: the page's 10-second poll is run by fast-forwarding, not by waiting
    const page = await signedIn(DESKTOP, `/console?category=${cat}`, (c) => c.clock.install());
    expect(await rowIds(page)).toEqual([old]);
    await page.evaluate(() => {
      (window as unknown as { marker: boolean }).marker = true;
    });
    const fresh = await row({ category: cat, createdAt: new Date(Date.UTC(2026, 1, 2)) });
    await page.clock.fastForward(11_000);
    await page.waitForSelector(`tr[data-id="${fresh}"]`, { timeout: 10_000 });
    expect(await rowIds(page)).toEqual([fresh, old]);
    // The same document (no reload), and the polite live region said so
    expect(await page.evaluate(() => (window as unknown as { marker?: boolean }).marker)).toBe(true);
    expect(await page.locator('[data-role="live"]').textContent()).toBeTruthy();
    expect(await page.locator('[data-role="live"]').getAttribute('aria-live')).toBe('polite');
    await record(page, 'console-verifications-live-desktop');
  });
});

describe('console verification details (browser)', () => {
  const cases = [
    {
      what: 'passed',
      id: () => passedId,
      status: 'Passed',
      risk: 'Verified',
      recommendation: 'User verified successfully - Proceed with action',
    },
    {
      what: 'failed',
      id: () => failedId,
      status: 'Failed',
      risk: 'High',
      recommendation: 'High risk detected - Reject this request',
    },
  ];
  it.each(cases)(
    'a $what verification at 375 px and on a desktop: status, risk, recommendation, analysis, transcript, timeline; axe-clean',
    async ({ what, id, status, risk, recommendation }) => {
      for (const [opts, name] of [
        [PHONE, 'phone'],
        [DESKTOP, 'desktop'],
      ] as const) {
        const page = await signedIn(opts, `/console/verifications/${id()}`);
        await record(page, `console-details-${what}-${name}`);
        expect(await fitsTheScreen(page)).toBe(true);
        expect(await page.locator('h1').textContent()).toContain(id());
        // The ticket's facts (the analysis sections have facts of their own, some named "status")
        const facts = page.locator('section[aria-labelledby="ticket-h"]');
        expect(await facts.locator('[data-row="status"] dd').textContent()).toBe(status);
        expect(await facts.locator('[data-row="risk"] dd').textContent()).toBe(risk);
        expect(await page.locator('[data-role="recommendation"]').textContent()).toBe(recommendation);
        for (const s of ['network', 'endpoint', 'persona', 'challenge', 'device'])
          expect(await page.locator(`[data-section="${s}"] h3`).count()).toBe(1);
        const answers = page.locator('.transcript li');
        expect(await answers.count()).toBeGreaterThan(0);
        if (what === 'failed')
          expect(await page.locator('.transcript li[data-outcome="wrong"]').count()).toBeGreaterThan(0);
        else expect(await page.locator('.transcript li:not([data-outcome="correct"])').count()).toBe(0);
        expect(await page.locator('li[data-event="verification.created"]').count()).toBe(1);
        for (const h of [
          'Recommendation',
          'Analysis report',
          'Question transcript',
          'Timeline of audit events',
        ])
          expect(await page.getByRole('heading', { name: h, exact: true }).count()).toBe(1);
      }
    },
  );
});
