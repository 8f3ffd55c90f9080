// The console's Settings — dead-letters section (F8 §6, R2): the tenant's failed ticket updates (admin, operator),
// Retry per row and "Retry all shown" (form POSTs, then 303 back to the page saying how many were queued), and the
// same as JSON. Retrying goes through the command's own re-drive (services/console-dead-letters.ts), bound to the
// signed-in user's tenant (S18). Roles are declared per route; the console hook checks them and the CSRF value.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ConsoleRole } from '@imper/shared';
import { deadLettersBody, pickLocale } from '@imper/portal';
import type { Deps } from '../../context';
import { sendConsolePage } from '../console-page';
import { AppError } from '../../errors';
import {
  DEAD_LETTER_PAGE,
  listConsoleDeadLetters,
  retryConsoleDeadLetters,
} from '../../services/console-dead-letters';

const RETRIERS: ConsoleRole[] = ['admin', 'operator'];
const PATH = '/console/settings/dead-letters';

const EventId = Type.String({
  pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
});
const EventIds = Type.Array(EventId, { minItems: 1, maxItems: DEAD_LETTER_PAGE.max });
const Cursor = Type.String({ minLength: 1, maxLength: 300, pattern: '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$' });
const Count = Type.Integer({ minimum: 0, maximum: 1_000_000 });

const DeadLetter = Type.Object({
  id: Type.String(),
  publicId: Type.String(),
  ticketNumber: Type.String(),
  kind: Type.String(),
  attempts: Type.Integer(),
  error: Type.Object({ code: Type.String(), detail: Type.Union([Type.String(), Type.Null()]) }),
  createdAt: Type.String(),
  deadAt: Type.String(),
});
const RetryResult = Type.Object({
  queued: Type.Integer(),
  ids: Type.Array(Type.String()),
  skipped: Type.Array(Type.String()),
});

const routes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    PATH,
    {
      config: { console: { roles: RETRIERS } },
      schema: {
        tags: ['console'],
        summary: "The failed ticket updates page: the tenant's dead-lettered write-backs, with Retry",
        querystring: Type.Object({
          cursor: Type.Optional(Cursor),
          queued: Type.Optional(Count),
          skipped: Type.Optional(Count),
        }),
      },
    },
    async (req, reply) => {
      const locale = pickLocale(req.headers['accept-language']);
      const u = req.consoleUser!;
      const q = req.query;
      const list = await listConsoleDeadLetters(deps, u.tenantId, q.cursor ? { cursor: q.cursor } : {});
      return sendConsolePage(req, reply, {
        title: 'console.settings.deadLetters.title',
        current: 'settings',
        body: () =>
          deadLettersBody(
            {
              roles: u.roles,
              csrf: req.consoleSession!.csrf,
              items: list.items,
              total: list.total,
              nextCursor: list.nextCursor,
              paged: q.cursor !== undefined,
              ...(q.queued !== undefined ? { retried: { queued: q.queued, skipped: q.skipped ?? 0 } } : {}),
            },
            locale,
          ),
      });
    },
  );

  app.post(
    `${PATH}/retry`,
    {
      config: { console: { roles: RETRIERS } },
      schema: {
        tags: ['console'],
        summary:
          'Retry failed ticket updates from the page (form POST with csrf; ids repeated); 303 back to the page',
        body: Type.Object({ csrf: Type.Optional(Type.String({ maxLength: 200 })), ids: EventIds }),
      },
    },
    async (req, reply) => {
      const r = await retryConsoleDeadLetters(deps, req.consoleUser!, { ids: req.body.ids });
      return reply
        .status(303)
        .header('location', `${PATH}?queued=${r.queued}&skipped=${r.skipped.length}`)
        .send();
    },
  );

  app.get(
    '/console/api/settings/dead-letters',
    {
      config: { console: { roles: RETRIERS } },
      schema: {
        tags: ['console'],
        summary: "The tenant's dead-lettered write-backs, newest first (keyset paging with nextCursor)",
        querystring: Type.Object({
          cursor: Type.Optional(Cursor),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: DEAD_LETTER_PAGE.max })),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(DeadLetter),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
            total: Type.Integer(),
          }),
        },
      },
    },
    async (req) => {
      const list = await listConsoleDeadLetters(deps, req.consoleUser!.tenantId, {
        ...(req.query.cursor ? { cursor: req.query.cursor } : {}),
        ...(req.query.limit ? { limit: req.query.limit } : {}),
      });
      return {
        items: list.items.map((i) => ({
          ...i,
          createdAt: i.createdAt.toISOString(),
          deadAt: i.deadAt.toISOString(),
        })),
        nextCursor: list.nextCursor,
        total: list.total,
      };
    },
  );

  app.post(
    '/console/api/settings/dead-letters/retry',
    {
      config: { console: { roles: RETRIERS } },
      schema: {
        tags: ['console'],
        summary:
          'Re-drive dead-lettered write-backs of the tenant: { ids: [...] } or { all: true }; answers how many were queued',
        body: Type.Object({ ids: Type.Optional(EventIds), all: Type.Optional(Type.Boolean()) }),
        response: { 200: RetryResult },
      },
    },
    async (req) => {
      const { ids, all } = req.body;
      if ((all === true) === (ids !== undefined))
        throw new AppError('VALIDATION_FAILED', 'Give either ids (a list of event ids) or all: true.');
      return retryConsoleDeadLetters(deps, req.consoleUser!, all === true ? { all: true } : { ids: ids! });
    },
  );
};
export default routes;
