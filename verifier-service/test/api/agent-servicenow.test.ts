// The agent's pages when ServiceNow is slow, refuses, or does not know the ticket (issue 8 findings 5 and 6):
// the agent always gets an answer in time, and it says what is wrong and what to do.
import { randomBytes } from 'node:crypto';
import { build, type TestApp } from '../helper';
import { Browser } from '../browser-client';
import { agentOn, launchToken, sendRaw, ticketsWithContacts, ticketView, type TicketRef } from '../flows';
import { GENEROUS_LIMITS } from '../security/support';

jest.setTimeout(30_000);

let t: TestApp;
let tickets: TicketRef[];
beforeAll(async () => {
  // A small request budget, so a hanging instance is given up on quickly (production default: 12 s).
  t = await build({ env: { ...GENEROUS_LIMITS, SERVICENOW_REQUEST_BUDGET_MS: '1000' } });
  tickets = ticketsWithContacts(t, 6);
});
afterEach(() => t.standin.faults.clear());
afterAll(() => t.close());

const sub = () => `agent.${randomBytes(4).toString('hex')}`;
const json = { accept: 'application/json' };

describe('issue 8 finding 5: a hanging ServiceNow', () => {
  it('issue 8 finding 5: GET /agent answers with the "did not answer in time" page instead of dropping the connection', async () => {
    const agent = await agentOn(t, { ticket: tickets[0]!, sub: sub() });
    // The instance accepts connections and never answers (as when it is frozen).
    t.standin.faults.setLatency(600_000);
    const page = await agent.get(`${t.url}/agent`);
    expect(page.status).toBe(504);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.text).toContain('data-code="SERVICENOW_TIMEOUT"');
    expect(page.text).toContain('ServiceNow did not answer in time');
    expect(page.text).toContain('Try again in a minute');
  });

  it('issue 8 finding 5: the JSON API (ticket view and send) answers 504 SERVICENOW_TIMEOUT in time', async () => {
    const agent = await agentOn(t, { ticket: tickets[1]!, sub: sub() });
    const { csrf } = await ticketView(t, agent);
    // Forget what the agent was shown, so the send has to read the ticket again.
    await t.db.db
      .updateTable('agent_sessions')
      .set({ context_sealed: t.deps.sealer.seal('null') })
      .execute();
    t.standin.faults.setLatency(600_000);
    const view = await agent.get(`${t.url}/agent/api/ticket`, json);
    expect(view.status).toBe(504);
    expect(view.json().error).toMatchObject({
      code: 'SERVICENOW_TIMEOUT',
      message: expect.stringContaining('Try again in a minute'),
    });
    const sent = await sendRaw(t, agent, { channel: 'email', contactKey: 'email' }, csrf);
    expect(sent.status).toBe(504);
    expect(sent.json().error.code).toBe('SERVICENOW_TIMEOUT');
    // Nothing was created for the send that could not read the ticket.
    const rows = await t.db.db
      .selectFrom('verifications')
      .select('id')
      .where('ticket_sys_id', '=', tickets[1]!.sys_id)
      .execute();
    expect(rows).toEqual([]);
  });
});

describe('issue 8 finding 6: tickets and tables', () => {
  const launchAs = (ticket: { table: string; sys_id: string; number: string }) =>
    new Browser().get(
      `${t.url}/agent/launch?token=${encodeURIComponent(launchToken(t, { ticket, sub: sub() }))}`,
    );

  it('issue 8 finding 6: a signed launch for a table no category policy covers (sys_user) is refused before anything is created', async () => {
    const launchedBefore = await t.db.db
      .selectFrom('audit_events')
      .select('id')
      .where('type', '=', 'agent.launched')
      .execute();
    const sessionsBefore = await t.db.db.selectFrom('agent_sessions').select('id_hash').execute();
    const user = t.standin.store.query('sys_user', 'active=true')[0]!;
    const res = await launchAs({
      table: 'sys_user',
      sys_id: String(user.sys_id),
      number: String(user.user_name),
    });
    expect(res.status).toBe(403);
    expect(res.text).toContain('data-code="TICKET_TABLE_NOT_SUPPORTED"');
    expect(res.headers.get('set-cookie')).toBeNull();
    const json403 = await new Browser().get(
      `${t.url}/agent/launch?token=${encodeURIComponent(
        launchToken(t, { ticket: { table: 'sc_req_item', sys_id: 'a'.repeat(32), number: 'RITM0010001' } }),
      )}`,
      json,
    );
    expect(json403.status).toBe(403);
    expect(
      (await t.db.db.selectFrom('audit_events').select('id').where('type', '=', 'agent.launched').execute())
        .length,
    ).toBe(launchedBefore.length);
    expect(await t.db.db.selectFrom('agent_sessions').select('id_hash').execute()).toHaveLength(
      sessionsBefore.length,
    );
    // The control: the policy covers incidents.
    expect((await launchAs(tickets[2]!)).status).toBe(303);
  });

  it('issue 8 finding 6: a table the instance does not have answers 404 TICKET_NOT_FOUND saying so, not 502', async () => {
    // An admin's policy names a table the instance does not have (a typo, or a plugin not installed).
    t.standin.store.insert('x_imper_verify_category_policy', {
      task_table: 'u_no_such_table',
      category: 'password_reset',
      subcategory: '',
      requires_verification: 'true',
      action: 'none',
      auto_close: 'false',
      active: 'true',
      order: '900',
    });
    const agent = new Browser();
    const launched = await agent.get(
      `${t.url}/agent/launch?token=${encodeURIComponent(
        launchToken(t, { ticket: { table: 'u_no_such_table', sys_id: 'b'.repeat(32), number: 'U0000001' } }),
      )}`,
    );
    expect(launched.status).toBe(303);
    const page = await agent.get(`${t.url}/agent`);
    expect(page.status).toBe(404);
    expect(page.text).toContain('data-code="TICKET_NOT_FOUND"');
    const api = await agent.get(`${t.url}/agent/api/ticket`, json);
    expect(api.status).toBe(404);
    expect(api.json().error).toMatchObject({
      code: 'TICKET_NOT_FOUND',
      message: expect.stringContaining('u_no_such_table'),
    });
  });

  it('issue 8 finding 6: a ticket that is not on the instance answers 404 TICKET_NOT_FOUND', async () => {
    const agent = new Browser();
    const launched = await agent.get(
      `${t.url}/agent/launch?token=${encodeURIComponent(
        launchToken(t, { ticket: { table: 'incident', sys_id: 'c'.repeat(32), number: 'INC9999999' } }),
      )}`,
    );
    expect(launched.status).toBe(303);
    const api = await agent.get(`${t.url}/agent/api/ticket`, json);
    expect(api.status).toBe(404);
    expect(api.json().error).toMatchObject({
      code: 'TICKET_NOT_FOUND',
      message: expect.stringContaining('INC9999999'),
    });
  });
});
