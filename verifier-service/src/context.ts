// Everything the services need, built once at boot (app.ts) and injected; tests build their own.
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config';
import type { DB } from './db/connect';
import type { EmailConnector, SmsConnector } from './delivery/types';
import type { Sealer } from './lib/crypto';
import type { NetworkLookup } from './signals/network';
import type { TenantRegistry } from './services/tenants';

export interface Clock {
  now(): Date;
}

export interface Deps {
  config: Config;
  db: DB;
  sealer: Sealer;
  /** csrf: anti-CSRF values; destination: recipient keys; challenge: the per-tenant key the questions derive from */
  keys: { csrf: Buffer; destination: Buffer; challenge: Buffer };
  tenants: TenantRegistry;
  delivery: { email: EmailConnector; sms: SmsConnector };
  /** The identity-assurance inputs opened once at boot: the offline IP → country/ASN data. */
  assurance: { network: NetworkLookup };
  clock: Clock;
  log: FastifyBaseLogger;
}

export const systemClock: Clock = { now: () => new Date() };
