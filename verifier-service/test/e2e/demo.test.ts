// The demo as a newcomer runs it (scripts/demo.ts, embedded PGlite database, the stand-in, the worker): it becomes
// ready, the whole flow works on it, and Ctrl-C stops it cleanly.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Browser, eventually, hiddenField } from '../browser-client';
import { DEFAULT_SEED, DEMO_TICKET, personKnowledge, seedStore, TableStore } from '@imper/dev-instance';
import { freePort } from '../helper';
import { answerAs, answerChallenge, callCodeFor, desktopChrome, deviceBrowser, startAs } from '../requester';

const root = join(__dirname, '..', '..', '..');
let child: ChildProcess;
let output = '';
let servicePort: number;
let instancePort: number;
const agentPassword = 'demo-agent-password-for-test';

beforeAll(async () => {
  servicePort = await freePort();
  instancePort = await freePort();
  child = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'demo.ts')], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(servicePort),
      DEV_INSTANCE_PORT: String(instancePort),
      DEV_INSTANCE_AGENT_PASSWORD: agentPassword,
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += String(d)));
  child.stderr!.on('data', (d) => (output += String(d)));
}, 10_000);

afterAll(() => {
  if (process.env.DEMO_TEST_OUTPUT) require('node:fs').writeFileSync(process.env.DEMO_TEST_OUTPUT, output);
  if (child.exitCode === null) child.kill('SIGKILL');
});

describe('npm run demo (embedded database)', () => {
  it('serves /health/ready within 90 s and prints where to click and the demo secrets', async () => {
    const started = Date.now();
    await eventually(
      async () =>
        (await fetch(`http://localhost:${servicePort}/health/ready`).catch(() => null))?.status === 200,
      { timeoutMs: 90_000, intervalMs: 250 },
    );
    console.log(`demo ready after ${Date.now() - started} ms`);
    await eventually(async () => output.includes('Ctrl-C stops everything'), { timeoutMs: 5_000 });
    expect(output).toContain(`http://localhost:${instancePort}/incident.do?sys_id=`);
    expect(output).toContain(`http://localhost:${servicePort}/dev/messages`);
    expect(output).toMatch(/DEMO_LAUNCH_SECRET=[A-Za-z0-9+/=]{44}/);
    expect(output).toContain(`DEV_INSTANCE_AGENT_PASSWORD=${agentPassword}`);
  }, 100_000);

  it('runs the whole verification on it', async () => {
    const ticketUrl = /(http:\/\/localhost:\d+\/incident\.do\?sys_id=[0-9a-f]{32})/.exec(output)![1]!;
    const agent = new Browser();
    await agent.request(`http://localhost:${instancePort}/login.do`, {
      form: { user_name: 'beth.anglin', user_password: agentPassword },
    });
    const ticketPage = await agent.get(ticketUrl);
    expect(ticketPage.text).toContain('imper.ai - Send Verification link');
    // The verification field links to the scoped app's launch route, which redirects to the service.
    const launchHref = /href="([^"]*\/api\/x_imper_verify\/imper\/launch[^"]*)"/
      .exec(ticketPage.text)![1]!
      .replace(/&amp;/g, '&');
    const toService = await agent.get(new URL(launchHref, ticketUrl).toString());
    const launched = await agent.get(toService.location!);
    expect(launched.status).toBe(303);
    const page = await agent.get(`http://localhost:${servicePort}/agent`);
    const sent = await agent.request(`http://localhost:${servicePort}/agent/send`, {
      form: { csrf: hiddenField(page.text, 'csrf'), contact: 'sms:mobile_phone' },
    });
    expect(sent.status).toBe(303);

    const message = await eventually(async () => {
      const list = (await fetch(`http://localhost:${servicePort}/dev/messages`).then((r) =>
        r.json(),
      )) as Array<{ link: string | null }>;
      return list.find((m) => m.link);
    });
    // The requester, on their own desktop, answers what they know (the demo's seed is deterministic: the same
    // records as a stand-in seeded here) and the code the agent reads them, taking a human's time per question.
    const store = new TableStore();
    seedStore(store, {
      seed: DEFAULT_SEED,
      now: Date.now(),
      adminPassword: 'x',
      agentPassword: 'x',
      integrationPassword: 'x',
    });
    const caller = String(store.get('incident', DEMO_TICKET.sys_id)!.caller_id);
    const device = desktopChrome('US');
    const phone = deviceBrowser(device);
    const start = await startAs(
      phone,
      message.link!,
      hiddenField((await phone.get(message.link!)).text, 'csrf'),
      device,
    );
    expect(start.status).toBe(303);
    const service = { url: `http://localhost:${servicePort}` };
    const code = await callCodeFor(service, agent);
    const run = await answerChallenge(service, phone, answerAs(personKnowledge(store, caller), code), {
      realWaitMs: 1_700,
    });
    expect(run.asked.length).toBeGreaterThanOrEqual(4);
    // The outcome reaches the ticket page through the worker's write-back on the embedded database.
    const finalPage = await eventually(
      async () => {
        const text = (await agent.get(ticketUrl)).text;
        return /User verified successfully/.test(text) && text;
      },
      { timeoutMs: 20_000 },
    );
    expect(finalPage).toMatch(/Passed/);
  }, 60_000);

  it('F7: the printed demo API key starts a verification through the API (201) and is refused when wrong (401)', async () => {
    expect(output).toContain(`http://localhost:${servicePort}/self-service`);
    const key = /DEMO_API_KEY=(\S+)/.exec(output)![1]!;
    expect(output).toContain(`Authorization: Bearer ${key}`);
    const post = (bearer: string) =>
      fetch(`http://localhost:${servicePort}/api/v1/verifications`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
        body: JSON.stringify({ user: 'abel.tuter', channel: 'email', action: 'none' }),
      });
    expect((await post(`${key}x`)).status).toBe(401);
    const res = await post(key);
    expect(res.status).toBe(201);
    expect(((await res.json()) as { publicId: string }).publicId).toMatch(/^VRF-/);
  }, 30_000);

  it('F8: the printed console admin signs in (303) and sees the console (200)', async () => {
    const base = `http://localhost:${servicePort}`;
    expect(output).toContain(`${base}/console`);
    const password = /DEMO_CONSOLE_ADMIN_PASSWORD=(\S+)/.exec(output)![1]!;
    expect(output).toContain(`sign in as admin / ${password}`);
    const admin = new Browser();
    const login = await admin.request(`${base}/console/login`, {
      form: { username: 'admin', password, next: '/console' },
    });
    expect(login.status).toBe(303);
    expect(login.location).toBe('/console');
    const page = await admin.get(`${base}/console`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Demo admin');
    expect(page.text).toContain('href="/console/settings"'); // an admin sees Settings
  }, 30_000);

  it('stops cleanly on Ctrl-C', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  }, 20_000);
});
