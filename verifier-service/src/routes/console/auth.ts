// The console's sign-in (F8, S18): GET /console/login shows the form; POST /console/login signs in (303 to `next`, or
// 401 with the form again and one message for every refusal — unknown user, wrong password, wrong or reused code,
// locked account); POST /console/logout signs out. The sign-in POST has its own per-IP limit on top of the
// per-account lock (S16). `next` is only ever a /console path of this service (no open redirect).
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { consoleLoginPage, pickLocale } from '@imper/portal';
import { CONSOLE_ROLES } from '@imper/shared';
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { cookieName } from '../../lib/cookies';
import { sha256 } from '../../lib/crypto';
import { CONSOLE_LOGIN_PATH, safeConsoleNext } from '../../plugins/app/console-auth';
import {
  consoleCookieMaxAge,
  createConsoleSession,
  endConsoleSession,
  setConsoleCookie,
  signIn,
} from '../../services/console-auth';
import { ssoTenant } from '../../services/console-sso';

const Form = Type.Object({
  username: Type.Optional(Type.String({ maxLength: 1000 })),
  password: Type.Optional(Type.String({ maxLength: 1000 })),
  totp: Type.Optional(Type.String({ maxLength: 100 })),
  tenant: Type.Optional(Type.String({ maxLength: 100 })),
  next: Type.Optional(Type.String({ maxLength: 4000 })),
});
const LoginQuery = Type.Object({
  next: Type.Optional(Type.String({ maxLength: 4000 })),
  tenant: Type.Optional(Type.String({ maxLength: 100 })),
});
const html = 'text/html; charset=utf-8';

const routes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const tenantChoices = () =>
    deps.tenants.all().length > 1
      ? deps.tenants.all().map((t) => ({ slug: t.slug, name: t.name }))
      : undefined;
  const pageReply = (reply: FastifyReply) =>
    reply.type(html).header('cache-control', 'no-store').header('vary', 'accept-language');
  /**
   * "Sign in with SSO" for the tenant the page is for (the only one, or the one asked for), the way
   * routes/console-sso finds it; with several tenants and none chosen, one link per tenant that has SSO.
   */
  const ssoLinks = (next: string, tenant?: string) => {
    const all = deps.tenants.all();
    const candidates = tenant ? all.filter((t) => t.slug === tenant) : all;
    const named = !tenant && all.length > 1;
    const links = candidates
      .filter((t) => ssoTenant(deps, t.slug))
      .map((t) => ({
        href: `/console/sso/${encodeURIComponent(t.slug)}/start?next=${encodeURIComponent(next)}`,
        ...(named ? { tenantName: t.name } : {}),
      }));
    return links.length ? links : undefined;
  };
  const loginPage = (
    req: FastifyRequest,
    d: { next: string; tenant?: string; username?: string; failed?: boolean },
  ) => {
    const tenants = tenantChoices();
    const sso = ssoLinks(d.next, d.tenant);
    return consoleLoginPage(
      { ...d, ...(tenants ? { tenants } : {}), ...(sso ? { sso } : {}) },
      pickLocale(req.headers['accept-language']),
    );
  };

  app.get(
    CONSOLE_LOGIN_PATH,
    {
      schema: {
        tags: ['console'],
        summary: 'The console sign-in page (user name, password, authenticator code)',
        querystring: LoginQuery,
      },
    },
    async (req, reply) =>
      pageReply(reply).send(
        loginPage(req, {
          next: safeConsoleNext(req.query.next),
          ...(req.query.tenant ? { tenant: req.query.tenant } : {}),
        }),
      ),
  );

  app.post(
    CONSOLE_LOGIN_PATH,
    {
      schema: {
        tags: ['console'],
        summary:
          'Sign in: 303 to `next` (a /console path) with the session cookie, or 401 and the form with one message',
        body: Form,
      },
      config: {
        rateLimit: { max: deps.config.rateLimits.consoleLoginPerIpPerMinute, timeWindow: 60_000 },
      },
    },
    async (req, reply) => {
      // Login CSRF: a browser that says the form came from another site is refused (SameSite does not cover it).
      if (req.headers['sec-fetch-site'] === 'cross-site')
        throw new AppError('CSRF_FAILED', 'Sign in from the console’s own page.');
      const next = safeConsoleNext(req.body.next);
      const username = (req.body.username ?? '').trim();
      const all = deps.tenants.all();
      const tenant =
        all.length === 1 && !req.body.tenant ? all[0] : all.find((t) => t.slug === req.body.tenant);
      const result = await signIn(deps, {
        // An unknown tenant still costs one hash (signIn runs it for an unknown user): same answer, same time.
        tenantId: tenant?.id ?? '00000000-0000-0000-0000-000000000000',
        username,
        password: req.body.password ?? '',
        ...(req.body.totp !== undefined ? { totp: req.body.totp } : {}),
        ip: req.ip,
      });
      if (!result.ok) {
        return pageReply(reply)
          .status(401)
          .send(
            loginPage(req, {
              next,
              username: username.slice(0, 120),
              failed: true,
              ...(req.body.tenant ? { tenant: req.body.tenant } : {}),
            }),
          );
      }
      // A new session on every sign-in; one the browser held before is ended.
      const previous = req.cookies[cookieName(deps.config, 'console')];
      if (previous) await endConsoleSession(deps, { idHash: sha256(previous) });
      const { cookieValue } = await createConsoleSession(deps, { userId: result.user.id, via: 'password' });
      setConsoleCookie(reply, deps.config, cookieValue, consoleCookieMaxAge(deps.config));
      return reply.status(303).header('cache-control', 'no-store').header('location', next).send();
    },
  );

  app.post(
    '/console/logout',
    {
      schema: { tags: ['console'], summary: 'Sign out (ends the session; needs the anti-CSRF value)' },
      config: { console: { roles: [...CONSOLE_ROLES] } },
    },
    async (req, reply) => {
      await endConsoleSession(deps, { idHash: req.consoleSession!.idHash, user: req.consoleUser! });
      setConsoleCookie(reply, deps.config, '', 0);
      return reply
        .status(303)
        .header('cache-control', 'no-store')
        .header('location', CONSOLE_LOGIN_PATH)
        .send();
    },
  );
};
export default routes;
