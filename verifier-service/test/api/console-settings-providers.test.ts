// The console's Providers page (F8 §6, admin only): how email and SMS are set up (SendGrid and Twilio through the
// provider stand-ins), the webhooks' signature checks (S17), the tenant's directory, the tenant's delivery figures
// over 24 hours and 7 days (matching rows written here; another tenant's never count, S18), and the read-only
// credentials check through the real SDKs. Secrets never appear in any answer, page or log line.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { startProviderStandins, type ProviderStandins } from '@imper/provider-standins';
import { build, type TestApp } from '../helper';
import { ConsoleBrowser, consoleSignIn, consoleUser } from '../console';
import { insertVerificationRow, otherTenant } from '../console/rows';
import { checkProviders } from '../../src/services/provider-status';
import type { Config } from '../../src/config';

jest.setTimeout(60_000);

const TWILIO = { accountSid: `AC${'5f'.repeat(16)}`, authToken: 'providers-page-twilio-auth-token' };
const SENDGRID = { apiKey: 'SG.providers-page.secret-key-value' };
const OKTA_TOKEN = '00okta-providers-page-api-token';
const FROM = '+15005550006';

let providers: ProviderStandins;
let t: TestApp;
let admin: ConsoleBrowser;
const HOUR = 3_600_000;

beforeAll(async () => {
  providers = await startProviderStandins({ twilio: TWILIO, sendgrid: SENDGRID, callbackDelayMs: 5 });
  t = await build({
    env: {
      EMAIL_PROVIDER: 'sendgrid',
      SMS_PROVIDER: 'twilio',
      SENDGRID_API_KEY: SENDGRID.apiKey,
      SENDGRID_FROM_EMAIL: 'helpdesk@acme.example',
      SENDGRID_FROM_NAME: 'Acme IT Helpdesk',
      SENDGRID_BASE_URL: providers.url,
      SENDGRID_WEBHOOK_PUBLIC_KEY: providers.sendgridPublicKey,
      TWILIO_ACCOUNT_SID: TWILIO.accountSid,
      TWILIO_AUTH_TOKEN: TWILIO.authToken,
      TWILIO_FROM: FROM,
      TWILIO_BASE_URL: providers.url,
    },
    tenant: { directory: { kind: 'okta', orgUrl: 'https://acme.okta.example', apiToken: OKTA_TOKEN } },
  });
  for (const s of [TWILIO.authToken, SENDGRID.apiKey, OKTA_TOKEN]) t.issuedSecrets.add(s);
  admin = await consoleSignIn(t, await consoleUser(t, 'admin'));
}, 60_000);
afterAll(async () => {
  await t?.close();
  await providers?.close();
});

/** Every secret the test app was given: none may appear in what the console answers or logs (S20). */
function expectNoSecrets(text: string) {
  for (const s of t.issuedSecrets) expect(text).not.toContain(s);
  expect(text).not.toContain(FROM); // the sending number only masked (S19)
}

async function delivery(r: {
  tenantId?: string;
  channel: 'email' | 'sms';
  status: string;
  errorCode?: string;
  hoursAgo: number;
  updatedHoursAgo?: number;
}) {
  const now = Date.now();
  const tenantId = r.tenantId ?? t.deps.tenants.all()[0]!.id;
  const v = await insertVerificationRow(t, { tenantId, createdAt: new Date(now - r.hoursAgo * HOUR) });
  await t.deps.db
    .insertInto('deliveries')
    .values({
      id: randomUUID(),
      tenant_id: tenantId,
      verification_id: v.id,
      link_id: null,
      channel: r.channel,
      provider: r.channel === 'email' ? 'sendgrid' : 'twilio',
      provider_message_id: null,
      status: r.status,
      error_code: r.errorCode ?? null,
      error_message: r.errorCode ? `provider said ${r.errorCode} to abel.tuter@example.com` : null,
      created_at: new Date(now - r.hoursAgo * HOUR),
      updated_at: new Date(now - (r.updatedHoursAgo ?? r.hoursAgo) * HOUR),
    })
    .execute();
}

describe('F8 §6 providers: roles', () => {
  it('admin only: operator and auditor 403 on the page, the API and the check; no session 401', async () => {
    for (const role of ['operator', 'auditor'] as const) {
      const b = await consoleSignIn(t, await consoleUser(t, role));
      expect((await b.get(`${t.url}/console/settings/providers`)).status).toBe(403);
      expect((await b.get(`${t.url}/console/api/settings/providers`)).status).toBe(403);
      const check = await b.post(`${t.url}/console/api/settings/providers/check`);
      expect(check.status).toBe(403);
      expect(check.json().error.code).toBe('CONSOLE_FORBIDDEN');
    }
    expect((await new ConsoleBrowser().get(`${t.url}/console/api/settings/providers`)).status).toBe(401);
    expect((await admin.get(`${t.url}/console/settings/providers`)).status).toBe(200);
  });
});

describe('F8 §6 providers: settings and figures', () => {
  it('shows each provider, its sender (SMS masked), secrets only as set, webhooks, the directory', async () => {
    const res = await admin.get(`${t.url}/console/api/settings/providers`);
    expect(res.status).toBe(200);
    const body = res.json();
    expect(body.email).toEqual({
      provider: 'sendgrid',
      fromEmail: 'helpdesk@acme.example',
      fromName: 'Acme IT Helpdesk',
      apiKeySet: true,
      baseUrl: providers.url,
      webhookSignature: true,
    });
    expect(body.sms).toEqual({
      provider: 'twilio',
      fromMasked: '+•••••••0006',
      messagingServiceSid: null,
      accountSid: `${TWILIO.accountSid.slice(0, 6)}…${TWILIO.accountSid.slice(-4)}`,
      authTokenSet: true,
      baseUrl: providers.url,
      webhookSignature: true,
    });
    expect(body.directory).toEqual({ kind: 'okta', endpoint: 'https://acme.okta.example', secretSet: true });
    expectNoSecrets(res.text);

    const page = await admin.get(`${t.url}/console/settings/providers`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('aria-current="page">Providers</a>');
    expect(page.text).toContain('helpdesk@acme.example');
    expect(page.text).toContain('+•••••••0006');
    expect(page.text).toContain('<span class="secret-state" data-set="true">Set</span>');
    expect(page.text).toContain('Okta');
    expect(page.text).toContain('Checked: unsigned reports are refused');
    expectNoSecrets(page.text);
  });

  it("counts the tenant's deliveries per channel over 24 hours and 7 days, with the last failure", async () => {
    await delivery({ channel: 'email', status: 'delivered', hoursAgo: 2 });
    await delivery({ channel: 'email', status: 'opened', hoursAgo: 3 });
    await delivery({
      channel: 'email',
      status: 'failed',
      errorCode: 'bounce',
      hoursAgo: 5,
      updatedHoursAgo: 4,
    });
    await delivery({ channel: 'email', status: 'failed', errorCode: 'dropped', hoursAgo: 48 });
    await delivery({ channel: 'email', status: 'sent', hoursAgo: 72 });
    await delivery({ channel: 'email', status: 'queued', hoursAgo: 1 });
    // Never handed to a provider: not counted.
    await delivery({ channel: 'email', status: 'failed', errorCode: 'superseded', hoursAgo: 1 });
    // Older than 7 days: not counted.
    await delivery({ channel: 'email', status: 'failed', errorCode: 'old', hoursAgo: 8 * 24 });
    await delivery({
      channel: 'sms',
      status: 'failed',
      errorCode: '30003',
      hoursAgo: 1,
      updatedHoursAgo: 0.5,
    });
    await delivery({ channel: 'sms', status: 'delivered', hoursAgo: 6 * 24 });
    // Another tenant's, in the same hours (S18).
    const other = await otherTenant(t);
    await delivery({ tenantId: other, channel: 'email', status: 'failed', errorCode: 'theirs', hoursAgo: 1 });
    await delivery({ tenantId: other, channel: 'sms', status: 'delivered', hoursAgo: 1 });

    const body = (await admin.get(`${t.url}/console/api/settings/providers`)).json();
    expect(body.deliveries.email.day).toEqual({ total: 4, delivered: 2, pending: 1, failed: 1 });
    expect(body.deliveries.email.week).toEqual({ total: 6, delivered: 2, pending: 2, failed: 2 });
    expect(body.deliveries.email.lastFailure.errorCode).toBe('bounce');
    expect(Math.abs(Date.parse(body.deliveries.email.lastFailure.at) - (Date.now() - 4 * HOUR))).toBeLessThan(
      60_000,
    );
    expect(body.deliveries.sms.day).toEqual({ total: 1, delivered: 0, pending: 0, failed: 1 });
    expect(body.deliveries.sms.week).toEqual({ total: 2, delivered: 1, pending: 0, failed: 1 });
    expect(body.deliveries.sms.lastFailure.errorCode).toBe('30003');

    const page = await admin.get(`${t.url}/console/settings/providers`);
    // One stacked bar per channel, named, with the same numbers in its table.
    // (Each chart is drawn wide and for a phone; the stylesheet shows one.)
    expect(
      page.text.match(/<svg class="chart chart-wide" id="chart-deliveries-(email|sms)" role="img"/g),
    ).toHaveLength(2);
    expect(page.text).toContain(
      '<tr data-count="total"><th scope="row">Messages</th><td data-period="day">4</td><td data-period="week">6</td></tr>',
    );
    expect(page.text).toContain(
      '<tr data-count="failed"><th scope="row">Failed</th><td data-period="day">1</td><td data-period="week">2</td></tr>',
    );
    expect(page.text).toContain('data-last-failure="30003"');
    expect(page.text).not.toContain('theirs');
    expect(page.text).not.toContain('example.com'); // error messages are not shown at all
    expectNoSecrets(page.text);
  });

  it('uses the index on (tenant_id, created_at) for the 7-day window', async () => {
    const tenantId = t.deps.tenants.all()[0]!.id;
    // The figures' query, as the repository sends it; on one connection, with sequential scans ruled out so the
    // plan shows which index answers the window (a table this small would otherwise just be read).
    const plan = await t.deps.db.connection().execute(async (db) => {
      await sql`set enable_seqscan = off`.execute(db);
      try {
        return await sql<{ 'QUERY PLAN': string }>`explain select channel, count(*),
            count(*) filter (where status = 'failed'), max(updated_at) filter (where status = 'failed')
          from deliveries
         where tenant_id = ${tenantId} and created_at >= now() - interval '7 days' and created_at <= now()
           and (error_code is null or error_code <> 'superseded')
         group by channel`.execute(db);
      } finally {
        await sql`reset enable_seqscan`.execute(db);
      }
    });
    expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(
      /Index (Only )?Scan using deliveries_tenant_recent/,
    );
  });
});

describe('F8 §6 providers: the credentials check', () => {
  it('both providers answer the read-only calls through the real SDKs: ok (JSON and page)', async () => {
    const res = await admin.post(`${t.url}/console/api/settings/providers/check`);
    expect(res.status).toBe(200);
    expect(res.json().checks).toEqual([
      { channel: 'email', provider: 'sendgrid', outcome: 'ok', status: 200, code: null, detail: 'mail.send' },
      { channel: 'sms', provider: 'twilio', outcome: 'ok', status: 200, code: null, detail: 'Full' },
    ]);
    // Twilio's account resource carries the auth token: it goes nowhere.
    expectNoSecrets(res.text);
    // The page's button (form POST with the anti-CSRF value).
    expect(
      (await admin.request(`${t.url}/console/settings/providers/check`, { method: 'POST', form: { x: '1' } }))
        .status,
    ).toBe(403);
    const page = await admin.request(`${t.url}/console/settings/providers/check`, {
      form: { csrf: admin.csrf },
    });
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-channel="email" data-outcome="ok"');
    expect(page.text).toContain('the credentials work; the account is active (Full).');
    expectNoSecrets(page.text);
    expectNoSecrets(t.logs.join('\n'));
  });

  it('names what is wrong: refused credentials, a key without mail.send, a suspended account, no answer', async () => {
    const withConfig = (email: Partial<Config['email']>, sms: Partial<Config['sms']>) =>
      checkProviders({
        config: {
          ...t.config,
          email: { ...t.config.email, ...email } as Config['email'],
          sms: { ...t.config.sms, ...sms } as Config['sms'],
        },
      });
    const refused = await withConfig({ apiKey: 'SG.wrong' }, { authToken: 'wrong-token' });
    expect(refused).toEqual([
      expect.objectContaining({
        outcome: 'failed',
        status: 401,
        code: 'http_401',
        detail: 'authorization required',
      }),
      expect.objectContaining({ outcome: 'failed', status: 401, code: '20003' }),
    ]);

    const limited = await startProviderStandins({
      twilio: { ...TWILIO, account: { status: 'suspended', type: 'Trial' } },
      sendgrid: { ...SENDGRID, scopes: ['alerts.read'] },
    });
    try {
      const [email, sms] = await withConfig({ baseUrl: limited.url }, { baseUrl: limited.url });
      expect(email).toMatchObject({ outcome: 'failed', code: 'missing_scope' });
      expect(sms).toMatchObject({ outcome: 'failed', code: 'account_suspended', detail: 'Trial' });
    } finally {
      await limited.close();
    }

    providers.faults.dropNext('sendgrid', 1);
    providers.faults.failNext('twilio', 1, 503);
    const [down, busy] = await checkProviders(t.deps);
    expect(down).toMatchObject({ outcome: 'failed', status: null, code: 'network' });
    expect(busy).toMatchObject({ outcome: 'failed', status: 503, code: '20503' });
  });
});
