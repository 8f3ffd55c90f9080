// The agent's routes: launch from ServiceNow (F2), the send page and its form posts, and the same operations as
// a JSON API for the portal (F3).
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  AgentTicketViewSchema,
  AgentVerificationViewSchema,
  ErrorResponseSchema,
  SendVerificationBodySchema,
  type AgentTicketView,
} from '@imper/shared';
import { agentPage, isMessageKey, messageText, pickLocale, type Locale } from '@imper/portal';
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { safeEqual } from '../../lib/crypto';
import { cookieName, setCookie } from '../../lib/cookies';
import * as agent from '../../services/agent';

const PublicId = Type.String({ pattern: '^VRF-[2-9A-HJ-NP-Z]{6}$' });
const errors = {
  400: ErrorResponseSchema,
  401: ErrorResponseSchema,
  403: ErrorResponseSchema,
  404: ErrorResponseSchema,
  409: ErrorResponseSchema,
  429: ErrorResponseSchema,
  502: ErrorResponseSchema,
  504: ErrorResponseSchema,
};

function noticeText(locale: Locale, err: AppError): string {
  const key = `error.${err.code}.body`;
  return messageText(locale, isMessageKey(key) ? key : 'error.default.body');
}

const routes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const session = (req: FastifyRequest) =>
    agent.loadSession(deps, req.cookies[cookieName(deps.config, 'agent')]);
  const checkCsrf = (s: { idHash: Buffer }, value: string | undefined) => {
    const expected = Buffer.from(agent.csrfFor(deps, s.idHash));
    if (!value || !safeEqual(Buffer.from(value), expected)) {
      throw new AppError('CSRF_FAILED', 'This page is out of date. Reload it and try again.');
    }
  };
  const render = (req: FastifyRequest, reply: FastifyReply, view: AgentTicketView, err?: AppError) => {
    const locale = pickLocale(req.headers['accept-language']);
    // The service's messages are English; other languages get their message file's words for the code.
    const notice = err && {
      kind: 'error' as const,
      text: locale === 'en' ? err.message : noticeText(locale, err),
    };
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('vary', 'accept-language')
      .send(agentPage(view, notice, locale));
  };

  app.get(
    '/agent/launch',
    {
      schema: {
        tags: ['agent'],
        summary: 'Open the send page from a ServiceNow launch token',
        querystring: Type.Object({ token: Type.String({ minLength: 10, maxLength: 4096 }) }),
        response: {
          303: Type.Null(),
          401: ErrorResponseSchema,
          403: ErrorResponseSchema,
          502: ErrorResponseSchema,
          504: ErrorResponseSchema,
        },
      },
    },
    async (req, reply) => {
      const { sessionId } = await agent.launch(deps, req.query.token, req.ip);
      setCookie(reply, deps.config, 'agent', sessionId, deps.config.agentSessionMinutes * 60);
      return reply.header('cache-control', 'no-store').redirect('/agent', 303);
    },
  );

  app.get(
    '/agent',
    { schema: { tags: ['agent'], summary: 'The send page (HTML)', hide: true } },
    async (req, reply) => {
      const s = await session(req);
      return render(req, reply, await agent.ticketView(deps, s));
    },
  );

  // Form posts from the send page: same services, answering with the page (and its notice) again.
  // The CSRF value is optional in the schemas so that a post without it is refused as CSRF_FAILED (403), like one
  // with a wrong value, rather than as a generic validation error (S7).
  const FormBody = Type.Object({
    csrf: Type.Optional(Type.String({ maxLength: 200 })),
    contact: Type.Optional(Type.String({ maxLength: 60 })),
    destination: Type.Optional(Type.String({ maxLength: 254 })),
    channel: Type.Optional(Type.Union([Type.Literal('email'), Type.Literal('sms')])),
  });
  app.post('/agent/send', { schema: { tags: ['agent'], hide: true, body: FormBody } }, async (req, reply) => {
    const s = await session(req);
    checkCsrf(s, req.body.csrf);
    const contact = req.body.contact ?? 'typed';
    try {
      if (contact === 'typed') {
        const destination = (req.body.destination ?? '').trim();
        if (!destination)
          throw new AppError(
            'VALIDATION_FAILED',
            'Type an email address or mobile number, or pick a contact on file.',
          );
        await agent.send(deps, s, { channel: req.body.channel ?? 'sms', destination });
      } else {
        const [channel, key] = contact.split(':');
        if ((channel !== 'email' && channel !== 'sms') || !key)
          throw new AppError('VALIDATION_FAILED', 'Choose a contact from the list.');
        await agent.send(deps, s, { channel, contactKey: key });
      }
      return reply.redirect('/agent', 303);
    } catch (err) {
      if (!(err instanceof AppError) || err.statusCode >= 500) throw err;
      return render(
        req,
        reply.status(err.statusCode).headers(err.headers),
        await agent.ticketView(deps, s),
        err,
      );
    }
  });

  for (const op of ['resend', 'cancel'] as const) {
    app.post(
      `/agent/verifications/:id/${op}`,
      {
        schema: {
          tags: ['agent'],
          hide: true,
          params: Type.Object({ id: PublicId }),
          body: Type.Object({ csrf: Type.Optional(Type.String({ maxLength: 200 })) }),
        },
      },
      async (req, reply) => {
        const s = await session(req);
        checkCsrf(s, req.body.csrf);
        try {
          await agent[op](deps, s, req.params.id);
          return reply.redirect('/agent', 303);
        } catch (err) {
          if (!(err instanceof AppError) || err.statusCode >= 500) throw err;
          return render(
            req,
            reply.status(err.statusCode).headers(err.headers),
            await agent.ticketView(deps, s),
            err,
          );
        }
      },
    );
  }

  // JSON API (the portal's send page uses it; CSRF value in the x-csrf-token header).
  app.get(
    '/agent/api/ticket',
    {
      schema: {
        tags: ['agent'],
        summary: 'The ticket, requester, contacts on file (masked) and current verification',
        response: { 200: AgentTicketViewSchema, ...errors },
      },
    },
    async (req) => agent.ticketView(deps, await session(req)),
  );

  app.post(
    '/agent/api/verifications',
    {
      schema: {
        tags: ['agent'],
        summary: 'Send a verification link by email or SMS',
        headers: Type.Object({ 'x-csrf-token': Type.Optional(Type.String({ maxLength: 200 })) }),
        body: SendVerificationBodySchema,
        response: { 201: AgentVerificationViewSchema, ...errors },
      },
    },
    async (req, reply) => {
      const s = await session(req);
      checkCsrf(s, req.headers['x-csrf-token'] ?? req.body.csrf);
      return reply.status(201).send(await agent.send(deps, s, req.body));
    },
  );

  app.get(
    '/agent/api/verifications/:id',
    {
      schema: {
        tags: ['agent'],
        params: Type.Object({ id: PublicId }),
        response: { 200: AgentVerificationViewSchema, ...errors },
      },
    },
    async (req) => agent.verificationForSession(deps, await session(req), req.params.id),
  );

  for (const op of ['resend', 'cancel'] as const) {
    app.post(
      `/agent/api/verifications/:id/${op}`,
      {
        schema: {
          tags: ['agent'],
          summary:
            op === 'resend' ? 'Send a new link (the old one stops working)' : 'Cancel the verification',
          params: Type.Object({ id: PublicId }),
          headers: Type.Object({ 'x-csrf-token': Type.Optional(Type.String({ maxLength: 200 })) }),
          response: { 200: AgentVerificationViewSchema, ...errors },
        },
      },
      async (req) => {
        const s = await session(req);
        checkCsrf(s, req.headers['x-csrf-token']);
        return agent[op](deps, s, req.params.id);
      },
    );
  }
};
export default routes;
