// The whole path over HTTP against the ServiceNow stand-in (issue acceptance): ticket → launch → send → message →
// link → decision → ticket columns and exactly one work note per event.
import { build, DEMO_TICKET, type TestApp } from '../helper';
import { Browser, eventually, hiddenField } from '../browser-client';
import {
  answerAs,
  answerChallenge,
  callCodeFor,
  desktopChrome,
  deviceBrowser,
  homeCountryOf,
  knowledgeOf,
  startAs,
} from '../requester';

let t: TestApp;
beforeAll(async () => {
  t = await build();
  await t.startWorker();
});
afterAll(() => t.close());

const journal = (sysId: string) =>
  t.standin.store
    .query('sys_journal_field', `element_id=${sysId}^element=work_notes`)
    .map((r) => String(r.value));

async function launchAsAgent(agent: Browser, sysId = DEMO_TICKET.sys_id) {
  const viaInstance = await agent.get(
    `${t.standin.url}/x_imper_verify_launch.do?table=incident&sys_id=${sysId}`,
  );
  expect(viaInstance.status).toBe(302);
  const token = new URL(viaInstance.location!).searchParams.get('token')!;
  const launched = await agent.get(`${t.url}/agent/launch?token=${encodeURIComponent(token)}`);
  expect(launched.status).toBe(303);
  expect(launched.location).toBe('/agent');
  return token;
}

describe('verification end to end', () => {
  it('runs from the ticket to the outcome on the ticket, with one work note per event', async () => {
    const agent = new Browser();
    // Sign in to the stand-in as the agent, the way ServiceNow's login form works.
    const login = await agent.request(`${t.standin.url}/login.do`, {
      form: { user_name: 'beth.anglin', user_password: t.agentPassword },
    });
    expect([200, 302, 303]).toContain(login.status);
    await launchAsAgent(agent);

    const page = await agent.get(`${t.url}/agent`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(DEMO_TICKET.number);
    expect(page.text).toContain('Abel Tuter');
    expect(page.text).not.toContain(DEMO_TICKET.caller.email); // masked only

    const view = (await agent.get(`${t.url}/agent/api/ticket`, { accept: 'application/json' })).json();
    expect(view.contacts.map((c: { key: string }) => c.key).sort()).toEqual(['email', 'mobile_phone']);
    const sent = await agent.request(`${t.url}/agent/api/verifications`, {
      json: { channel: 'sms', contactKey: 'mobile_phone' },
      headers: { 'x-csrf-token': view.csrf, accept: 'application/json' },
    });
    expect(sent.status).toBe(201);
    const publicId = sent.json().id as string;
    expect(publicId).toMatch(/^VRF-[2-9A-Z]{6}$/);

    // The message reaches the development transport with a link.
    const message = await eventually(async () => {
      const list = (await fetch(`${t.url}/dev/messages`).then((r) => r.json())) as Array<{
        channel: string;
        link: string | null;
        text: string;
      }>;
      return list.find((m) => m.channel === 'sms' && m.link);
    });
    expect(message.text.length).toBeLessThanOrEqual(160);

    // The ticket says "sent", with a note naming agent, channel and masked destination.
    await eventually(
      async () => t.standin.store.get('incident', DEMO_TICKET.sys_id)?.x_imper_verify_status === 'sent',
    );
    await eventually(async () =>
      journal(DEMO_TICKET.sys_id).some(
        (n) => n.includes(publicId) && n.includes('Beth Anglin') && n.includes('SMS'),
      ),
    );

    // The requester opens the link on their own desktop at home: GET shows who asks and does not consume it.
    const requesterSysId = DEMO_TICKET.caller.sys_id;
    const device = desktopChrome(homeCountryOf(t, requesterSysId));
    const phone = deviceBrowser(device);
    const landing = await phone.get(message.link!);
    expect(landing.status).toBe(200);
    expect(landing.text).toContain('Acme IT Helpdesk');
    expect(landing.text).toContain(DEMO_TICKET.number);
    expect((await phone.get(message.link!)).status).toBe(200); // still usable after a second GET
    // Start consumes the link and opens the challenge (the silent checks are taken on the way).
    const start = await startAs(phone, message.link!, hiddenField(landing.text, 'csrf'), device);
    expect(start.status).toBe(303);
    expect(start.location).toBe('/v/challenge');
    expect((await phone.get(message.link!)).status).toBe(410); // used
    await eventually(
      async () =>
        t.standin.store.get('incident', DEMO_TICKET.sys_id)?.x_imper_verify_status === 'in_progress',
    );

    // The agent reads the call code; the requester answers it and what they know about themselves.
    const code = await callCodeFor(t, agent);
    expect(code).toMatch(/^\d{2}$/);
    const run = await answerChallenge(t, phone, answerAs(knowledgeOf(t, requesterSysId), code));
    expect(run.asked[0]!.kind).toBe('call_code');
    expect(run.asked.length).toBeGreaterThanOrEqual(4);
    expect(run.final.status).toBe(200);
    expect(run.final.text).toContain('You are verified');

    // The outcome lands on the ticket.
    const ticket = await eventually(async () => {
      const r = t.standin.store.get('incident', DEMO_TICKET.sys_id);
      return r?.x_imper_verify_status === 'passed' && r;
    });
    expect(ticket).toMatchObject({
      x_imper_verify_status: 'passed',
      x_imper_verify_risk_level: 'verified',
      x_imper_verify_id: publicId,
      x_imper_verify_details_url: `${t.url}/console/verifications/${publicId}`,
      x_imper_verify_verification: `${t.url}/console/verifications/${publicId}`,
    });
    // Exactly one note per event: sent, in progress, outcome.
    await eventually(
      async () => journal(DEMO_TICKET.sys_id).filter((n) => n.includes(publicId)).length === 3,
    );
    const notes = journal(DEMO_TICKET.sys_id).filter((n) => n.includes(publicId));
    for (const seq of [1, 2, 3])
      expect(notes.filter((n) => n.includes(`[imper.ai ${publicId} #${seq}]`))).toHaveLength(1);
    expect(notes.some((n) => n.includes('User verified successfully - Proceed with action'))).toBe(true);

    // The agent sees the outcome, never the score or reasons.
    const after = (await agent.get(`${t.url}/agent/api/ticket`, { accept: 'application/json' })).json();
    expect(after.verification).toMatchObject({ id: publicId, state: 'passed', riskLevel: 'verified' });
    expect(JSON.stringify(after)).not.toMatch(/score|reasons|destination_not_on_file/);
  });
});
