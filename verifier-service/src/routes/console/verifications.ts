// F8 console API (CONTRACTS.md "Console"): the Verifications table as JSON and CSV, and one verification's details.
// Every route declares the console roles that may call it (`config.console.roles`); the console-auth hook enforces
// it (401 without a session, 403 with the wrong role) and sets `req.consoleUser`, whose tenant scopes every query
// (SECURITY.md S18). The handlers refuse to run without it too, so a route registered outside that hook fails closed.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import {
  CONSOLE_CSV_COLUMNS,
  ConsoleVerificationDetailsSchema,
  ConsoleVerificationListSchema,
  ConsoleVerificationsQuerySchema,
  ErrorResponseSchema,
  type ConsoleRole,
} from '@imper/shared';
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import {
  listVerifications,
  verificationDetails,
  verificationsCsv,
  type ConsoleViewer,
} from '../../services/console-verifications';

export const CONSOLE_READERS: ConsoleRole[] = ['admin', 'operator', 'auditor'];
const PublicId = Type.String({ pattern: '^VRF-[2-9A-HJ-NP-Z]{6}$' });
const errors = { 400: ErrorResponseSchema, 401: ErrorResponseSchema, 403: ErrorResponseSchema };

/** The signed-in console user's tenant and roles; 401 when the auth hook did not set one (fail closed). */
export function viewerOf(req: FastifyRequest): ConsoleViewer {
  const u = req.consoleUser;
  if (!u) throw new AppError('CONSOLE_SESSION_REQUIRED', 'Sign in to the console first.');
  return { tenantId: u.tenantId, roles: u.roles };
}

const routes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const config = { console: { roles: [...CONSOLE_READERS] } };

  app.get(
    '/console/api/verifications',
    {
      config,
      schema: {
        tags: ['console'],
        summary: 'The Verifications table: filtered, searched, newest first, in keyset pages (cursor)',
        description:
          'Filters combine (AND). `q` is a ticket number (exact), a verification ID (exact), else the start of the requester name or email. Pass `nextCursor` back as `cursor` for the next page with the same filters; `count` stops at 10,000 (`countCapped`).',
        querystring: ConsoleVerificationsQuerySchema,
        response: { 200: ConsoleVerificationListSchema, ...errors },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return listVerifications(deps, viewerOf(req), req.query);
    },
  );

  app.get(
    '/console/api/verifications.csv',
    {
      config,
      schema: {
        tags: ['console'],
        summary: 'The filtered Verifications table as CSV (every matching row; cursor and limit are ignored)',
        description: `Columns: ${CONSOLE_CSV_COLUMNS.join(', ')}. Cells that start with = + - @ are prefixed with ' (no spreadsheet formulas).`,
        querystring: ConsoleVerificationsQuerySchema,
        produces: ['text/csv'],
        response: {
          200: Type.String({ description: 'text/csv; a header row naming the columns' }),
          ...errors,
        },
      },
    },
    async (req, reply) => {
      const stream = verificationsCsv(deps, viewerOf(req), req.query);
      const day = deps.clock.now().toISOString().slice(0, 10);
      return (
        reply
          .type('text/csv; charset=utf-8')
          .header('cache-control', 'no-store')
          .header('content-disposition', `attachment; filename="verifications-${day}.csv"`)
          // A stream is sent as is (never serialized); the 200 schema above is for the OpenAPI document only
          .send(stream as unknown as string)
      );
    },
  );

  app.get(
    '/console/api/verifications/:publicId',
    {
      config,
      schema: {
        tags: ['console'],
        summary:
          "One verification's details: analysis report, transcript, timeline, deliveries, user information",
        params: Type.Object({ publicId: PublicId }),
        response: { 200: ConsoleVerificationDetailsSchema, ...errors, 404: ErrorResponseSchema },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return verificationDetails(deps, viewerOf(req), req.params.publicId);
    },
  );
};
export default routes;
