// The console's Settings — servicenow section (F8 §6), admin only: the instance and its credentials (write-only),
// the write-back's health and backlog, "Test connection", and credentials replaced from the console (tested first,
// sealed, applied at once). The page posts plain forms (PRG); the JSON API offers the same. Every route is bound to
// the signed-in user's tenant (S18); every change and every test is an audit event.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ConsoleRole } from '@imper/shared';
import {
  pickLocale,
  servicenowNextStep,
  servicenowSettingsBody,
  type Locale,
  type ServiceNowPageData,
} from '@imper/portal';
import type { Deps } from '../../context';
import { sendConsolePage } from '../console-page';
import { AppError } from '../../errors';
import {
  CHECK_CODES,
  CHECKS,
  CREDENTIAL_LIMITS,
  changeCredentials,
  connectionFacts,
  parseCredentials,
  resetCredentials,
  testConnection,
  type CheckResult,
  type ConnectionFacts,
  type ConnectionTest,
  type CredentialsInput,
  type CredentialsProblem,
} from '../../services/servicenow-connection';

const ADMIN: ConsoleRole[] = ['admin'];

const AuthType = Type.Union([Type.Literal('basic'), Type.Literal('oauth')]);
const When = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);
const Facts = Type.Object({
  tenant: Type.Object({ slug: Type.String(), name: Type.String(), instanceUrl: Type.String() }),
  credentials: Type.Object({
    source: Type.Union([Type.Literal('configuration'), Type.Literal('console')]),
    authType: AuthType,
    username: Type.Union([Type.String(), Type.Null()]),
    clientId: Type.Union([Type.String(), Type.Null()]),
    secretSet: Type.Boolean({
      description: 'Whether a password or client secret is set; its value is never given out',
    }),
    changedAt: When,
    changedBy: Type.Union([Type.String(), Type.Null()]),
  }),
  configured: Type.Object({
    authType: AuthType,
    username: Type.Union([Type.String(), Type.Null()]),
    clientId: Type.Union([Type.String(), Type.Null()]),
  }),
  health: Type.Object({
    state: Type.Union([Type.Literal('up'), Type.Literal('down')]),
    downSince: When,
    lastProbeAt: When,
    lastError: Type.Union([Type.String(), Type.Null()]),
  }),
  backlog: Type.Object({ pending: Type.Integer(), dead: Type.Integer() }),
});
const Check = Type.Object({
  check: Type.Union(CHECKS.map((c) => Type.Literal(c))),
  table: Type.String(),
  status: Type.Union([Type.Literal('ok'), Type.Literal('failed'), Type.Literal('skipped')]),
  durationMs: Type.Integer(),
  code: Type.Optional(Type.Union(CHECK_CODES.map((c) => Type.Literal(c)))),
  httpStatus: Type.Optional(Type.Integer()),
  count: Type.Optional(Type.Integer()),
  nextStep: Type.Optional(Type.String({ description: 'What the admin can do about a failed check' })),
});
const TestAnswer = Type.Object({ ok: Type.Boolean(), checks: Type.Array(Check) });
const ErrorBody = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String() }),
  requestId: Type.Optional(Type.String()),
  checks: Type.Optional(Type.Array(Check)),
});

const credentialFields = {
  authType: AuthType,
  username: Type.Optional(Type.String({ maxLength: CREDENTIAL_LIMITS.id })),
  password: Type.Optional(Type.String({ maxLength: CREDENTIAL_LIMITS.secret })),
  clientId: Type.Optional(Type.String({ maxLength: CREDENTIAL_LIMITS.id })),
  clientSecret: Type.Optional(Type.String({ maxLength: CREDENTIAL_LIMITS.secret })),
};
const CredentialsBody = Type.Object(credentialFields, {
  description: 'basic: username and password; oauth: clientId and clientSecret (the other pair is ignored)',
});
const CredentialsForm = Type.Object({
  ...credentialFields,
  csrf: Type.Optional(Type.String({ maxLength: 200 })),
});
const CsrfForm = Type.Object({ csrf: Type.Optional(Type.String({ maxLength: 200 })) });
const PageQuery = Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) });

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const factsJson = (f: ConnectionFacts) => ({
  ...f,
  credentials: { ...f.credentials, changedAt: iso(f.credentials.changedAt) },
  health: { ...f.health, downSince: iso(f.health.downSince), lastProbeAt: iso(f.health.lastProbeAt) },
});
/** A check as the API gives it: a failed one with its next step in English. */
const checkJson = (c: CheckResult) =>
  c.status === 'failed' ? { ...c, nextStep: servicenowNextStep('en', c) } : c;
const testJson = (t: ConnectionTest) => ({ ok: t.ok, checks: t.checks.map(checkJson) });

const PROBLEM_MESSAGES: Record<CredentialsProblem, string> = {
  username: 'Give the integration user name (up to 200 characters, no colon).',
  password: 'Give the password (up to 1000 characters).',
  clientId: 'Give the OAuth client ID (up to 200 characters).',
  clientSecret: 'Give the client secret (up to 1000 characters).',
};
const REJECTED_MESSAGE =
  'The instance did not accept these credentials; nothing was saved. The checks say why.';

const DONE = ['saved', 'reset', 'unchanged'] as const;
const isDone = (v: string | undefined): v is (typeof DONE)[number] =>
  v !== undefined && (DONE as readonly string[]).includes(v);

const routes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const user = (req: FastifyRequest) => req.consoleUser!;

  const sendPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    extra: Omit<ServiceNowPageData, 'roles' | 'csrf' | 'facts'> = {},
    status = 200,
  ) => {
    const locale: Locale = pickLocale(req.headers['accept-language']);
    const u = user(req);
    const csrf = req.consoleSession!.csrf;
    const facts = await connectionFacts(deps, u.tenantId);
    return sendConsolePage(req, reply, {
      title: 'console.settings.servicenow.title',
      current: 'settings',
      status: status,
      body: () => servicenowSettingsBody({ roles: u.roles, csrf, facts, ...extra }, locale),
    });
  };

  app.get(
    '/console/settings/servicenow',
    {
      config: { console: { roles: ADMIN } },
      schema: {
        tags: ['console'],
        summary: 'The ServiceNow connection page (admin): instance, credentials (write-only), health, test',
        querystring: PageQuery,
      },
    },
    async (req, reply) => {
      const done = req.query.done;
      return sendPage(req, reply, isDone(done) ? { done } : {});
    },
  );

  app.post(
    '/console/settings/servicenow/test',
    {
      config: { console: { roles: ADMIN } },
      schema: {
        tags: ['console'],
        summary: 'Test the connection from the page (form POST with csrf); the page shows each check',
        body: CsrfForm,
      },
    },
    async (req, reply) => {
      const u = user(req);
      const test = await testConnection(deps, u.tenantId, u.username);
      return sendPage(req, reply, { test });
    },
  );

  app.post(
    '/console/settings/servicenow/credentials',
    {
      config: { console: { roles: ADMIN } },
      schema: {
        tags: ['console'],
        summary:
          'Replace the credentials from the page: tested first; saved → 303 to the page, refused → 400 with the form',
        body: CredentialsForm,
      },
    },
    async (req, reply) => {
      const u = user(req);
      const b = req.body;
      const kept = {
        authType: b.authType,
        ...(b.authType === 'basic'
          ? { username: (b.username ?? '').trim() }
          : { clientId: (b.clientId ?? '').trim() }),
      };
      const parsed = parseCredentials(b as CredentialsInput);
      if ('problem' in parsed)
        return sendPage(req, reply, { form: { ...kept, problem: parsed.problem } }, 400);
      const result = await changeCredentials(deps, u.tenantId, u.username, parsed.auth);
      if (!result.saved) return sendPage(req, reply, { form: { ...kept, rejected: result.test } }, 400);
      return reply.status(303).header('location', '/console/settings/servicenow?done=saved#main').send();
    },
  );

  app.post(
    '/console/settings/servicenow/credentials/reset',
    {
      config: { console: { roles: ADMIN } },
      schema: {
        tags: ['console'],
        summary: 'Go back to the configured credentials from the page (form POST with csrf); 303 to the page',
        body: CsrfForm,
      },
    },
    async (req, reply) => {
      const u = user(req);
      const { cleared } = await resetCredentials(deps, u.tenantId, u.username);
      return reply
        .status(303)
        .header('location', `/console/settings/servicenow?done=${cleared ? 'reset' : 'unchanged'}#main`)
        .send();
    },
  );

  app.get(
    '/console/api/settings/servicenow',
    {
      config: { console: { roles: ADMIN } },
      schema: {
        tags: ['console'],
        summary:
          "The tenant's ServiceNow connection: instance, credentials (never a secret), health, backlog",
        response: { 200: Facts },
      },
    },
    async (req) => factsJson(await connectionFacts(deps, user(req).tenantId)),
  );

  app.post(
    '/console/api/settings/servicenow/test',
    {
      config: { console: { roles: ADMIN } },
      schema: {
        tags: ['console'],
        summary:
          'Test the connection with the credentials in use: sign-in and user read, category policies, incidents',
        response: { 200: TestAnswer },
      },
    },
    async (req) => {
      const u = user(req);
      return testJson(await testConnection(deps, u.tenantId, u.username));
    },
  );

  app.put(
    '/console/api/settings/servicenow/credentials',
    {
      config: { console: { roles: ADMIN } },
      schema: {
        tags: ['console'],
        summary:
          'Replace the credentials (write-only): tested first, saved sealed only when every check passes (else 400 SERVICENOW_CREDENTIALS_REJECTED)',
        body: CredentialsBody,
        response: {
          200: Type.Object({ saved: Type.Literal(true), test: TestAnswer, settings: Facts }),
          400: ErrorBody,
        },
      },
    },
    async (req, reply) => {
      const u = user(req);
      const parsed = parseCredentials(req.body);
      if ('problem' in parsed) throw new AppError('VALIDATION_FAILED', PROBLEM_MESSAGES[parsed.problem]);
      const result = await changeCredentials(deps, u.tenantId, u.username, parsed.auth);
      if (!result.saved) {
        return reply.status(400).send({
          error: { code: 'SERVICENOW_CREDENTIALS_REJECTED', message: REJECTED_MESSAGE },
          requestId: req.id,
          checks: result.test.checks.map(checkJson),
        });
      }
      return {
        saved: true as const,
        test: testJson(result.test),
        settings: factsJson(await connectionFacts(deps, u.tenantId)),
      };
    },
  );

  app.delete(
    '/console/api/settings/servicenow/credentials',
    {
      config: { console: { roles: ADMIN } },
      schema: {
        tags: ['console'],
        summary:
          'Go back to the configured credentials (the console’s are deleted); cleared says whether any were set',
        response: { 200: Type.Object({ cleared: Type.Boolean(), settings: Facts }) },
      },
    },
    async (req) => {
      const u = user(req);
      const { cleared } = await resetCredentials(deps, u.tenantId, u.username);
      return { cleared, settings: factsJson(await connectionFacts(deps, u.tenantId)) };
    },
  );
};
export default routes;
