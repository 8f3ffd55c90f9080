// Console single sign-on through the tenant's OpenID Connect provider (S18). Public routes (no console session
// yet): start sends the browser to the provider; the callback opens a session only for a user one of whose groups
// maps to a console role.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { consoleSsoDonePage, pickLocale } from '@imper/portal';
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { createConsoleSession, setConsoleCookie, upsertSsoUser } from '../../services/console-auth';
import { appendAuditEvent } from '../../repositories/audit';
import {
  completeSso,
  SSO_FLOW_SECONDS,
  ssoCookieName,
  ssoTenant,
  startSso,
} from '../../services/console-sso';

const Slug = Type.String({ pattern: '^[a-z0-9-]{1,40}$' });

const routes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const tenantOr404 = (slug: string) => {
    const t = ssoTenant(deps, slug);
    if (!t) throw new AppError('NOT_FOUND', 'No single sign-on for this organisation');
    return t;
  };
  const flowCookie = (value: string, maxAge: number) => ({
    path: '/',
    httpOnly: true,
    secure: deps.config.cookieSecure,
    // Lax: the provider sends the browser back with a top-level GET, which carries Lax cookies.
    sameSite: 'lax' as const,
    maxAge,
    value,
  });

  app.get(
    '/console/sso/:tenantSlug/start',
    {
      schema: {
        tags: ['console'],
        summary: "Starts console sign-in at the tenant's OpenID Connect provider (303 to it)",
        params: Type.Object({ tenantSlug: Slug }),
        querystring: Type.Object({ next: Type.Optional(Type.String({ maxLength: 2000 })) }),
      },
    },
    async (req, reply) => {
      const t = tenantOr404(req.params.tenantSlug);
      const { location, cookie } = await startSso(deps, t, req.query.next);
      const c = flowCookie(cookie, SSO_FLOW_SECONDS);
      reply.setCookie(ssoCookieName(deps.config), c.value, c);
      return reply.header('cache-control', 'no-store').redirect(location, 303);
    },
  );

  app.get(
    '/console/sso/:tenantSlug/callback',
    {
      schema: {
        tags: ['console'],
        summary:
          'Where the provider returns; validates and opens a console session (200: a page linking to next)',
        params: Type.Object({ tenantSlug: Slug }),
        querystring: Type.Record(Type.String(), Type.String({ maxLength: 4000 })),
      },
    },
    async (req, reply) => {
      const t = tenantOr404(req.params.tenantSlug);
      const name = ssoCookieName(deps.config);
      const sealed = req.cookies[name];
      // One use: the flow cookie goes whatever happens next.
      reply.clearCookie(name, { path: '/' }).header('cache-control', 'no-store');
      // The URL the provider redirected to, built from configuration (never the Host header, S15).
      const currentUrl = new URL(req.url, deps.config.publicBaseUrl);
      const id = await completeSso(deps, t, sealed, currentUrl);
      const consoleUser = await upsertSsoUser(deps, {
        tenantId: t.id,
        subject: id.subject,
        username: id.username,
        name: id.name,
        roles: id.roles,
      });
      const session = await createConsoleSession(deps, { userId: consoleUser.id, via: 'sso' });
      setConsoleCookie(
        reply,
        deps.config,
        session.cookieValue,
        Math.max(1, Math.floor((session.expiresAt.getTime() - deps.clock.now().getTime()) / 1000)),
      );
      await deps.db.transaction().execute((trx) =>
        appendAuditEvent(trx, {
          tenantId: t.id,
          verificationId: null,
          type: 'console.login',
          actor: `console:${consoleUser.username}`,
          data: { userId: consoleUser.id, username: consoleUser.username, roles: id.roles, via: 'sso' },
          createdAt: deps.clock.now(),
        }),
      );
      // Not a 303 to next: the console cookie is SameSite=Strict and this request ends a navigation the provider's
      // page started, so Chromium would not send the new cookie on a redirect from here and the browser would land
      // on the sign-in page. Our own page's link is a same-site navigation, which carries it (no script, no refresh).
      return reply
        .type('text/html; charset=utf-8')
        .header('vary', 'accept-language')
        .send(
          consoleSsoDonePage(
            { next: id.next, name: consoleUser.name },
            pickLocale(req.headers['accept-language']),
          ),
        );
    },
  );
};
export default routes;
