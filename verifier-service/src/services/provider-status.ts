// The console's Providers page (F8 §6, admin): how the email and SMS providers, their signed webhooks (S17) and the
// tenant's directory are set up, how the tenant's deliveries went over the last 24 hours and 7 days, and an optional
// read-only check of the provider credentials. Secrets are write-only: only whether one is set ever leaves here.
//
// The check makes the one read-only, authenticated call each provider documents for it, through the same SDKs the
// connectors send with (delivery/sendgrid.ts, delivery/twilio.ts): SendGrid `GET /v3/scopes` (the key's
// permissions; it must hold `mail.send`) and Twilio `GET /2010-04-01/Accounts/{AccountSid}.json` (the account must be
// `active`). Nothing is sent to anyone.
import { Client } from '@sendgrid/client';
import twilio from 'twilio';
import type { Deps } from '../context';
import { BaseUrlRequestClient } from '../delivery/twilio';
import { isNetworkError, redactDestinations } from '../delivery/redact';
import { maskDestination } from '../domain/destination';
import { deliveryStatsByChannel, type ChannelDeliveryStats } from '../repositories/delivery-stats';

const CHECK_TIMEOUT_MS = 10_000;

/** A base URL as it may be shown: scheme, host and path; never user info, query or fragment. */
export function displayUrl(raw: string | undefined | null): string | null {
  if (!raw) return null;
  try {
    const u = new URL(raw);
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return null;
  }
}

/** `AC1234…cdef`: enough to tell accounts apart. */
export const shortSid = (sid: string) => (sid.length > 12 ? `${sid.slice(0, 6)}…${sid.slice(-4)}` : sid);

export interface EmailProviderView {
  provider: 'dev' | 'sendgrid';
  fromEmail: string | null;
  fromName: string | null;
  apiKeySet: boolean;
  /** Only when it is not the provider's own API */
  baseUrl: string | null;
  /** The signed event webhook's verification key is configured (S17) */
  webhookSignature: boolean;
}

export interface SmsProviderView {
  provider: 'dev' | 'twilio';
  /** The sending number, masked like every phone number (S19); null with a Messaging Service */
  fromMasked: string | null;
  messagingServiceSid: string | null;
  accountSid: string | null;
  authTokenSet: boolean;
  baseUrl: string | null;
  /** The auth token that checks X-Twilio-Signature on status callbacks is configured (S17) */
  webhookSignature: boolean;
}

export interface DirectoryView {
  kind: string;
  /** Where it is: the LDAP/AD URL, the Entra tenant, the Okta org, the ServiceNow instance */
  endpoint: string | null;
  /** Its credential (bind password, client secret, API token) is set; null when it uses ServiceNow's */
  secretSet: boolean | null;
}

export interface ProvidersView {
  email: EmailProviderView;
  sms: SmsProviderView;
  directory: DirectoryView;
  deliveries: { email: ChannelDeliveryStats; sms: ChannelDeliveryStats };
  /** The end of both windows */
  at: Date;
}

export function emailView(config: Deps['config']): EmailProviderView {
  const e = config.email;
  return e.provider === 'sendgrid'
    ? {
        provider: 'sendgrid',
        fromEmail: e.fromEmail,
        fromName: e.fromName,
        apiKeySet: e.apiKey.length > 0,
        baseUrl: displayUrl(e.baseUrl),
        webhookSignature: config.sendgridWebhookPublicKey !== null,
      }
    : {
        provider: 'dev',
        fromEmail: null,
        fromName: null,
        apiKeySet: false,
        baseUrl: null,
        webhookSignature: config.sendgridWebhookPublicKey !== null,
      };
}

export function smsView(config: Deps['config']): SmsProviderView {
  const s = config.sms;
  return s.provider === 'twilio'
    ? {
        provider: 'twilio',
        fromMasked: s.from ? maskDestination('sms', s.from) : null,
        messagingServiceSid: s.messagingServiceSid ? shortSid(s.messagingServiceSid) : null,
        accountSid: shortSid(s.accountSid),
        authTokenSet: s.authToken.length > 0,
        baseUrl: displayUrl(s.baseUrl),
        webhookSignature: config.twilioAuthToken !== null,
      }
    : {
        provider: 'dev',
        fromMasked: null,
        messagingServiceSid: null,
        accountSid: null,
        authTokenSet: false,
        baseUrl: null,
        webhookSignature: config.twilioAuthToken !== null,
      };
}

const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : null);

export function directoryView(deps: Pick<Deps, 'config' | 'tenants'>, tenantId: string): DirectoryView {
  const tenant = deps.tenants.byId(tenantId);
  const raw = deps.config.tenants.find((c) => c.slug === tenant?.slug)?.directory as
    (Record<string, unknown> & { kind: string }) | undefined;
  switch (raw?.kind ?? 'servicenow') {
    case 'ldap':
    case 'active_directory':
      return {
        kind: raw!.kind,
        endpoint: displayUrl(str(raw!.url)),
        secretSet: str(raw!.bindPassword) !== null,
      };
    case 'entra':
      return {
        kind: 'entra',
        endpoint: str(raw!.tenantId),
        secretSet: str(raw!.clientSecret) !== null,
      };
    case 'okta':
      return { kind: 'okta', endpoint: displayUrl(str(raw!.orgUrl)), secretSet: str(raw!.apiToken) !== null };
    default:
      return { kind: 'servicenow', endpoint: displayUrl(tenant?.instanceUrl), secretSet: null };
  }
}

const emptyStats = (channel: string): ChannelDeliveryStats => ({
  channel,
  day: { total: 0, delivered: 0, failed: 0, pending: 0 },
  week: { total: 0, delivered: 0, failed: 0, pending: 0 },
  lastFailure: null,
});

export async function providersView(
  deps: Pick<Deps, 'config' | 'tenants' | 'db' | 'clock'>,
  tenantId: string,
): Promise<ProvidersView> {
  const at = deps.clock.now();
  const stats = await deliveryStatsByChannel(deps.db, tenantId, at);
  const of = (channel: string) => stats.find((s) => s.channel === channel) ?? emptyStats(channel);
  return {
    email: emailView(deps.config),
    sms: smsView(deps.config),
    directory: directoryView(deps, tenantId),
    deliveries: { email: of('email'), sms: of('sms') },
    at,
  };
}

// ── The check ────────────────────────────────────────────────────────────────────────────────────────────────

export interface ProviderCheck {
  channel: 'email' | 'sms';
  provider: string;
  /** ok: the credentials work and may send; failed: they do not (see code); skipped: the development transport */
  outcome: 'ok' | 'failed' | 'skipped';
  /** The provider's HTTP status, when it answered */
  status: number | null;
  /** `missing_scope`, `account_suspended`, the provider's error code (Twilio's number), `http_<status>`, `network` */
  code: string | null;
  /** One line from the provider (destinations redacted), or what the answer said */
  detail: string | null;
}

const line = (s: string) => redactDestinations(s.replace(/\s+/g, ' ').trim()).slice(0, 200);

async function checkSendGrid(config: Extract<Deps['config']['email'], { provider: 'sendgrid' }>) {
  const base = { channel: 'email' as const, provider: 'sendgrid' };
  const client = new Client();
  client.setApiKey(config.apiKey); // resets baseUrl to the region default, so set ours after it
  if (config.baseUrl) client.setDefaultRequest('baseUrl', config.baseUrl.replace(/\/?$/, '/'));
  // As MailService.setTimeout does: the SDK's request type omits axios's `timeout`, which its client passes on.
  client.setDefaultRequest({ timeout: CHECK_TIMEOUT_MS } as unknown as Parameters<
    Client['setDefaultRequest']
  >[0]);
  try {
    const [response, body] = await client.request({ method: 'GET', url: '/v3/scopes' });
    const scopes = (body as { scopes?: unknown } | undefined)?.scopes;
    const list = Array.isArray(scopes) ? scopes.filter((s): s is string => typeof s === 'string') : [];
    return list.includes('mail.send')
      ? { ...base, outcome: 'ok' as const, status: response.statusCode, code: null, detail: 'mail.send' }
      : {
          ...base,
          outcome: 'failed' as const,
          status: response.statusCode,
          code: 'missing_scope',
          detail: 'mail.send',
        };
  } catch (err) {
    const e = err as { code?: unknown; response?: { body?: { errors?: Array<{ message?: unknown }> } } };
    if (typeof e.code === 'number') {
      const message = e.response?.body?.errors?.[0]?.message;
      return {
        ...base,
        outcome: 'failed' as const,
        status: e.code,
        code: `http_${e.code}`,
        detail: typeof message === 'string' ? line(message) : null,
      };
    }
    return {
      ...base,
      outcome: 'failed' as const,
      status: null,
      code: isNetworkError(err) ? 'network' : 'error',
      detail: null,
    };
  }
}

async function checkTwilio(config: Extract<Deps['config']['sms'], { provider: 'twilio' }>) {
  const base = { channel: 'sms' as const, provider: 'twilio' };
  const client = twilio(config.accountSid, config.authToken, {
    httpClient: config.baseUrl
      ? new BaseUrlRequestClient(config.baseUrl, { timeout: CHECK_TIMEOUT_MS })
      : new twilio.RequestClient({ timeout: CHECK_TIMEOUT_MS }),
    autoRetry: false,
  });
  try {
    // Only status and type are read: the resource also carries the auth token, which goes nowhere.
    const account = await client.api.v2010.accounts(config.accountSid).fetch();
    return account.status === 'active'
      ? { ...base, outcome: 'ok' as const, status: 200, code: null, detail: account.type ?? null }
      : {
          ...base,
          outcome: 'failed' as const,
          status: 200,
          code: `account_${account.status}`,
          detail: account.type ?? null,
        };
  } catch (err) {
    const e = err as { status?: unknown; code?: unknown; message?: unknown };
    if (typeof e.status === 'number') {
      return {
        ...base,
        outcome: 'failed' as const,
        status: e.status,
        code: typeof e.code === 'number' ? String(e.code) : `http_${e.status}`,
        detail: typeof e.message === 'string' ? line(e.message) : null,
      };
    }
    return {
      ...base,
      outcome: 'failed' as const,
      status: null,
      code: isNetworkError(err) ? 'network' : 'error',
      detail: null,
    };
  }
}

/** Checks both providers' credentials at once (read-only calls; the development transport is skipped). */
export async function checkProviders(deps: Pick<Deps, 'config'>): Promise<ProviderCheck[]> {
  const { email, sms } = deps.config;
  const skipped = (channel: 'email' | 'sms'): ProviderCheck => ({
    channel,
    provider: 'dev',
    outcome: 'skipped',
    status: null,
    code: null,
    detail: null,
  });
  return Promise.all([
    email.provider === 'sendgrid' ? checkSendGrid(email) : skipped('email'),
    sms.provider === 'twilio' ? checkTwilio(sms) : skipped('sms'),
  ]);
}
