// The console's Settings — providers section (F8 §6, admin): the email and SMS providers, their webhooks'
// signature checks (S17), the tenant's directory for actions and the tenant's delivery figures (the page and its
// JSON), and a read-only credentials check (form POST or JSON). Secrets only ever appear as set / not set; the
// response schemas list every field that may leave, so nothing else can. Roles are declared per route; the console
// hook checks them and the CSRF value of every POST.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { ConsoleRole } from '@imper/shared';
import { consolePage, messageText, pickLocale, providersBody } from '@imper/portal';
import type { Deps } from '../../context';
import {
  checkProviders,
  providersView,
  type ProviderCheck,
  type ProvidersView,
} from '../../services/provider-status';

const ADMINS: ConsoleRole[] = ['admin'];
const PATH = '/console/settings/providers';

const Nullable = <T extends import('@sinclair/typebox').TSchema>(s: T) => Type.Union([s, Type.Null()]);
const Counts = Type.Object({
  total: Type.Integer(),
  delivered: Type.Integer(),
  pending: Type.Integer(),
  failed: Type.Integer(),
});
const ChannelStats = Type.Object({
  day: Counts,
  week: Counts,
  lastFailure: Nullable(Type.Object({ at: Type.String(), errorCode: Nullable(Type.String()) })),
});
const ProvidersJson = Type.Object({
  email: Type.Object({
    provider: Type.String(),
    fromEmail: Nullable(Type.String()),
    fromName: Nullable(Type.String()),
    apiKeySet: Type.Boolean(),
    baseUrl: Nullable(Type.String()),
    webhookSignature: Type.Boolean(),
  }),
  sms: Type.Object({
    provider: Type.String(),
    fromMasked: Nullable(Type.String()),
    messagingServiceSid: Nullable(Type.String()),
    accountSid: Nullable(Type.String()),
    authTokenSet: Type.Boolean(),
    baseUrl: Nullable(Type.String()),
    webhookSignature: Type.Boolean(),
  }),
  directory: Type.Object({
    kind: Type.String(),
    endpoint: Nullable(Type.String()),
    secretSet: Nullable(Type.Boolean()),
  }),
  deliveries: Type.Object({ email: ChannelStats, sms: ChannelStats }),
  at: Type.String(),
});
const Check = Type.Object({
  channel: Type.Union([Type.Literal('email'), Type.Literal('sms')]),
  provider: Type.String(),
  outcome: Type.Union([Type.Literal('ok'), Type.Literal('failed'), Type.Literal('skipped')]),
  status: Nullable(Type.Integer()),
  code: Nullable(Type.String()),
  detail: Nullable(Type.String()),
});

const statsJson = (s: ProvidersView['deliveries']['email']) => ({
  day: s.day,
  week: s.week,
  lastFailure: s.lastFailure
    ? { at: s.lastFailure.at.toISOString(), errorCode: s.lastFailure.errorCode }
    : null,
});

const routes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const page = async (req: FastifyRequest, checks?: ProviderCheck[]) => {
    const locale = pickLocale(req.headers['accept-language']);
    const u = req.consoleUser!;
    const view = await providersView(deps, u.tenantId);
    const csrf = req.consoleSession!.csrf;
    return consolePage({
      title: messageText(locale, 'console.settings.providers.title'),
      user: u,
      current: 'settings',
      csrf,
      locale,
      body: providersBody({ ...view, roles: u.roles, csrf, ...(checks ? { checks } : {}) }, locale),
    });
  };

  app.get(
    PATH,
    {
      config: { console: { roles: ADMINS } },
      schema: {
        tags: ['console'],
        summary: 'The providers page: email, SMS, webhook signatures, directory, delivery figures',
      },
    },
    async (req, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .header('vary', 'accept-language')
        .send(await page(req)),
  );

  app.post(
    `${PATH}/check`,
    {
      config: { console: { roles: ADMINS } },
      schema: {
        tags: ['console'],
        summary:
          "Check the providers' credentials from the page (form POST with csrf); the page shows the result",
        body: Type.Object({ csrf: Type.Optional(Type.String({ maxLength: 200 })) }),
      },
    },
    async (req, reply) => {
      const checks = await checkProviders(deps);
      return reply
        .type('text/html; charset=utf-8')
        .header('vary', 'accept-language')
        .send(await page(req, checks));
    },
  );

  app.get(
    '/console/api/settings/providers',
    {
      config: { console: { roles: ADMINS } },
      schema: {
        tags: ['console'],
        summary:
          "The providers' settings (secrets only as set / not set) and the tenant's delivery figures (24 hours, 7 days)",
        response: { 200: ProvidersJson },
      },
    },
    async (req) => {
      const v = await providersView(deps, req.consoleUser!.tenantId);
      return {
        email: v.email,
        sms: v.sms,
        directory: v.directory,
        deliveries: { email: statsJson(v.deliveries.email), sms: statsJson(v.deliveries.sms) },
        at: v.at.toISOString(),
      };
    },
  );

  app.post(
    '/console/api/settings/providers/check',
    {
      config: { console: { roles: ADMINS } },
      schema: {
        tags: ['console'],
        summary:
          'Check the credentials with one read-only call per provider (SendGrid GET /v3/scopes, Twilio GET Account)',
        response: { 200: Type.Object({ checks: Type.Array(Check) }) },
      },
    },
    async () => ({ checks: await checkProviders(deps) }),
  );
};
export default routes;
