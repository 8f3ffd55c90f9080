// closeTicket against the ServiceNow stand-in: the app's route POST /api/x_imper_verify/imper/close, as the
// least-privilege integration user (which the Table API refuses a close), through the client's auth and retries.

import { DEMO_TICKET } from '@imper/dev-instance';
import { ServiceNowError, type ServiceNowClient } from '../../../src/clients/servicenow/client';
import { closeTicket } from '../../../src/clients/servicenow/close-ticket';
import { applyTicketUpdate } from '../../../src/clients/servicenow/ticket-writer';
import { integrationClients, SECRETS, useStandin } from './standin';

const standin = useStandin();

const { client, basic, oauth } = integrationClients(standin);

const CLOSE_NOTES = 'Password reset by the requester after a passed imper.ai verification.';
let seq = 0;

/** A password-reset incident whose automated action the service has marked completed. */
async function completedTicket(
  c: ServiceNowClient,
  actionStatus = 'completed',
): Promise<{ sysId: string; publicId: string }> {
  const publicId = `VRF-CT${String(++seq).padStart(4, '0')}`;
  // Written with rules, so the app's category rule marks it as requiring verification.
  const created = standin().store.insert('incident', {
    short_description: 'Forgot my password',
    category: 'password_reset',
    caller_id: DEMO_TICKET.caller.sys_id,
  });
  const sysId = created.sys_id as string;
  await applyTicketUpdate(c, {
    table: 'incident',
    sysId,
    fields: {
      x_imper_verify_status: 'passed',
      x_imper_verify_risk_level: 'verified',
      x_imper_verify_id: publicId,
      x_imper_verify_action_status: actionStatus,
    },
  });
  return { sysId, publicId };
}

const notes = (sysId: string) =>
  standin()
    .store.journal(sysId, 'work_notes')
    .map((e) => e.value);

test.each([
  ['basic auth', basic],
  ['OAuth client credentials', oauth],
])('closes a ticket whose action completed, once; a repeat answers already (%s)', async (_name, make) => {
  const c = make();
  const { sysId, publicId } = await completedTicket(c);
  // The Table API refuses the integration user a close, as an instance does.
  await expect(
    c.update('incident', sysId, { state: '7', close_code: 'Solved (Permanently)', close_notes: CLOSE_NOTES }),
  ).rejects.toMatchObject({ status: 403, retriable: false });

  const input = { table: 'incident', sysId, publicId, closeNotes: CLOSE_NOTES };
  expect(await closeTicket(c, input)).toEqual({ closed: true, already: false });
  const rec = standin().store.get('incident', sysId) as Record<string, string>;
  expect(rec).toMatchObject({ state: '7', close_notes: CLOSE_NOTES });
  expect(rec.resolved_at).not.toBe('');
  expect(rec.closed_at).not.toBe('');
  const codes = await c.query('sys_choice', {
    query: 'name=incident^element=close_code^inactive=false',
    fields: ['value'],
  });
  expect(codes.records.map((r) => r.value)).toContain(rec.close_code);
  expect(notes(sysId)).toEqual([expect.stringMatching(new RegExp(`^\\[imper\\.ai ${publicId} close\\] `))]);

  expect(await closeTicket(c, input)).toEqual({ closed: true, already: true });
  expect(standin().store.get('incident', sysId)).toEqual(rec);
  expect(notes(sysId)).toHaveLength(1);
});

test('refusals are non-retriable errors with the route’s message: action not completed, another verification', async () => {
  const c = basic();
  const pending = await completedTicket(c, 'not_started');
  const err = await closeTicket(c, {
    table: 'incident',
    sysId: pending.sysId,
    publicId: pending.publicId,
    closeNotes: CLOSE_NOTES,
  }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ServiceNowError);
  expect(err).toMatchObject({
    status: 409,
    retriable: false,
    detail: 'The automated action has not completed (x_imper_verify_action_status is "not_started").',
  });
  const done = await completedTicket(c);
  await expect(
    closeTicket(c, {
      table: 'incident',
      sysId: done.sysId,
      publicId: 'VRF-NOTTHIS',
      closeNotes: CLOSE_NOTES,
    }),
  ).rejects.toMatchObject({ status: 409, detail: expect.stringContaining('not "VRF-NOTTHIS"') });
  expect(standin().store.get('incident', done.sysId)?.state).toBe('1');
  expect(standin().store.get('incident', pending.sysId)?.state).toBe('1');
});

test('retries a 503 and a 429 (the route is idempotent) and closes once', async () => {
  const c = basic();
  const { sysId, publicId } = await completedTicket(c);
  standin().faults.enqueue(
    { kind: 'status', status: 503, match: { method: 'POST' } },
    { kind: 'rate_limit', retryAfterSeconds: 1, match: { method: 'POST' } },
  );
  expect(await closeTicket(c, { table: 'incident', sysId, publicId, closeNotes: CLOSE_NOTES })).toEqual({
    closed: true,
    already: false,
  });
  expect(standin().faults.pending()).toBe(0);
  expect(notes(sysId)).toHaveLength(1);
});

test('a caller without the integration role is refused by the route’s ACL (403)', async () => {
  const agent = client({ type: 'basic', username: 'beth.anglin', password: SECRETS.agentPassword });
  const { sysId, publicId } = await completedTicket(basic());
  await expect(
    closeTicket(agent, { table: 'incident', sysId, publicId, closeNotes: CLOSE_NOTES }),
  ).rejects.toMatchObject({ status: 403, retriable: false });
});

test('checks its input before sending anything', async () => {
  const c = basic();
  const ok = { table: 'incident', sysId: 'a'.repeat(32), publicId: 'VRF-7Q2K9M', closeNotes: 'n' };
  await expect(closeTicket(c, { ...ok, publicId: 'VRF-1^OR' })).rejects.toThrow(TypeError);
  await expect(closeTicket(c, { ...ok, closeNotes: ' ' })).rejects.toThrow(TypeError);
  await expect(closeTicket(c, { ...ok, sysId: 'nope' })).rejects.toThrow(TypeError);
  await expect(c.postApi('/api/now/table/incident', {}, { idempotent: true })).rejects.toThrow(TypeError);
});
