// The requester's link (F4): GET shows the landing page and never consumes the link (S7); POST …/start consumes
// it (S4) with an anti-CSRF value bound to this browser; /v/result shows the outcome to that browser only.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { errorPage, landingPage, pickLocale, resultPage } from '@imper/portal';
import type { Deps } from '../../context';
import { newToken } from '../../lib/crypto';
import { cookieName, setCookie } from '../../lib/cookies';
import * as requester from '../../services/requester';

const Token = Type.String({ minLength: 1, maxLength: 200 });
// Optional so that a post without the value is refused as CSRF_FAILED (403, "open the link again"), not as a generic
// validation error (S7).
const CsrfForm = Type.Object({ csrf: Type.Optional(Type.String({ maxLength: 200 })) });

/**
 * The link's POSTs take only the page's form. Any other body — none at all, JSON, text, multipart — is read as an
 * empty form, so it gets the same CSRF refusal as a form without the value (S7), not "body must be object".
 */
async function onlyTheForm(req: FastifyRequest) {
  const form = /^application\/x-www-form-urlencoded\s*(;|$)/i.test(req.headers['content-type'] ?? '');
  const body = req.body;
  if (!form || typeof body !== 'object' || body === null || Array.isArray(body)) req.body = {};
}

const routes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const html = 'text/html; charset=utf-8';
  // In this scope JSON and any other non-form body are accepted unread (and then ignored, see onlyTheForm): no 400
  // for bad JSON nor 415 for a strange content type before the CSRF refusal.
  const ignoreBody = (_req: unknown, _body: unknown, done: (err: null, body?: unknown) => void) => done(null);
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: 16 * 1024 }, ignoreBody);
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 16 * 1024 }, ignoreBody);

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
        body: CsrfForm,
        response: { 303: Type.Null() },
      },
      preValidation: onlyTheForm,
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

  app.post(
    '/v/:token/opened',
    {
      schema: {
        tags: ['requester'],
        summary: "The landing page's script reports that a browser ran the page (does not consume the link)",
        params: Type.Object({ token: Token }),
        body: CsrfForm,
        response: { 204: Type.Null() },
      },
      preValidation: onlyTheForm,
    },
    async (req, reply) => {
      await requester.reportOpened(deps, req.params.token, {
        nonce: req.cookies[cookieName(deps.config, 'start')],
        value: req.body.csrf,
      });
      return reply.status(204).header('cache-control', 'no-store').send(null);
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
      return h.send(resultPage(v.outcome, deps.tenants.byId(v.tenantId)?.name ?? 'Your helpdesk', locale));
    },
  );
};
export default routes;
