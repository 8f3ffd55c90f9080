// SECURITY.md S18 ("one tenant can never read another's rows") and S6 ("bound to one tenant"): two ServiceNow
// instances, each a tenant of one service. Both stand-ins are seeded alike, so the demo ticket has the same sys_id
// in both: only the tenant tells their verifications apart.
import { randomBytes } from 'node:crypto';
import { startDevInstance, type DevInstance } from '@imper/dev-instance';
import { build, DEMO_TICKET, secret, type TestApp } from '../helper';
import { Browser, eventually } from '../browser-client';
import { agentOp, launch, launchToken, messageTo, send, ticketView } from '../flows';
import { verifyAsGenuine } from '../requester';
import { GENEROUS_LIMITS } from './support';

// Root-level jest runs ignore the preset's testTimeout (a global option); builds alone can take seconds.
jest.setTimeout(30_000);

interface Instance {
  standin: DevInstance;
  launchSecret: Buffer;
  tenant: Record<string, unknown>;
}

async function instance(slug: string, name: string): Promise<Instance> {
  const launchSecret = secret();
  const password = secret(18);
  const standin = await startDevInstance({
    port: 0,
    adminPassword: secret(12),
    agentPassword: secret(12),
    integration: { password, oauthClientId: `client-${slug}`, oauthClientSecret: secret(18) },
    launch: { secret: launchSecret, serviceUrl: 'http://127.0.0.1:1' },
  });
  return {
    standin,
    launchSecret: Buffer.from(launchSecret, 'base64'),
    tenant: {
      slug,
      name,
      instanceUrl: standin.url,
      auth: { type: 'basic', username: 'imper.integration', password },
      launchSecret,
    },
  };
}

let t: TestApp;
let a: Instance;
let b: Instance;
/** The launch-token signer for a tenant: its instance URL as `iss`, its key. */
const as = (i: Instance) => ({ standin: i.standin, launchSecret: i.launchSecret });
const agentOf = async (i: Instance, sub = 'beth.anglin') => {
  const agent = new Browser();
  await launch(t, agent, launchToken(as(i), { sub }));
  return agent;
};
const journal = (i: Instance) =>
  i.standin.store
    .query('sys_journal_field', `element_id=${DEMO_TICKET.sys_id}^element=work_notes`)
    .map((r) => String(r.value))
    .join('\n');

let idA: string;
let idB: string;
beforeAll(async () => {
  [a, b] = await Promise.all([instance('alpha', 'Alpha IT Helpdesk'), instance('beta', 'Beta Service Desk')]);
  t = await build({ env: { ...GENEROUS_LIMITS, TENANTS: JSON.stringify([a.tenant, b.tenant]) } });
  await t.startWorker({ pollInterval: 50 });
  expect(
    t.deps.tenants
      .all()
      .map((x) => x.slug)
      .sort(),
  ).toEqual(['alpha', 'beta']);
  // Each tenant's agent sends a verification on "the same" ticket of its own instance.
  idA = await send(t, await agentOf(a), { channel: 'email', contactKey: 'email' });
  idB = await send(t, await agentOf(b), { channel: 'sms', contactKey: 'mobile_phone' });
});
afterAll(async () => {
  await t.close();
  await Promise.all([a.standin.close(), b.standin.close()]);
});

describe('S18: tenant isolation', () => {
  it("S18: an agent session of tenant A cannot read, resend or cancel tenant B's verification by public ID (404), even on the same ticket sys_id", async () => {
    const agentA = await agentOf(a);
    const { csrf } = await ticketView(t, agentA);
    const read = await agentA.get(`${t.url}/agent/api/verifications/${idB}`, { accept: 'application/json' });
    expect(read.status).toBe(404);
    expect(read.json().error.code).toBe('VERIFICATION_NOT_FOUND');
    expect(read.text).not.toContain('•••');
    for (const op of ['resend', 'cancel'] as const) {
      const res = await agentOp(t, agentA, idB, op, csrf);
      expect(res.status).toBe(404);
      expect(res.json().error.code).toBe('VERIFICATION_NOT_FOUND');
      const form = await agentA.request(`${t.url}/agent/verifications/${idB}/${op}`, {
        method: 'POST',
        form: { csrf },
      });
      expect(form.status).toBe(404);
      expect(form.text).not.toContain(idB);
    }
    // The control: the same calls work on A's own verification.
    expect(
      (await agentA.get(`${t.url}/agent/api/verifications/${idA}`, { accept: 'application/json' })).status,
    ).toBe(200);

    // B's verification is untouched: still active, one delivery, no audit event from A's agent.
    const v = await t.db.db
      .selectFrom('verifications')
      .selectAll()
      .where('public_id', '=', idB)
      .executeTakeFirstOrThrow();
    expect(['sending', 'sent']).toContain(v.state);
    expect(
      await t.db.db.selectFrom('deliveries').select('id').where('verification_id', '=', v.id).execute(),
    ).toHaveLength(1);
    const events = await t.db.db
      .selectFrom('audit_events')
      .select('type')
      .where('verification_id', '=', v.id)
      .execute();
    expect(events.map((e) => e.type)).not.toContain('verification.canceled');
    expect(events.map((e) => e.type)).not.toContain('verification.resend_requested');
  });

  it("S18: each agent's ticket view shows only its own tenant's verification", async () => {
    const viewA = await ticketView(t, await agentOf(a));
    const viewB = await ticketView(t, await agentOf(b));
    expect(viewA.verification?.id).toBe(idA);
    expect(viewB.verification?.id).toBe(idB);
    expect(JSON.stringify(viewA)).not.toContain(idB);
    expect(JSON.stringify(viewB)).not.toContain(idA);
  });

  it("S18: write-back goes only to the verification's own instance, and the requester sees their own helpdesk's name", async () => {
    await eventually(async () => journal(a).includes(idA) && journal(b).includes(idB));
    expect(journal(a)).not.toContain(idB);
    expect(journal(b)).not.toContain(idA);
    expect(a.standin.store.get('incident', DEMO_TICKET.sys_id)?.x_imper_verify_id).toBe(idA);
    expect(b.standin.store.get('incident', DEMO_TICKET.sys_id)?.x_imper_verify_id).toBe(idB);

    const message = await messageTo(t, DEMO_TICKET.caller.mobile_phone);
    const phone = new Browser();
    const landing = await phone.get(message.link);
    expect(landing.text).toContain('Beta Service Desk');
    expect(landing.text).not.toContain('Alpha IT Helpdesk');
    // The genuine requester of B's ticket answers from what B's instance knows of them and the code B's agent reads.
    const run = await verifyAsGenuine(
      { ...t, standin: b.standin },
      await agentOf(b),
      message.link,
      DEMO_TICKET.caller.sys_id,
    );
    expect(run.asked[0]!.kind).toBe('call_code');
    await eventually(
      async () => b.standin.store.get('incident', DEMO_TICKET.sys_id)?.x_imper_verify_status === 'passed',
    );
    expect(a.standin.store.get('incident', DEMO_TICKET.sys_id)?.x_imper_verify_status).not.toBe('passed');
  });

  it("S6: a launch token is bound to one tenant: another tenant's issuer with this key, or this issuer with another tenant's key → 401", async () => {
    const refused = async (token: string) => {
      const res = await new Browser().get(`${t.url}/agent/launch?token=${encodeURIComponent(token)}`);
      expect(res.status).toBe(401);
      expect(res.text).toContain('This link from ServiceNow is not valid');
      expect(res.headers.getSetCookie()).toEqual([]);
    };
    await refused(launchToken(as(a), { iss: b.standin.url }));
    await refused(launchToken(as(b), { iss: a.standin.url }));
    // And a tenant's own token is single use (jti).
    const jti = randomBytes(16).toString('hex');
    expect(
      (
        await new Browser().get(
          `${t.url}/agent/launch?token=${encodeURIComponent(launchToken(as(a), { jti }))}`,
        )
      ).status,
    ).toBe(303);
    expect(
      (
        await new Browser().get(
          `${t.url}/agent/launch?token=${encodeURIComponent(launchToken(as(a), { jti }))}`,
        )
      ).status,
    ).toBe(401);
  });
});
