// The one place console access is decided (F8, S18; fastify/demo's authorization plugin). A console route declares
// the roles it allows — `config: { console: { roles: ['admin', 'operator'] } }` — and this plugin's hooks enforce it:
//
// - onRequest: load the console session from its cookie and set `req.consoleUser` (and `req.consoleSession`), or
//   refuse: no, an invalid or an expired session → 401 CONSOLE_SESSION_REQUIRED (JSON for /console/api/*; console
//   pages instead redirect, 303, to /console/login?next=<path>); none of the user's roles allowed → 403
//   CONSOLE_FORBIDDEN.
// - preValidation (the body is parsed by then): a POST/PUT/PATCH/DELETE needs the session's anti-CSRF value in the
//   `x-csrf-token` header or the form field `csrf` → else 403 CSRF_FAILED. (/console/login and the SSO callbacks
//   declare no `config.console`, so neither hook applies to them.)
//
// Every route registered after this plugin that declares `config.console`, and every route under /console, is
// recorded (`consoleRoutesOf(deps)`), so the role test walks the routes other engineers add without being told.
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isConsoleRole, type ConsoleRole } from '@imper/shared';
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { cookieName } from '../../lib/cookies';
import { safeEqual } from '../../lib/crypto';
import { loadConsoleSession, type ConsoleSession, type ConsoleUser } from '../../services/console-auth';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in console user on routes that declare `config.console` (undefined elsewhere). */
    consoleUser: ConsoleUser | undefined;
    /** Its session: `csrf` is the anti-CSRF value pages put in their forms (`consoleCsrf`). */
    consoleSession: ConsoleSession | undefined;
  }
  interface FastifyContextConfig {
    /** A console route: the roles allowed. Enforced by plugins/app/console-auth.ts. */
    console?: { roles: ConsoleRole[] };
  }
}

export interface ConsoleRouteInfo {
  method: string;
  url: string;
  /** null: the route is under /console but declares no `config.console` (login, SSO, the agent's details page) */
  roles: ConsoleRole[] | null;
}

const registries = new WeakMap<Deps, ConsoleRouteInfo[]>();
/** The routes registered after the plugin that are console routes or live under /console (tests walk them). */
export const consoleRoutesOf = (deps: Deps): readonly ConsoleRouteInfo[] => registries.get(deps) ?? [];

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const CONSOLE_LOGIN_PATH = '/console/login';
const isApi = (url: string) => url.startsWith('/console/api/');

/** A `next` target is only ever one of our console paths (no open redirect): else /console. */
export function safeConsoleNext(next: unknown): string {
  if (typeof next !== 'string' || next.length > 2000) return '/console';
  // A path, not a scheme-relative or backslashed URL, with no control characters.
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
  if (!/^\/console(?:[/?#]|$)/.test(next) || /[\\\u0000-\u001f\u007f]/.test(next)) return '/console';
  try {
    const u = new URL(next, 'http://console.invalid');
    if (u.origin !== 'http://console.invalid' || !/^\/console(\/|$)/.test(u.pathname)) return '/console';
    if (u.pathname === CONSOLE_LOGIN_PATH) return '/console';
    return `${u.pathname}${u.search}`;
  } catch {
    return '/console';
  }
}

export default fp(
  async function consoleAuth(app: FastifyInstance, { deps }: { deps: Deps }) {
    const registry: ConsoleRouteInfo[] = [];
    registries.set(deps, registry);
    app.decorateRequest('consoleUser', undefined);
    app.decorateRequest('consoleSession', undefined);

    app.addHook('onRoute', (route) => {
      const rule = route.config?.console;
      const url = route.url ?? route.path;
      if (rule !== undefined) {
        // A route that says it is a console route but allows no valid role is a programming error: fail at boot.
        if (!Array.isArray(rule.roles) || !rule.roles.length || !rule.roles.every(isConsoleRole))
          throw new Error(`console route ${url}: config.console.roles must list admin, operator or auditor`);
      }
      if (rule === undefined && !url.startsWith('/console')) return;
      for (const method of [route.method].flat())
        if (method !== 'HEAD') registry.push({ method, url, roles: rule ? [...rule.roles] : null });
    });

    const refuseNoSession = (req: FastifyRequest, reply: FastifyReply) => {
      const path = req.url.split('?')[0] ?? '';
      if (!isApi(path)) {
        const next = req.method === 'GET' ? safeConsoleNext(req.url) : '/console';
        return reply
          .status(303)
          .header('cache-control', 'no-store')
          .header('location', `${CONSOLE_LOGIN_PATH}?next=${encodeURIComponent(next)}`)
          .send();
      }
      throw new AppError('CONSOLE_SESSION_REQUIRED', 'Sign in to the console first.');
    };

    app.addHook('onRequest', async (req, reply) => {
      const rule = req.routeOptions.config.console;
      if (!rule) return;
      const loaded = await loadConsoleSession(deps, req.cookies[cookieName(deps.config, 'console')]);
      if (!loaded) return refuseNoSession(req, reply);
      if (!loaded.user.roles.some((r) => rule.roles.includes(r)))
        throw new AppError('CONSOLE_FORBIDDEN', 'Your console role does not allow this.');
      req.consoleUser = loaded.user;
      req.consoleSession = loaded.session;
      reply.header('cache-control', 'no-store');
    });

    app.addHook('preValidation', async (req) => {
      if (!req.routeOptions.config.console || !UNSAFE.has(req.method) || !req.consoleSession) return;
      const header = req.headers['x-csrf-token'];
      const body = req.body as { csrf?: unknown } | undefined;
      const given =
        typeof header === 'string' ? header : typeof body?.csrf === 'string' ? body.csrf : undefined;
      if (!given || !safeEqual(Buffer.from(given), Buffer.from(req.consoleSession.csrf)))
        throw new AppError('CSRF_FAILED', 'This form has expired. Reload the page and try again.');
    });
  },
  { name: 'console-auth', dependencies: ['error-handler'] },
);
