// Everything the services need, built once at boot (app.ts) and injected; tests build their own.
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config';
import type { DB } from './db/connect';
import type { Decider } from './domain/decision';
import type { EmailConnector, SmsConnector } from './delivery/types';
import type { Sealer } from './lib/crypto';
import type { TenantRegistry } from './services/tenants';

export interface Clock {
  now(): Date;
}

export interface Deps {
  config: Config;
  db: DB;
  sealer: Sealer;
  keys: { csrf: Buffer; destination: Buffer };
  tenants: TenantRegistry;
  delivery: { email: EmailConnector; sms: SmsConnector };
  decider: Decider;
  clock: Clock;
  log: FastifyBaseLogger;
}

export const systemClock: Clock = { now: () => new Date() };
