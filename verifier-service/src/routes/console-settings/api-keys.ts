// The console's Settings — API keys (F7 keys, F8 §6; admin). The page lists the tenant's keys (never a key: its
// prefix, scopes, webhook, creator, last use, state), creates one (the answer shows the key and its webhook's signing
// secret once, `cache-control: no-store`) and revokes one (form POST, 303 back; a second click changes nothing).
// The JSON API does the same under /console/api/settings/api-keys. The service's own functions do the work
// (services/api-keys.ts: validation, the hash, the sealed secret, the audit events `api_key.created` /
// `api_key.revoked`, here with the actor `console:<username>`). Every query is bound to the signed-in user's
// tenant (S18): another tenant's key id is NOT_FOUND and nothing is revoked.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LINE_PATTERN, type ConsoleRole } from '@imper/shared';
import { apiKeyCreatedBody, apiKeysBody, type ApiKeyForm, type Locale } from '@imper/portal';
import type { Deps } from '../../context';
import { sendConsolePage } from '../console-page';
import { API_KEY_SCOPES, webhookUrlProblem, type ApiKeyScope } from '../../domain/api-key';
import { AppError } from '../../errors';
import {
  createApiKey,
  listApiKeysWithCreators,
  revokeApiKeyOfTenant,
  type ApiKeyListItem,
  type ApiKeySummary,
} from '../../services/api-keys';
import { consoleActor } from '../../services/console-auth';

const ADMIN: ConsoleRole[] = ['admin'];
const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

const Scope = Type.Union(API_KEY_SCOPES.map((s) => Type.Literal(s)));
const Stamp = Type.String({ description: 'ISO 8601, UTC' });
const summaryProps = {
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String({
    description: 'The first 14 characters of the key: tells keys apart, cannot be used',
  }),
  scopes: Type.Array(Scope),
  webhookUrl: Type.Union([Type.String(), Type.Null()]),
  createdAt: Stamp,
  lastUsedAt: Type.Union([Stamp, Type.Null()]),
  revokedAt: Type.Union([Stamp, Type.Null()]),
};
const ApiKeySummarySchema = Type.Object(summaryProps);
const ApiKeyItem = Type.Object({
  ...summaryProps,
  createdBy: Type.Union([Type.String(), Type.Null()], {
    description: 'Who created it, as the audit trail names them (console:<username>, cli, demo)',
  }),
});
const CreateBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100, pattern: LINE_PATTERN }),
  scopes: Type.Array(Scope, { minItems: 1, maxItems: API_KEY_SCOPES.length, uniqueItems: true }),
  webhookUrl: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 2000,
      description: 'https (http only to localhost/127.0.0.1 outside production); no credentials',
    }),
  ),
});
const Created = Type.Object({
  key: Type.String({ description: 'The key itself: answered this once, never again' }),
  webhookSecret: Type.Union([Type.String(), Type.Null()], {
    description:
      "The webhook's Standard Webhooks signing secret (whsec_…), this once; null without a webhook",
  }),
  apiKey: ApiKeyItem,
});
const IdParams = Type.Object({ id: Type.String({ pattern: UUID }) });
// The page's form: loose, so that a wrong value comes back as the form with its message (400), not an error page.
const CreateForm = Type.Object({
  csrf: Type.Optional(Type.String({ maxLength: 200 })),
  name: Type.Optional(Type.String({ maxLength: 1000 })),
  scopes: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 10 })),
  webhookUrl: Type.Optional(Type.String({ maxLength: 4000 })),
});
const CsrfForm = Type.Object({ csrf: Type.Optional(Type.String({ maxLength: 200 })) });
const PageQuery = Type.Object({ revoked: Type.Optional(Type.String({ pattern: UUID })) });

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const summaryJson = (k: ApiKeySummary) => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  scopes: k.scopes,
  webhookUrl: k.webhookUrl,
  createdAt: k.createdAt.toISOString(),
  lastUsedAt: iso(k.lastUsedAt),
  revokedAt: iso(k.revokedAt),
});
const itemJson = (k: ApiKeyListItem) => ({ ...summaryJson(k), createdBy: k.createdBy });

const isScope = (s: string): s is ApiKeyScope => (API_KEY_SCOPES as readonly string[]).includes(s);

/** The form's problems, field by field, with the service's own rules (name, scopes, the webhook URL's). */
function formProblems(deps: Deps, f: { name: string; scopes: string[]; webhookUrl: string }) {
  const errors: NonNullable<ApiKeyForm['errors']> = {};
  if (!f.name || f.name.length > 100 || !new RegExp(LINE_PATTERN).test(f.name)) errors.name = true;
  if (!f.scopes.length || !f.scopes.every(isScope)) errors.scopes = true;
  if (f.webhookUrl && webhookUrlProblem(f.webhookUrl, deps.config.env)) errors.webhookUrl = true;
  return errors;
}

const routes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const page = (
    req: FastifyRequest,
    reply: FastifyReply,
    body: (locale: Locale) => string,
    title: 'console.settings.apiKeys.title' | 'console.settings.apiKeys.created.title',
  ) => sendConsolePage(req, reply, { title, current: 'settings', body });
  const listPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    opts: { form?: ApiKeyForm; revokedId?: string } = {},
  ) => {
    const u = req.consoleUser!;
    const keys = await listApiKeysWithCreators(deps, u.tenantId);
    const revoked = opts.revokedId ? keys.find((k) => k.id === opts.revokedId && k.revokedAt) : undefined;
    return page(
      req,
      reply,
      (locale) =>
        apiKeysBody(
          {
            roles: u.roles,
            csrf: req.consoleSession!.csrf,
            keys,
            ...(opts.form ? { form: opts.form } : {}),
            ...(revoked ? { revoked: revoked.prefix } : {}),
          },
          locale,
        ),
      'console.settings.apiKeys.title',
    );
  };

  app.get(
    '/console/settings/api-keys',
    {
      config: { console: { roles: ADMIN } },
      schema: {
        tags: ['console'],
        summary: "The API keys page: the tenant's keys (never a key itself) and the form that creates one",
        querystring: PageQuery,
      },
    },
    async (req, reply) =>
      listPage(req, reply, { ...(req.query.revoked ? { revokedId: req.query.revoked } : {}) }),
  );

  app.post(
    '/console/settings/api-keys',
    {
      config: { console: { roles: ADMIN } },
      schema: {
        tags: ['console'],
        summary: 'Create an API key from the page (form POST with csrf): the answer shows the key once',
        body: CreateForm,
      },
    },
    async (req, reply) => {
      const u = req.consoleUser!;
      const sent = {
        name: (req.body.name ?? '').trim(),
        scopes: [...new Set(req.body.scopes ?? [])],
        webhookUrl: (req.body.webhookUrl ?? '').trim(),
      };
      const errors = formProblems(deps, sent);
      if (Object.keys(errors).length) {
        reply.status(400);
        return listPage(req, reply, { form: { ...sent, errors } });
      }
      let created;
      try {
        created = await createApiKey(deps, {
          tenantId: u.tenantId,
          name: sent.name,
          scopes: sent.scopes.filter(isScope),
          ...(sent.webhookUrl ? { webhookUrl: sent.webhookUrl } : {}),
          actor: consoleActor(u),
        });
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== 'VALIDATION_FAILED') throw err;
        reply.status(400);
        return listPage(req, reply, { form: { ...sent, errors: { name: true } } });
      }
      return page(
        req,
        reply,
        (locale) =>
          apiKeyCreatedBody(
            {
              roles: u.roles,
              key: created.key,
              webhookSecret: created.webhookSecret,
              apiKey: created.apiKey,
            },
            locale,
          ),
        'console.settings.apiKeys.created.title',
      );
    },
  );

  app.post(
    '/console/settings/api-keys/:id/revoke',
    {
      config: { console: { roles: ADMIN } },
      schema: {
        tags: ['console'],
        summary: 'Revoke an API key from the page (form POST with csrf); 303 back to the list',
        params: IdParams,
        body: CsrfForm,
      },
    },
    async (req, reply) => {
      const u = req.consoleUser!;
      const k = await revokeApiKeyOfTenant(deps, {
        tenantId: u.tenantId,
        id: req.params.id,
        actor: consoleActor(u),
      });
      return reply
        .status(303)
        .header('cache-control', 'no-store')
        .header('location', `/console/settings/api-keys?revoked=${encodeURIComponent(k.id)}`)
        .send();
    },
  );

  app.get(
    '/console/api/settings/api-keys',
    {
      config: { console: { roles: ADMIN } },
      schema: {
        tags: ['console'],
        summary:
          "The tenant's API keys, newest first (prefix, scopes, webhook, creator, last use; never the key)",
        response: { 200: Type.Object({ items: Type.Array(ApiKeyItem) }) },
      },
    },
    async (req) => ({
      items: (await listApiKeysWithCreators(deps, req.consoleUser!.tenantId)).map(itemJson),
    }),
  );

  app.post(
    '/console/api/settings/api-keys',
    {
      config: { console: { roles: ADMIN } },
      schema: {
        tags: ['console'],
        summary: 'Create an API key: the answer carries the key (and the webhook secret) this once',
        body: CreateBody,
        response: { 201: Created },
      },
    },
    async (req, reply) => {
      const u = req.consoleUser!;
      const created = await createApiKey(deps, {
        tenantId: u.tenantId,
        name: req.body.name,
        scopes: req.body.scopes,
        ...(req.body.webhookUrl !== undefined ? { webhookUrl: req.body.webhookUrl } : {}),
        actor: consoleActor(u),
      });
      return reply
        .status(201)
        .header('cache-control', 'no-store')
        .send({
          key: created.key,
          webhookSecret: created.webhookSecret,
          apiKey: { ...summaryJson(created.apiKey), createdBy: consoleActor(u) },
        });
    },
  );

  app.post(
    '/console/api/settings/api-keys/:id/revoke',
    {
      config: { console: { roles: ADMIN } },
      schema: {
        tags: ['console'],
        summary: "Revoke one of the tenant's API keys (idempotent: a revoked key is answered as it is)",
        params: IdParams,
        response: { 200: Type.Object({ apiKey: ApiKeySummarySchema }) },
      },
    },
    async (req) => {
      const u = req.consoleUser!;
      const k = await revokeApiKeyOfTenant(deps, {
        tenantId: u.tenantId,
        id: req.params.id,
        actor: consoleActor(u),
      });
      return { apiKey: summaryJson(k) };
    },
  );
};
export default routes;
