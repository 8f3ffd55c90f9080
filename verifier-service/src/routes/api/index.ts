// F7 API start: systems (an IVR, a chat bot) start a verification for an account and read its status, with a
// per-tenant API key as bearer token. Authorization in one place: every route here declares the scope it needs
// (`config: { apiScope }`) and the one `onRequest` hook below checks the key and the scope before anything else
// (body parsing included); a route without a scope is refused, so a new route cannot forget it. Each key also has
// its own rate limit (S16), on top of the per-IP one.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ApiStartBodySchema,
  ApiStartedSchema,
  ApiVerificationStatusSchema,
  ErrorResponseSchema,
  type ApiVerificationStatus,
} from '@imper/shared';
import type { Deps } from '../../context';
import { bearerKey, hasScope, type ApiKey, type ApiKeyScope } from '../../domain/api-key';
import { isFinal, type Verification } from '../../domain/verification';
import { AppError } from '../../errors';
import { authenticate } from '../../services/api-keys';
import { startDirect } from '../../services/direct-start';
import { findVerificationByPublicId } from '../../repositories/verifications';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The API key scope a route under /api/v1 needs (routes/api) */
    apiScope?: ApiKeyScope;
  }
  interface FastifyRequest {
    /** The authenticated API key (routes/api only) */
    apiKey: ApiKey | null;
  }
}

const PublicId = Type.String({ pattern: '^VRF-[2-9A-HJ-NP-Z]{6}$' });
const errors = {
  400: ErrorResponseSchema,
  401: ErrorResponseSchema,
  403: ErrorResponseSchema,
  404: ErrorResponseSchema,
  429: ErrorResponseSchema,
  502: ErrorResponseSchema,
  504: ErrorResponseSchema,
};
const security = [{ apiKey: [] }];
const BASE = '/api/v1/verifications';

const invalidKey = () =>
  new AppError('API_KEY_INVALID', 'A valid API key is required as a bearer token.', {
    'www-authenticate': 'Bearer realm="imper-verify"',
  });

/** A fixed one-minute window per key (per process, as the per-IP limiter). */
function keyLimiter(max: number) {
  const windows = new Map<string, { start: number; count: number }>();
  return (keyId: string, now: number): number | null => {
    let w = windows.get(keyId);
    if (!w || now - w.start >= 60_000) {
      if (windows.size > 10_000) windows.clear(); // bounded: at worst a window restarts early
      w = { start: now, count: 0 };
      windows.set(keyId, w);
    }
    w.count += 1;
    return w.count > max ? Math.ceil((w.start + 60_000 - now) / 1000) : null;
  };
}

function statusView(v: Verification): ApiVerificationStatus {
  const final = isFinal(v.state);
  return {
    publicId: v.publicId,
    status: v.state,
    ...(final && v.outcome ? { outcome: v.outcome } : {}),
    ...(final && v.riskLevel
      ? { riskLevel: v.riskLevel as ApiVerificationStatus['riskLevel'] & string }
      : {}),
    action: v.action as ApiVerificationStatus['action'],
    actionStatus: v.actionStatus as ApiVerificationStatus['actionStatus'],
    ticket: v.ticketNumber,
    createdAt: v.createdAt.toISOString(),
    ...(v.completedAt ? { completedAt: v.completedAt.toISOString() } : {}),
  };
}

const routes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const overLimit = keyLimiter(deps.config.rateLimits.perApiKeyPerMinute);
  app.decorateRequest('apiKey', null);
  app.addHook('onRequest', async (req) => {
    const scope = req.routeOptions.config.apiScope;
    if (!scope) throw new AppError('FORBIDDEN', 'This route is not available.'); // fail closed
    const key = await authenticate(deps, bearerKey(req.headers.authorization));
    if (!key) throw invalidKey();
    const retryAfter = overLimit(key.id, Date.now());
    if (retryAfter !== null)
      throw new AppError('RATE_LIMITED', 'Too many requests with this API key. Wait a moment.', {
        'retry-after': String(retryAfter),
      });
    if (!hasScope(key, scope))
      throw new AppError('API_KEY_SCOPE', `This API key does not have the scope ${scope}.`);
    req.apiKey = key;
  });

  app.post(
    BASE,
    {
      config: { apiScope: 'verifications:write' },
      schema: {
        tags: ['api'],
        summary: 'Start a verification for an account (the link goes to its contact on file)',
        security,
        headers: Type.Object({ authorization: Type.Optional(Type.String({ maxLength: 300 })) }),
        body: ApiStartBodySchema,
        response: {
          201: ApiStartedSchema,
          ...errors,
          409: ErrorResponseSchema,
          422: ErrorResponseSchema,
        },
      },
    },
    async (req, reply) => {
      const key = req.apiKey!;
      const result = await startDirect(deps, {
        tenantId: key.tenantId,
        identifier: req.body.user,
        channel: req.body.channel,
        action: req.body.action,
        ...(req.body.reason ? { reason: req.body.reason } : {}),
        initiator: { kind: 'api', apiKeyId: key.id, keyName: key.name },
      });
      switch (result.kind) {
        case 'unknown_account':
          throw new AppError('ACCOUNT_NOT_FOUND', 'No active account has that user name or email.');
        case 'no_contact':
          throw new AppError(
            'NO_CONTACT_ON_FILE',
            `The account has no ${req.body.channel === 'sms' ? 'mobile phone' : 'email'} on file.`,
          );
        case 'action_not_offered':
          throw new AppError(
            'ACTION_NOT_OFFERED',
            `The helpdesk does not offer the action ${result.action} (no active category policy has it).`,
          );
        case 'already_running':
          throw new AppError(
            'VERIFICATION_ALREADY_ACTIVE',
            `Verification ${result.verification.publicId} is already running for this account.`,
            { location: `${BASE}/${result.verification.publicId}` },
            { publicId: result.verification.publicId },
          );
        case 'started': {
          const v = result.verification;
          return reply
            .status(201)
            .header('location', `${BASE}/${v.publicId}`)
            .header('cache-control', 'no-store')
            .send({
              publicId: v.publicId,
              status: v.state,
              ticket: v.ticketNumber,
              channel: v.channel,
              destinationMasked: v.destinationMasked,
              expiresAt: v.deadlineAt.toISOString(),
            });
        }
      }
    },
  );

  app.get(
    `${BASE}/:publicId`,
    {
      config: { apiScope: 'verifications:read' },
      schema: {
        tags: ['api'],
        summary: 'The status of a verification this tenant started through the API',
        security,
        headers: Type.Object({ authorization: Type.Optional(Type.String({ maxLength: 300 })) }),
        params: Type.Object({ publicId: PublicId }),
        response: { 200: ApiVerificationStatusSchema, ...errors },
      },
    },
    async (req, reply) => {
      const key = req.apiKey!;
      const v = await findVerificationByPublicId(deps.db, key.tenantId, req.params.publicId);
      // Only the tenant's own API starts: an agent's or self-service verification is not the API's to read.
      if (!v || v.initiatedBy !== 'api' || !v.apiKeyId)
        throw new AppError('VERIFICATION_NOT_FOUND', 'No such verification.');
      return reply.header('cache-control', 'no-store').send(statusView(v));
    },
  );
};
export default routes;
