import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import type { Deps } from '../../context';
import { pendingMigrations } from '../../db/migrate';

const Status = Type.Object({
  status: Type.String(),
  checks: Type.Optional(Type.Record(Type.String(), Type.String())),
});

const health: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/health/live',
    { schema: { tags: ['health'], response: { 200: Status } }, logLevel: 'warn' },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/health/ready',
    { schema: { tags: ['health'], response: { 200: Status, 503: Status } }, logLevel: 'warn' },
    async (_req, reply) => {
      const checks: Record<string, string> = {};
      try {
        await sql`select 1`.execute(deps.db);
        checks.database = 'ok';
        const pending = await pendingMigrations(deps.db);
        checks.migrations = pending.length ? `pending: ${pending.join(', ')}` : 'ok';
      } catch {
        checks.database = 'unreachable';
      }
      const ok = Object.values(checks).every((v) => v === 'ok') && checks.migrations !== undefined;
      return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', checks });
    },
  );
};
export default health;
