// The requester's link (F4): GET shows the landing page and never consumes the link (S7); POST …/start consumes
// it (S4) with an anti-CSRF value bound to this browser; /v/result shows the outcome to that browser only.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorPage, landingPage, pickLocale, resultPage } from '@imper/portal';
import type { Deps } from '../../context';
import { newToken } from '../../lib/crypto';
import { cookieName, setCookie } from '../../lib/cookies';
import * as requester from '../../services/requester';

const Token = Type.String({ minLength: 1, maxLength: 200 });

const routes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const html = 'text/html; charset=utf-8';

  app.get(
    '/v/:token',
    {
      schema: {
        tags: ['requester'],
        summary: 'Landing page of a verification link (does not consume it)',
        params: Type.Object({ token: Token }),
      },
    },
    async (req, reply) => {
      const landing = await requester.openLink(deps, req.params.token);
      const nonceCookie = cookieName(deps.config, 'start');
      const nonce =
        req.cookies[nonceCookie] && /^[A-Za-z0-9_-]{43}$/.test(req.cookies[nonceCookie]!)
          ? req.cookies[nonceCookie]!
          : newToken();
      setCookie(reply, deps.config, 'start', nonce, 30 * 60);
      return reply
        .type(html)
        .header('cache-control', 'no-store')
        .header('vary', 'accept-language')
        .send(
          landingPage(
            { ...landing, token: req.params.token, csrf: requester.startCsrf(deps, nonce, req.params.token) },
            pickLocale(req.headers['accept-language']),
          ),
        );
    },
  );

  app.post(
    '/v/:token/start',
    {
      schema: {
        tags: ['requester'],
        summary: 'Start verification: consumes the link once, atomically',
        params: Type.Object({ token: Token }),
        // Optional so that a post without the value is refused as CSRF_FAILED (403, "open the link again"), not as
        // a generic validation error (S7).
        body: Type.Object({ csrf: Type.Optional(Type.String({ maxLength: 200 })) }),
        response: { 303: Type.Null() },
      },
    },
    async (req, reply) => {
      const { sessionId } = await requester.start(
        deps,
        req.params.token,
        { nonce: req.cookies[cookieName(deps.config, 'start')], value: req.body.csrf },
        { ip: req.ip, userAgent: req.headers['user-agent'] ?? '' },
      );
      setCookie(reply, deps.config, 'requester', sessionId, 60 * 60);
      return reply.redirect('/v/result', 303);
    },
  );

  app.get(
    '/v/result',
    { schema: { tags: ['requester'], summary: 'The outcome, for the browser that verified' } },
    async (req, reply) => {
      const v = await requester.resultForSession(deps, req.cookies[cookieName(deps.config, 'requester')]);
      const h = reply.type(html).header('cache-control', 'no-store').header('vary', 'accept-language');
      const locale = pickLocale(req.headers['accept-language']);
      if (!v) return h.status(404).send(errorPage('NO_SESSION', locale));
      return h.send(resultPage(v.outcome, deps.tenants.byId(v.tenant_id)?.name ?? 'Your helpdesk', locale));
    },
  );
};
export default routes;
