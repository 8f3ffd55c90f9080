// The scoped app x_imper_verify, installed on the stand-in: its real server modules (servicenow-app/src/server)
// run on the Glide runtime (servicenow-app/glide-runtime) over this store, as the Fluent metadata wires them
// on an instance:
//   - business rules on task tables, before insert/update: "apply category policy" (order 100) and, before
//     update, "verification guard" (order 200; filter: state changes and a verification status is set);
//   - the scripted REST API /api/x_imper_verify/imper: GET /launch (ACL: agent, itil, admin), POST /events
//     (ACL: integration, admin) and POST /close (ACL: integration; admin passes every ACL);
//   - its system properties, seeded from the stand-in's options.
// No copy of the app's logic lives here: this file only adapts HTTP and store writes to the modules.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GlideRuntime, type SessionUser } from '../../../servicenow-app/glide-runtime';
import { applyCategoryPolicy } from '../../../servicenow-app/src/server/category-rule';
import { API_BASE_PATH, PROPERTIES, ROLES } from '../../../servicenow-app/src/server/constants';
import { guardResolveClose } from '../../../servicenow-app/src/server/guard';
import { launchLinkFor } from '../../../servicenow-app/src/server/instance';
import { launchFor, type LaunchResult } from '../../../servicenow-app/src/server/launch';
import { closeRoute, eventsRoute, launchRoute } from '../../../servicenow-app/src/server/rest';
import { readFilter } from './acl';
import { SnError, envelope } from './errors';
import type { BeforeWriteHook, Rec, TableStore, User } from './store';
import { SYSTEM_USER } from './store';

export const LAUNCH_PATH = `${API_BASE_PATH}/launch`;
export const EVENTS_PATH = `${API_BASE_PATH}/events`;
export const CLOSE_PATH = `${API_BASE_PATH}/close`;
/** The ACLs of the REST routes (src/fluent/acls/launch-endpoint.now.ts, events-endpoint.now.ts, close-endpoint.now.ts). */
const LAUNCH_ACL_ROLES = [ROLES.agent, ROLES.admin, 'itil', 'admin'];
const EVENTS_ACL_ROLES = [ROLES.integration, ROLES.admin, 'admin'];
/** `admin` because an instance's admin passes every ACL ("admin overrides"). */
const CLOSE_ACL_ROLES = [ROLES.integration, 'admin'];

export interface AppOptions {
  /** Instance base URL (`glide.servlet.uri`), known once listening. */
  instanceUrl: () => string;
  serviceUrl: string;
  /** Base64 launch secret. */
  launchSecret: string;
  launchLifetimeSeconds: number;
  guardEnabled?: boolean;
}

export interface InstalledApp {
  runtime: GlideRuntime;
  /** The app's launch for `user` (the page alias /x_imper_verify_launch.do uses it). */
  launch(user: User, table: string, sysId: string): LaunchResult;
  /** The link the app puts in the verification field. */
  launchLink(table: string, sysId: string): string;
  /** The category rule as it runs before an insert (seeding applies it to rows written without rules). */
  applyPolicyOnInsert(table: string, record: Rec): void;
  /** Sets (or replaces) a system property. */
  setProperty(name: string, value: string): void;
  /** Writes the app's properties (and `glide.servlet.uri`) from the options; once the URL is known. */
  seedProperties(): void;
  /** Serves the scripted REST routes. */
  routes(app: FastifyInstance, userOf: (req: FastifyRequest) => User | null, guard: ApiGuard): void;
}

/** The stand-in's per-request API bookkeeping (request log user, rate limits); throws SnError to refuse. */
export type ApiGuard = (req: FastifyRequest, reply: FastifyReply, user: User) => void;

export function installApp(store: TableStore, opts: AppOptions): InstalledApp {
  const runtime = new GlideRuntime({
    store,
    canRead: (table, row, user) => {
      const filter = readFilter(store.schema, user as User, table);
      return !filter || filter(row);
    },
  });

  const setProperty = (name: string, value: string): void => {
    const existing = store.findOne('sys_properties', `name=${name}`);
    if (existing?.sys_id) store.update('sys_properties', existing.sys_id, { value }, { runRules: false });
    else store.insert('sys_properties', { name, value }, { runRules: false });
  };
  const seedProperties = (): void => {
    setProperty('glide.servlet.uri', `${opts.instanceUrl().replace(/\/+$/, '')}/`);
    setProperty(PROPERTIES.serviceUrl, opts.serviceUrl);
    setProperty(PROPERTIES.launchSecret, opts.launchSecret);
    setProperty(PROPERTIES.launchLifetime, String(opts.launchLifetimeSeconds));
    setProperty(PROPERTIES.guardEnabled, String(opts.guardEnabled ?? true));
  };

  const businessRules: BeforeWriteHook = (ctx) => {
    if (ctx.op === 'delete' || !store.schema.isA(ctx.table, 'task')) return;
    const event = {
      table: ctx.table,
      op: ctx.op,
      record: ctx.record,
      previous: ctx.previous,
      user: ctx.user,
    };
    const rules = [applyCategoryPolicy];
    // The guard's filter condition: stateVALCHANGES^x_imper_verify_statusISNOTEMPTY.
    if (ctx.op === 'update' && ctx.previous?.state !== ctx.record.state && ctx.record.x_imper_verify_status) {
      rules.push(guardResolveClose);
    }
    for (const rule of rules) {
      const result = runtime.businessRule(event, rule);
      if (result.aborted) {
        return {
          abort: {
            message: 'Operation Failed',
            detail: result.errors.join(' ') || 'The operation was aborted by a business rule.',
          },
        };
      }
    }
  };
  store.onBeforeWrite(businessRules);

  const asSession = (user: User): SessionUser => user;

  return {
    runtime,
    launch: (user, table, sysId) => runtime.run(asSession(user), () => launchFor(table, sysId)),
    launchLink: (table, sysId) => runtime.run(SYSTEM_USER, () => launchLinkFor(table, sysId)),
    applyPolicyOnInsert: (table, record) => {
      runtime.businessRule(
        { table, op: 'insert', record, previous: null, user: SYSTEM_USER },
        applyCategoryPolicy,
      );
    },
    setProperty,
    seedProperties,
    routes: (app, userOf, guard) => {
      const serve =
        (roles: string[], script: typeof launchRoute) =>
        async (req: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
          const user = userOf(req);
          if (!user) throw new SnError(401, 'User Not Authenticated', 'Required to provide Auth information');
          guard(req, reply, user);
          if (!user.roles.some((r) => roles.includes(r))) {
            throw new SnError(403, 'User Not Authorized', 'ACL restricts access to this resource');
          }
          let body: unknown;
          if (typeof req.body === 'string' && req.body.trim()) {
            try {
              body = JSON.parse(req.body);
            } catch {
              throw new SnError(400, 'Exception while reading request', 'The payload is not valid JSON.');
            }
          }
          const result = runtime.rest(
            user,
            {
              method: req.method,
              url: req.url,
              queryParams: req.query as Record<string, string | string[] | undefined>,
              headers: req.headers as Record<string, string | string[] | undefined>,
              body,
            },
            script,
          );
          reply.code(result.status).headers(result.headers);
          return result.body === undefined ? reply.send() : reply.send(result.body);
        };
      app.get(LAUNCH_PATH, serve(LAUNCH_ACL_ROLES, launchRoute));
      app.post(EVENTS_PATH, serve(EVENTS_ACL_ROLES, eventsRoute));
      app.post(CLOSE_PATH, serve(CLOSE_ACL_ROLES, closeRoute));
      for (const path of [LAUNCH_PATH, EVENTS_PATH, CLOSE_PATH]) {
        app.route({
          method: ['PUT', 'PATCH', 'DELETE', ...(path === LAUNCH_PATH ? ['POST'] : ['GET'])] as never,
          url: path,
          handler: async (req, reply) =>
            reply
              .code(405)
              .send(
                envelope(
                  'Method not Supported',
                  `HTTP method ${req.method} is not supported by this resource`,
                ),
              ),
        });
      }
    },
  };
}
