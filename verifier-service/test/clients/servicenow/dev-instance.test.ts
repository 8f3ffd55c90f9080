// fetchTicketContext and applyTicketUpdate against the ServiceNow stand-in (scripts/dev-instance), as the
// least-privilege integration user, over basic auth and OAuth client credentials.

import { DEMO_TICKET } from '@imper/dev-instance';
import { ServiceNowError } from '../../../src/clients/servicenow/client';
import { contactsOnFile, fetchTicketContext } from '../../../src/clients/servicenow/ticket-context';
import { applyTicketUpdate } from '../../../src/clients/servicenow/ticket-writer';
import { integrationClients, SECRETS, useStandin } from './standin';

const standin = useStandin();

const { client, basic, oauth } = integrationClients(standin);

const ref = { table: DEMO_TICKET.table, sysId: DEMO_TICKET.sys_id };

test.each([
  ['basic auth', basic],
  ['OAuth client credentials', oauth],
])('fetchTicketContext reads the demo ticket and its caller (%s)', async (_name, make) => {
  const ctx = await fetchTicketContext(make(), ref);
  expect(ctx?.ticket).toMatchObject({
    table: 'incident',
    sysId: DEMO_TICKET.sys_id,
    number: DEMO_TICKET.number,
    subject: DEMO_TICKET.short_description,
    category: DEMO_TICKET.category,
    requesterSysId: DEMO_TICKET.caller.sys_id,
  });
  expect(ctx?.requester).toMatchObject({
    sysId: DEMO_TICKET.caller.sys_id,
    name: DEMO_TICKET.caller.name,
    userName: DEMO_TICKET.caller.user_name,
    email: DEMO_TICKET.caller.email,
    mobilePhone: DEMO_TICKET.caller.mobile_phone,
  });
  expect(typeof ctx?.requester?.vip).toBe('boolean');
  expect(ctx?.requester?.updatedOn).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  expect(contactsOnFile(ctx!.requester)).toEqual([
    { key: 'email', channel: 'email', value: DEMO_TICKET.caller.email },
    { key: 'mobile_phone', channel: 'sms', value: DEMO_TICKET.caller.mobile_phone },
  ]);
});

test('a ticket that does not exist is null', async () => {
  await expect(fetchTicketContext(basic(), { table: 'incident', sysId: '0'.repeat(32) })).resolves.toBeNull();
});

test('applyTicketUpdate sets the fields and writes the note once, however often it runs (R3)', async () => {
  const c = basic();
  const marker = `[imper.ai VRF-DEV${Date.now().toString(36).toUpperCase()} #1]`;
  const update = {
    ...ref,
    fields: { x_imper_verify_status: 'passed', x_imper_verify_risk_level: 'verified' },
    workNote: { marker, text: 'Identity verified (email link).' },
  };
  await expect(applyTicketUpdate(c, update)).resolves.toEqual({ noteWritten: true });
  await expect(applyTicketUpdate(c, update)).resolves.toEqual({ noteWritten: false });
  await expect(applyTicketUpdate(oauth(), update)).resolves.toEqual({ noteWritten: false });

  const rec = await c.get('incident', DEMO_TICKET.sys_id, {
    fields: ['x_imper_verify_status', 'x_imper_verify_risk_level'],
  });
  expect(rec).toEqual({ x_imper_verify_status: 'passed', x_imper_verify_risk_level: 'verified' });
  const entries = await c.query('sys_journal_field', {
    query: `element_id=${DEMO_TICKET.sys_id}^element=work_notes`,
    fields: ['value', 'sys_created_by'],
  });
  const mine = entries.records.filter((e) => e.value?.includes(marker));
  expect(mine).toEqual([
    { value: `${marker} Identity verified (email link).`, sys_created_by: 'imper.integration' },
  ]);
});

test("a note refused with a 503 is written by the job's retry, and only once (R3)", async () => {
  const c = basic();
  const marker = `[imper.ai VRF-DROP${Date.now().toString(36).toUpperCase()} #2]`;
  const update = {
    ...ref,
    fields: { x_imper_verify_status: 'failed' },
    workNote: { marker, text: 'Failed.' },
  };
  standin().faults.enqueue({ kind: 'status', status: 503, match: { method: 'PATCH' } });
  const first = await applyTicketUpdate(c, update).catch((e: unknown) => e);
  expect(first).toBeInstanceOf(ServiceNowError);
  expect(first).toMatchObject({ status: 503, retriable: true });
  await applyTicketUpdate(c, update);
  await applyTicketUpdate(c, update);
  const entries = await c.query('sys_journal_field', {
    query: `element_id=${DEMO_TICKET.sys_id}^element=work_notes^valueLIKE${marker}`,
    fields: ['sys_id'],
  });
  expect(entries.records).toHaveLength(1);
});

test('reads ride out a 429 and a 503 from the stand-in', async () => {
  standin().faults.enqueue({ kind: 'rate_limit', retryAfterSeconds: 1 }, { kind: 'status', status: 503 });
  const started = Date.now();
  const ctx = await fetchTicketContext(basic(), ref);
  expect(ctx?.ticket.number).toBe(DEMO_TICKET.number);
  expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
});

test('the least-privilege integration user is refused other columns: 403, not retried', async () => {
  const err = await basic()
    .update('incident', DEMO_TICKET.sys_id, { short_description: 'changed by the integration' })
    .catch((e: unknown) => e);
  expect(err).toMatchObject({ kind: 'http', status: 403, retriable: false });
});

test('wrong credentials are auth errors that do not echo them', async () => {
  const wrong = 'definitely-wrong-pw-123';
  const failure = (p: Promise<unknown>): Promise<ServiceNowError> =>
    p.then(
      () => {
        throw new Error('expected a rejection');
      },
      (e: unknown) => e as ServiceNowError,
    );
  const e1 = await failure(
    fetchTicketContext(client({ type: 'basic', username: 'imper.integration', password: wrong }), ref),
  );
  const e2 = await failure(
    fetchTicketContext(
      client({ type: 'oauth', clientId: SECRETS.integration.oauthClientId, clientSecret: wrong }),
      ref,
    ),
  );
  expect(e1).toBeInstanceOf(ServiceNowError);
  expect(e1).toMatchObject({ kind: 'auth', status: 401, retriable: false });
  expect(e2).toMatchObject({ kind: 'auth', retriable: false });
  expect(JSON.stringify([e1.message, e1.detail, e2.message, e2.detail])).not.toContain(wrong);
});
