// Builds the service's dependencies from a validated configuration and an open database. Shared by the server,
// the tests and the benchmarks, so all three run the same wiring.
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config';
import { systemClock, type Clock, type Deps } from './context';
import type { DB } from './db/connect';
import { createSendGridConnector } from './delivery/sendgrid';
import { createTwilioConnector } from './delivery/twilio';
import type { EmailConnector, SmsConnector } from './delivery/types';
import { createSealer, deriveKey } from './lib/crypto';
import { createDevEmailConnector, createDevSmsConnector } from './services/dev-transport';
import { syncTenants } from './services/tenants';
import { sharedNetworkLookup, type NetworkLookup } from './signals/network';

export async function createDeps(
  config: Config,
  db: DB,
  log: FastifyBaseLogger,
  overrides: {
    clock?: Clock;
    email?: EmailConnector;
    sms?: SmsConnector;
    servicenowTimeoutMs?: number;
    /** The ServiceNow clients' wait between their own retries (tests that simulate hours make it instant). */
    servicenowSleep?: (ms: number) => Promise<void>;
    network?: NetworkLookup;
  } = {},
): Promise<Deps> {
  const sealer = createSealer(config.dataEncryptionKey);
  const tenants = await syncTenants(db, sealer, config.tenants, {
    timeoutMs: overrides.servicenowTimeoutMs ?? 10_000,
    ...(overrides.servicenowSleep ? { sleep: overrides.servicenowSleep } : {}),
  });
  const email =
    overrides.email ??
    (config.email.provider === 'sendgrid'
      ? createSendGridConnector({
          apiKey: config.email.apiKey,
          from: { email: config.email.fromEmail, name: config.email.fromName },
          ...(config.email.baseUrl ? { baseUrl: config.email.baseUrl } : {}),
        })
      : createDevEmailConnector(db));
  const sms =
    overrides.sms ??
    (config.sms.provider === 'twilio'
      ? createTwilioConnector({
          accountSid: config.sms.accountSid,
          authToken: config.sms.authToken,
          ...(config.sms.messagingServiceSid
            ? { messagingServiceSid: config.sms.messagingServiceSid }
            : { from: config.sms.from! }),
          ...(config.sms.baseUrl ? { baseUrl: config.sms.baseUrl } : {}),
          statusCallbackUrl: (deliveryId: string) =>
            `${config.publicBaseUrl}/webhooks/twilio/status?d=${deliveryId}`,
        })
      : createDevSmsConnector(db));
  return {
    config,
    db,
    sealer,
    keys: {
      csrf: deriveKey(config.dataEncryptionKey, 'csrf'),
      destination: deriveKey(config.dataEncryptionKey, 'destination'),
      challenge: deriveKey(config.dataEncryptionKey, 'challenge'),
    },
    tenants,
    delivery: { email, sms },
    assurance: { network: overrides.network ?? (await sharedNetworkLookup()) },
    clock: overrides.clock ?? systemClock,
    log,
  };
}
