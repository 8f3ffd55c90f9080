// The requester's link (F4): GET shows the landing page and never consumes the link (S7); POST …/start consumes
// it (S4) with an anti-CSRF value bound to this browser; /v/result shows the outcome to that browser only.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  actionPage,
  actionResultPage,
  APPROVAL_STEPS,
  attestationDonePage,
  CHALLENGE_STEPS,
  attestationPage,
  errorPage,
  landingPage,
  pickLocale,
  questionPage,
  reportDonePage,
  reportPage,
  resultPage,
  waitingPage,
} from '@imper/portal';
import type { Deps } from '../../context';
import { newToken } from '../../lib/crypto';
import { cookieName, setCookie } from '../../lib/cookies';
import * as actions from '../../services/action';
import * as report from '../../services/action-report';
import * as assurance from '../../services/assurance';
import * as requester from '../../services/requester';
import * as stepUp from '../../services/step-up';

const Token = Type.String({ minLength: 1, maxLength: 200 });
// Optional so that a post without the value is refused as CSRF_FAILED (403, "open the link again"), not as a generic
// validation error (S7).
const CsrfForm = Type.Object({ csrf: Type.Optional(Type.String({ maxLength: 200 })) });
// Start also carries the browser collector's signals (a JSON string; an invalid one is read as "did not run").
const StartForm = Type.Object({
  csrf: Type.Optional(Type.String({ maxLength: 200 })),
  signals: Type.Optional(Type.String({ maxLength: 16_384 })),
});
const AnswerForm = Type.Object({
  csrf: Type.Optional(Type.String({ maxLength: 200 })),
  question: Type.Optional(Type.String({ maxLength: 100 })),
  choice: Type.Optional(Type.String({ maxLength: 100 })),
  changes: Type.Optional(Type.String({ maxLength: 10 })),
  elapsed: Type.Optional(Type.String({ maxLength: 12 })),
});
const AttestForm = Type.Object({
  csrf: Type.Optional(Type.String({ maxLength: 200 })),
  decision: Type.Optional(Type.String({ maxLength: 20 })),
});
const ActionForm = Type.Object({
  csrf: Type.Optional(Type.String({ maxLength: 200 })),
  password: Type.Optional(Type.String({ maxLength: 1024 })),
  confirm: Type.Optional(Type.String({ maxLength: 1024 })),
});
const NONCE = /^[A-Za-z0-9_-]{43}$/;

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
  /** A page of the requester's (or manager's) flow: HTML, never cached, in the browser's language. */
  const pageReply = (reply: FastifyReply) =>
    reply.type(html).header('cache-control', 'no-store').header('vary', 'accept-language');
  /**
   * The browser's nonce for a one-time link's page (S7): the anti-CSRF value of the page's form is bound to it and
   * to the link. Kept when the cookie already holds one, so two tabs of the same browser agree.
   */
  const browserNonce = (req: FastifyRequest, reply: FastifyReply, maxAgeSeconds: number) => {
    const existing = req.cookies[cookieName(deps.config, 'start')];
    const nonce = existing && NONCE.test(existing) ? existing : newToken();
    setCookie(reply, deps.config, 'start', nonce, maxAgeSeconds);
    return nonce;
  };
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
      const nonce = browserNonce(req, reply, 30 * 60);
      return pageReply(reply).send(
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
        body: StartForm,
        response: { 303: Type.Null() },
      },
      preValidation: onlyTheForm,
    },
    async (req, reply) => {
      const { sessionId, next } = await requester.start(
        deps,
        req.params.token,
        { nonce: req.cookies[cookieName(deps.config, 'start')], value: req.body.csrf },
        { ip: req.ip, headers: req.headers, signals: req.body.signals },
      );
      setCookie(reply, deps.config, 'requester', sessionId, 60 * 60);
      return reply.redirect(next, 303);
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
      await requester.reportOpened(
        deps,
        req.params.token,
        { nonce: req.cookies[cookieName(deps.config, 'start')], value: req.body.csrf },
        { ip: req.ip, userAgent: req.headers['user-agent'] ?? '' },
      );
      return reply.status(204).header('cache-control', 'no-store').send(null);
    },
  );

  const helpdesk = (tenantId: string) => deps.tenants.byId(tenantId)?.name ?? 'Your helpdesk';
  const session = (req: FastifyRequest) => req.cookies[cookieName(deps.config, 'requester')];

  app.get(
    assurance.CHALLENGE_PATH,
    {
      schema: {
        tags: ['requester'],
        summary: 'The question waiting for this browser (the challenge)',
        querystring: Type.Object({ error: Type.Optional(Type.Literal('choice')) }),
      },
    },
    async (req, reply) => {
      const h = pageReply(reply);
      const locale = pickLocale(req.headers['accept-language']);
      const next = await assurance.requesterNext(deps, session(req));
      if (!next) return h.status(404).send(errorPage('NO_SESSION', locale));
      if (next.kind !== 'question') return reply.redirect(assurance.RESULT_PATH, 303);
      const v = await requester.resultForSession(deps, session(req));
      return h.send(
        questionPage(
          {
            helpdeskName: helpdesk(v!.tenantId),
            csrf: next.csrf,
            action: assurance.CHALLENGE_PATH,
            question: next.question,
            position: next.position,
            ...(req.query.error === 'choice' ? { error: 'CHOICE_REQUIRED' as const } : {}),
          },
          locale,
        ),
      );
    },
  );

  app.post(
    assurance.CHALLENGE_PATH,
    {
      schema: {
        tags: ['requester'],
        summary: 'Answer the question waiting for this browser (counted before it is checked, S5)',
        body: AnswerForm,
        response: { 303: Type.Null() },
      },
      preValidation: onlyTheForm,
    },
    async (req, reply) => {
      const r = await assurance.answerQuestion(deps, session(req), req.body);
      const to =
        r === 'next'
          ? assurance.CHALLENGE_PATH
          : r === 'choice_required'
            ? `${assurance.CHALLENGE_PATH}?error=choice`
            : assurance.RESULT_PATH;
      return reply.header('cache-control', 'no-store').redirect(to, 303);
    },
  );

  app.get(
    '/v/status',
    {
      schema: {
        tags: ['requester'],
        summary: "Whether the verification this browser waits on (the manager's attestation) has an outcome",
        response: {
          200: Type.Object({ done: Type.Boolean(), next: Type.Optional(Type.String()) }),
        },
      },
    },
    async (req, reply) => {
      const next = await assurance.requesterNext(deps, session(req));
      reply.header('cache-control', 'no-store');
      if (!next) return { done: true, next: assurance.RESULT_PATH };
      if (next.kind === 'waiting') return { done: false };
      return {
        done: true,
        next: next.kind === 'question' ? assurance.CHALLENGE_PATH : assurance.RESULT_PATH,
      };
    },
  );

  app.get(
    assurance.RESULT_PATH,
    { schema: { tags: ['requester'], summary: 'The outcome, for the browser that verified' } },
    async (req, reply) => {
      const h = pageReply(reply);
      const locale = pickLocale(req.headers['accept-language']);
      const next = await assurance.requesterNext(deps, session(req));
      if (!next) return h.status(404).send(errorPage('NO_SESSION', locale));
      if (next.kind === 'question') return reply.redirect(assurance.CHALLENGE_PATH, 303);
      const v = next.verification;
      if (next.kind === 'waiting') {
        return h.send(waitingPage({ helpdeskName: helpdesk(v.tenantId), statusUrl: '/v/status' }, locale));
      }
      // Passed at Verified with an action to do: the action page; a finished action: its result.
      if (actions.offeredAction(deps, v)) return reply.redirect(actions.ACTION_PATH, 303);
      const done = actions.actionResult(v);
      if (done && (done.status === 'completed' || done.status === 'failed')) {
        return h.send(
          actionResultPage(
            {
              helpdeskName: helpdesk(v.tenantId),
              action: done.action as 'password_reset',
              status: done.status,
              message: done.message,
            },
            locale,
          ),
        );
      }
      // The step bar keeps the 'approval' step the requester went through, if they did.
      const askedManager =
        ((v.report as { stepUpReasons?: unknown[] } | null)?.stepUpReasons ?? []).length > 0;
      return h.send(
        resultPage(
          v.outcome ?? v.state,
          helpdesk(v.tenantId),
          locale,
          askedManager ? APPROVAL_STEPS : CHALLENGE_STEPS,
        ),
      );
    },
  );

  // ── the automated action after a Verified pass (F6) ──

  const actionPageFor = (
    view: actions.ActionView,
    locale: ReturnType<typeof pickLocale>,
    error?: actions.ActionOutcome & { kind: 'retry' },
  ) =>
    actionPage(
      {
        helpdeskName: view.helpdeskName,
        action: view.action,
        csrf: view.csrf,
        actionUrl: actions.ACTION_PATH,
        until: view.until,
        minLength: view.minLength,
        ...(error ? { error: { code: error.code, message: error.message } } : {}),
      },
      locale,
    );

  app.get(
    actions.ACTION_PATH,
    { schema: { tags: ['requester'], summary: 'The automated action offered after a Verified pass' } },
    async (req, reply) => {
      const view = await actions.actionView(deps, session(req));
      if (!view) return reply.redirect(assurance.RESULT_PATH, 303);
      return reply
        .type(html)
        .header('cache-control', 'no-store')
        .header('vary', 'accept-language')
        .send(actionPageFor(view, pickLocale(req.headers['accept-language'])));
    },
  );

  app.post(
    actions.ACTION_PATH,
    {
      schema: {
        tags: ['requester'],
        summary: 'Run the automated action, once (S13); a refused password can be corrected and sent again',
        body: ActionForm,
      },
      preValidation: onlyTheForm,
    },
    async (req, reply) => {
      const outcome = await actions.runAction(deps, session(req), req.body);
      if (outcome.kind !== 'retry')
        return reply.header('cache-control', 'no-store').redirect(assurance.RESULT_PATH, 303);
      const view = await actions.actionView(deps, session(req));
      if (!view) return reply.redirect(assurance.RESULT_PATH, 303);
      return reply
        .status(422)
        .type(html)
        .header('cache-control', 'no-store')
        .send(actionPageFor(view, pickLocale(req.headers['accept-language']), outcome));
    },
  );

  // ── S11: "This wasn't me" after a reset or unlock ──

  app.get(
    '/r/:token',
    {
      schema: {
        tags: ['requester'],
        summary: 'The "This wasn\'t me" page of the notice after a reset or unlock (does not report)',
        params: Type.Object({ token: Token }),
      },
    },
    async (req, reply) => {
      const view = await report.openReport(deps, req.params.token);
      const nonce = browserNonce(req, reply, 60 * 60);
      return pageReply(reply).send(
        reportPage(
          {
            ...view,
            csrf: report.reportCsrf(deps, nonce, req.params.token),
            actionUrl: `/r/${req.params.token}`,
          },
          pickLocale(req.headers['accept-language']),
        ),
      );
    },
  );

  app.post(
    '/r/:token',
    {
      schema: {
        tags: ['requester'],
        summary:
          '"This wasn\'t me": flags the verification, tells the ticket, locks the account where it can',
        params: Type.Object({ token: Token }),
        body: CsrfForm,
      },
      preValidation: onlyTheForm,
    },
    async (req, reply) => {
      const done = await report.reportNotMe(deps, req.params.token, {
        nonce: req.cookies[cookieName(deps.config, 'start')],
        value: req.body.csrf,
      });
      return reply
        .type(html)
        .header('cache-control', 'no-store')
        .send(reportDonePage(done, pickLocale(req.headers['accept-language'])));
    },
  );

  // ── the manager's attestation (step-up) ──

  app.get(
    '/m/:token',
    {
      schema: {
        tags: ['requester'],
        summary: "The manager's attestation page (does not answer it)",
        params: Type.Object({ token: Token }),
      },
    },
    async (req, reply) => {
      const view = await stepUp.openAttestation(deps, req.params.token);
      const nonce = browserNonce(req, reply, 60 * 60);
      return pageReply(reply).send(
        attestationPage(
          {
            ...view,
            csrf: stepUp.attestationCsrf(deps, nonce, req.params.token),
            action: `/m/${req.params.token}`,
          },
          pickLocale(req.headers['accept-language']),
        ),
      );
    },
  );

  app.post(
    '/m/:token',
    {
      schema: {
        tags: ['requester'],
        summary: "The manager's answer: approve or deny, once",
        params: Type.Object({ token: Token }),
        body: AttestForm,
      },
      preValidation: onlyTheForm,
    },
    async (req, reply) => {
      const { decision, helpdeskName } = await stepUp.answerStepUp(
        deps,
        req.params.token,
        { nonce: req.cookies[cookieName(deps.config, 'start')], value: req.body.csrf },
        req.body.decision,
      );
      return reply
        .type(html)
        .header('cache-control', 'no-store')
        .send(attestationDonePage(decision, helpdeskName, pickLocale(req.headers['accept-language'])));
    },
  );
};
export default routes;
