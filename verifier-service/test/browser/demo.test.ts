// Issue 10's acceptance on `npm run demo` itself (scripts/demo.ts: the stand-in, the service and its worker on the
// embedded database, the real clock), in Debian's Chromium: the agent signs in to the stand-in and sends the link
// from the demo's Password Reset ticket; the requester, on their own phone at home, answers, and sets a new
// password on the portal; the stand-in's /login.do accepts it for that user; the ticket is Resolved, then Closed,
// with a close code and a work note; the S11 notice with "This wasn't me" reaches /dev/messages and using it sets
// attention on the ticket. Then F7: the demo's self-service page starts the same for another person, with a ticket
// created for the record and closed when the reset is done.
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import {
  DEFAULT_SEED,
  DEMO_TICKET,
  knownAnswer,
  personKnowledge,
  seedStore,
  TableStore,
} from '@imper/dev-instance';
import { eventually } from '../browser-client';
import { spawnDemo, type DemoProcess } from '../demo-process';
import { AgentPage } from './pages/agent-page';
import { RequesterPage, type QuestionOnPage } from './pages/requester-pages';
import { TicketPage } from './pages/ticket-page';
import {
  DESKTOP,
  disguise,
  disguisedPhone,
  launchChromium,
  launchDisguisedChromium,
  record,
  requirePortalBuild,
} from './support';

const adminPassword = 'demo-admin-password-for-browser-test';
const agentPassword = 'demo-agent-password-for-browser-test';
let demo: DemoProcess;
let serviceUrl: string;
let instanceUrl: string;
let browser: Browser;
let ownBrowser: Browser;
const contexts: BrowserContext[] = [];
/** The demo's seed is deterministic: the same records as a stand-in seeded here, so the same people and answers. */
const store = new TableStore();

beforeAll(async () => {
  requirePortalBuild();
  demo = await spawnDemo({
    DEV_INSTANCE_ADMIN_PASSWORD: adminPassword,
    DEV_INSTANCE_AGENT_PASSWORD: agentPassword,
  });
  ({ serviceUrl, instanceUrl } = demo);
  seedStore(store, {
    seed: DEFAULT_SEED,
    now: Date.now(),
    adminPassword: 'x',
    agentPassword: 'x',
    integrationPassword: 'x',
  });
  [browser, ownBrowser] = await Promise.all([launchChromium(), launchDisguisedChromium()]);
  await eventually(async () => demo.output().includes('Ctrl-C stops everything'), {
    timeoutMs: 90_000,
    intervalMs: 250,
  });
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await ownBrowser?.close();
  await demo?.stop();
});

async function desktop(): Promise<Page> {
  const context = await browser.newContext({ ...DESKTOP, baseURL: serviceUrl });
  contexts.push(context);
  return context.newPage();
}

/**
 * The person's own phone at their home in the US (Chromium without automation's marks); `home` varies the address
 * within the same residential network, since two people verifying from one address is itself a signal.
 */
async function ownPhone(home = 20): Promise<Page> {
  const context = await ownBrowser.newContext({
    ...disguisedPhone(ownBrowser, 'US', { extraHTTPHeaders: { 'x-forwarded-for': `73.10.77.${home}` } }),
    baseURL: serviceUrl,
  } satisfies BrowserContextOptions);
  await disguise(context);
  contexts.push(context);
  return context.newPage();
}

/** The stand-in's Table API as its administrator (the test's view of what the instance holds). */
async function table(path: string): Promise<Array<Record<string, string>>> {
  const res = await fetch(`${instanceUrl}/api/now/table/${path}`, {
    headers: {
      authorization: `Basic ${Buffer.from(`admin:${adminPassword}`).toString('base64')}`,
      accept: 'application/json',
    },
  });
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`);
  return ((await res.json()) as { result: Array<Record<string, string>> }).result;
}

/** Answers with the truth about `sysId` (and the agent's code), at a person's pace: the real clock runs. */
const truthOf = (sysId: string, callCode: string | null) => (q: QuestionOnPage) =>
  q.kind === 'call_code' ? callCode : knownAnswer(personKnowledge(store, sysId), q.kind, q.choices);
const humanPace = (page: Page) => async () => page.waitForTimeout(1_800);

/** The new password on the portal's action page (CONTRACTS: the labels), then the result page. */
async function setPassword(page: Page, password: string) {
  await page
    .locator('form[data-step="action"][data-action="password_reset"]')
    .waitFor()
    .catch(async (err: Error) => {
      throw new Error(`no action page at ${page.url()}: ${await page.textContent('main')}`, { cause: err });
    });
  await record(page, 'demo-action-password-phone');
  await page.getByLabel('New password', { exact: true }).fill(password);
  await page.getByLabel('Confirm new password', { exact: true }).fill(password);
  await Promise.all([page.waitForURL('**/v/result'), page.locator('#action-form button').click()]);
  await new RequesterPage(page).heading().filter({ hasText: 'Your password is changed' }).waitFor();
}

/** Whether /login.do signs `userName` in with `password` (in a fresh browser). */
async function signsIn(userName: string, password: string): Promise<boolean> {
  const page = await desktop();
  await new TicketPage(page, instanceUrl).signIn(userName, password);
  return !new URL(page.url()).pathname.startsWith('/login.do');
}

/** The ticket's state changes as the instance audited them (sys_audit), oldest first. */
async function stateHistory(sysId: string): Promise<string[]> {
  const rows = await table(
    `sys_audit?sysparm_query=tablename=incident^documentkey=${sysId}^fieldname=state^ORDERBYsys_created_on&sysparm_fields=newvalue,sys_created_on`,
  );
  return rows.map((r) => r.newvalue!);
}

async function ticketOf(sysId: string) {
  const [row] = await table(
    `incident?sysparm_query=sys_id=${sysId}&sysparm_fields=state,close_code,close_notes,x_imper_verify_status,x_imper_verify_action_status,x_imper_verify_attention`,
  );
  return row!;
}

async function workNotes(sysId: string): Promise<string[]> {
  const rows = await table(
    `sys_journal_field?sysparm_query=element_id=${sysId}^element=work_notes&sysparm_fields=value`,
  );
  return rows.map((r) => r.value!);
}

/** Follows the newest /dev/messages link to `path` sent to `to`, in `page`. */
async function followMessage(page: Page, to: string, path: '/v/' | '/r/') {
  const message = await eventually(async () => {
    const list = (await fetch(`${serviceUrl}/dev/messages`).then((r) => r.json())) as Array<{
      to: string;
      link: string | null;
      text: string;
    }>;
    return list.find((m) => m.to === to && m.link && new URL(m.link).pathname.startsWith(path));
  });
  await page.goto(message.link!);
  return message;
}

describe('npm run demo in Chromium', () => {
  it('Password Reset ticket → genuine verification → new password → /login.do accepts it → ticket Resolved then Closed; the notice\'s "This wasn\'t me" sets attention', async () => {
    const caller = String(store.get('incident', DEMO_TICKET.sys_id)!.caller_id);
    const person = store.get('sys_user', caller)!;
    const userName = String(person.user_name);

    // The agent signs in to the stand-in, opens the demo ticket and sends the link to the mobile on file.
    const agentPage = await desktop();
    const ticket = new TicketPage(agentPage, instanceUrl);
    await ticket.signIn('beth.anglin', agentPassword);
    await ticket.open(DEMO_TICKET.sys_id);
    await ticket.clickSendLink();
    const agent = new AgentPage(agentPage);
    await agent.contact(/Mobile on file/).check();
    await agent.send();
    await agent
      .state()
      .filter({ hasText: /Link sent|Sending/ })
      .waitFor();

    // The requester opens it on their phone, presses Start and answers the agent's code and what they know.
    const phone = await ownPhone();
    await followMessage(phone, String(person.mobile_phone), '/v/');
    const requester = new RequesterPage(phone);
    await requester.start();
    const callCode = (await agent.callCode().textContent())?.trim() ?? null;
    const asked = await requester.answerAll(truthOf(caller, callCode), { each: humanPace(phone) });
    expect(asked[0]!.kind).toBe('call_code');
    const password = 'harbour lantern quartz meadow 58';
    expect(await signsIn(userName, password)).toBe(false);
    await setPassword(phone, password);

    // The stand-in's sign-in accepts the new password for that user.
    expect(await signsIn(userName, password)).toBe(true);

    // The ticket: action completed, resolved (6) then closed (7) with a close code, and one work note saying so.
    const closed = await eventually(
      async () => {
        const row = await ticketOf(DEMO_TICKET.sys_id);
        return row.state === '7' && row;
      },
      { timeoutMs: 30_000 },
    );
    expect(closed.x_imper_verify_action_status).toBe('completed');
    expect(closed.close_code).not.toBe('');
    expect(closed.close_notes).toMatch(/reset their password/);
    const states = await stateHistory(DEMO_TICKET.sys_id);
    expect(states.slice(-2)).toEqual(['6', '7']);
    expect((await workNotes(DEMO_TICKET.sys_id)).filter((n) => /password/i.test(n)).length).toBeGreaterThan(
      0,
    );
    await ticket.open(DEMO_TICKET.sys_id);
    await record(agentPage, 'demo-ticket-closed-desktop');

    // S11: the notice reaches the contacts on file; "This wasn't me" flags it and the ticket shows attention.
    const report = await ownPhone();
    const notice = await followMessage(report, String(person.email), '/r/');
    expect(notice.text).toMatch(/If it wasn't you, tell us now/);
    await record(report, 'demo-report-phone');
    await Promise.all([
      report.waitForLoadState(),
      report.getByRole('button', { name: "This wasn't me" }).click(),
    ]);
    await report.getByRole('heading', { level: 1 }).filter({ hasText: 'Thank you' }).waitFor();
    const flagged = await eventually(
      async () => {
        const row = await ticketOf(DEMO_TICKET.sys_id);
        return row.x_imper_verify_attention !== '' && row;
      },
      { timeoutMs: 30_000 },
    );
    expect(flagged.x_imper_verify_attention).toMatch(/wasn't me|not me|security/i);
  }, 180_000);

  it('F7: the self-service page starts a reset for another person; its ticket is created for the record and closed when the reset is done', async () => {
    const demoCaller = String(store.get('incident', DEMO_TICKET.sys_id)!.caller_id);
    // Another employee at home in the US, with a manager, whose contacts did not change lately (S10).
    const inUs = (u: Record<string, unknown>) =>
      /united states|usa/i.test(String(store.get('cmn_location', String(u.location ?? ''))?.country ?? ''));
    const person = store
      .query('sys_user', 'active=true^mobile_phoneISNOTEMPTY^emailISNOTEMPTY^managerISNOTEMPTY')
      .find(
        (u) =>
          u.sys_id !== demoCaller &&
          inUs(u) &&
          !/imper|admin|beth/.test(String(u.user_name)) &&
          store.query('sys_audit', `tablename=sys_user^documentkey=${String(u.sys_id)}`).length === 0,
      )!;
    const phone = await ownPhone(31);
    await phone.goto('/self-service');
    await record(phone, 'demo-self-service-phone');
    await phone.getByLabel(/User name or work email/).fill(String(person.user_name));
    await Promise.all([phone.waitForLoadState(), phone.getByRole('button').last().click()]);
    await followMessage(phone, String(person.mobile_phone), '/v/');
    const requester = new RequesterPage(phone);
    await requester.start();
    const asked = await requester.answerAll(truthOf(String(person.sys_id), null), { each: humanPace(phone) });
    expect(asked.some((q) => q.kind === 'call_code')).toBe(false); // no agent on the line, no call code
    const password = 'copper willow basalt canyon 17';
    await setPassword(phone, password);
    expect(await signsIn(String(person.user_name), password)).toBe(true);
    const [created] = await table(
      `incident?sysparm_query=caller_id=${String(person.sys_id)}^contact_type=self-service^ORDERBYDESCsys_created_on&sysparm_fields=sys_id,category,correlation_id`,
    );
    expect(created!.category).toBe('password_reset');
    expect(created!.correlation_id).toMatch(/^VRF-/);
    await eventually(async () => (await ticketOf(created!.sys_id!)).state === '7', { timeoutMs: 30_000 });
  }, 180_000);
});
