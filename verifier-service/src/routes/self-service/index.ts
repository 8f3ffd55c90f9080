// F7: the portal's self-service page. GET shows the form (one `identifier` input, a select of what the person
// needs); POST checks the anti-CSRF value (bound to the browser's cookie nonce, as the link pages', so a form
// posted from another site is refused), checks the form and queues the start — no ServiceNow call on this path,
// so the answer (status, body, headers, time) is the same whether or not the account exists (S8). The job does the
// rest (services/self-service.ts). A tighter per-IP limit than the service-wide one guards the POST (S16); it keys
// on the client address only, so it too answers the same for every identifier.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { pickLocale, selfServicePage, SELF_SERVICE_ACTIONS, type SelfServiceAction } from '@imper/portal';
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { cookieName, setCookie } from '../../lib/cookies';
import { newToken } from '../../lib/crypto';
import { tenantForSelfService } from '../../services/direct-start';
import {
  checkSelfServiceCsrf,
  IDENTIFIER_MAX_LENGTH,
  queueSelfServiceStart,
  readSelfServiceForm,
  selfServiceCsrf,
  SELF_SERVICE_PATH,
} from '../../services/self-service';

const Query = Type.Object({ tenant: Type.Optional(Type.String({ pattern: '^[a-z0-9-]{1,40}$' })) });
// Every field optional: a missing anti-CSRF value is refused as CSRF_FAILED (403), a missing identifier gets the
// form again with its message — never a generic "body must have property" error. The identifier's own limit
// (254, an email's longest) is checked by the route, so that a longer one gets the form's message too; this bound
// only keeps absurd bodies out.
const Form = Type.Object({
  csrf: Type.Optional(Type.String({ maxLength: 200 })),
  identifier: Type.Optional(Type.String({ maxLength: 4096 })),
  action: Type.Optional(Type.String({ maxLength: 40 })),
});
const NONCE = /^[A-Za-z0-9_-]{43}$/;
const html = 'text/html; charset=utf-8';

/** Only the page's form is read: any other body (none, JSON, text) is an empty form, refused as CSRF_FAILED. */
async function onlyTheForm(req: FastifyRequest) {
  const form = /^application\/x-www-form-urlencoded\s*(;|$)/i.test(req.headers['content-type'] ?? '');
  const body = req.body;
  if (!form || typeof body !== 'object' || body === null || Array.isArray(body)) req.body = {};
}

const routes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const pageReply = (reply: FastifyReply) =>
    reply.type(html).header('cache-control', 'no-store').header('vary', 'accept-language');
  const ignoreBody = (_req: unknown, _body: unknown, done: (err: null, body?: unknown) => void) => done(null);
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: 16 * 1024 }, ignoreBody);
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 16 * 1024 }, ignoreBody);

  const tenantFor = (slug: string | undefined) => {
    const tenant = tenantForSelfService(deps, slug);
    if (!tenant)
      throw new AppError('NOT_FOUND', 'There is no self-service here. Ask your helpdesk for the address.');
    return tenant;
  };
  const formUrl = (slug: string | undefined) =>
    slug ? `${SELF_SERVICE_PATH}?tenant=${encodeURIComponent(slug)}` : SELF_SERVICE_PATH;
  const formPage = (
    req: FastifyRequest,
    d: { helpdeskName: string; slug: string | undefined; nonce: string },
    extra: {
      action?: SelfServiceAction;
      error?: 'IDENTIFIER_REQUIRED' | 'IDENTIFIER_TOO_LONG' | 'ACTION_UNKNOWN';
    } = {},
  ) =>
    selfServicePage(
      {
        view: 'form',
        helpdeskName: d.helpdeskName,
        actionUrl: formUrl(d.slug),
        csrf: selfServiceCsrf(deps, d.nonce),
        maxLength: IDENTIFIER_MAX_LENGTH,
        ...extra,
      },
      pickLocale(req.headers['accept-language']),
    );

  app.get(
    SELF_SERVICE_PATH,
    {
      schema: {
        tags: ['self-service'],
        summary: 'The self-service form: user name or work email, and what the person needs',
        querystring: Query,
      },
    },
    async (req, reply) => {
      const tenant = tenantFor(req.query.tenant);
      // The browser's nonce the form's anti-CSRF value is bound to; kept when the cookie already holds one.
      const existing = req.cookies[cookieName(deps.config, 'start')];
      const nonce = existing && NONCE.test(existing) ? existing : newToken();
      setCookie(reply, deps.config, 'start', nonce, 30 * 60);
      return pageReply(reply).send(
        formPage(req, { helpdeskName: tenant.name, slug: req.query.tenant, nonce }),
      );
    },
  );

  app.post(
    SELF_SERVICE_PATH,
    {
      schema: {
        tags: ['self-service'],
        summary:
          'Ask for a link: queues the start and answers the same page whether or not the account exists (S8)',
        querystring: Query,
        body: Form,
      },
      preValidation: onlyTheForm,
      config: {
        rateLimit: { max: deps.config.rateLimits.selfServicePerIpPerMinute, timeWindow: 60_000 },
      },
    },
    async (req, reply) => {
      const tenant = tenantFor(req.query.tenant);
      const nonce = req.cookies[cookieName(deps.config, 'start')];
      checkSelfServiceCsrf(deps, { nonce, value: req.body.csrf });
      const form = readSelfServiceForm(req.body);
      if (!form.ok) {
        const action = (SELF_SERVICE_ACTIONS as readonly string[]).includes(req.body.action ?? '')
          ? (req.body.action as SelfServiceAction)
          : undefined;
        return pageReply(reply)
          .status(400)
          .send(
            formPage(
              req,
              { helpdeskName: tenant.name, slug: req.query.tenant, nonce: nonce! },
              { error: form.problem, ...(action ? { action } : {}) },
            ),
          );
      }
      await queueSelfServiceStart(deps, {
        tenantId: tenant.id,
        identifier: form.identifier,
        action: form.action,
      });
      return pageReply(reply).send(
        selfServicePage(
          {
            view: 'sent',
            helpdeskName: tenant.name,
            formUrl: formUrl(req.query.tenant),
            expiresMinutes: deps.config.linkTtlMinutes,
          },
          pickLocale(req.headers['accept-language']),
        ),
      );
    },
  );
};
export default routes;
