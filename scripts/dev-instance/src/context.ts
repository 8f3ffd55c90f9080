// What every route module of the stand-in shares.

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { InstalledApp } from './app';
import type { Auth } from './auth';
import type { Faults, LoggedRequest, Requests } from './faults';
import type { TableStore, User } from './store';

export type CustomRouteHandler = (req: FastifyRequest, reply: FastifyReply, user: User) => unknown;

export interface CustomRoute {
  method: string;
  path: string;
  segments: string[];
  handler: CustomRouteHandler;
}

export interface InstanceContext {
  store: TableStore;
  auth: Auth;
  faults: Faults;
  requests: Requests;
  /** Public base URL, no trailing slash (known once listening). */
  url(): string;
  /** The scoped app x_imper_verify running on the Glide runtime (src/app.ts). */
  app: InstalledApp;
  customRoutes: CustomRoute[];
  /** Sleep that `close()` cuts short (delay faults, latency). */
  sleep(ms: number): Promise<void>;
  /** The request-log entry of a tracked request. */
  logEntry: WeakMap<FastifyRequest, LoggedRequest>;
}
