// Demo/test only: the messages the development transport "sent". Registered only when the dev transport is
// configured, which production configuration refuses.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { DevMessageSchema, type DevMessage } from '@imper/shared';
import { devMessagesPage } from '@imper/portal';
import type { Deps } from '../../context';
import { listDevMessages } from '../../repositories/dev-messages';

const routes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/dev/messages',
    {
      schema: {
        tags: ['dev'],
        summary:
          'Messages kept by the development transport, newest first (HTML when the browser asks for it)',
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }),
        response: { 200: Type.Array(DevMessageSchema) },
      },
    },
    async (req, reply) => {
      const rows = await listDevMessages(deps.db, req.query.limit ?? 100);
      const messages: DevMessage[] = rows.map((r) => ({
        id: r.id,
        channel: r.channel,
        to: r.to_address,
        subject: r.subject,
        text: r.text_body,
        html: r.html_body,
        link: r.link,
        createdAt: r.created_at.toISOString(),
      }));
      if ((req.headers.accept ?? '').includes('text/html')) {
        // The HTML view is outside the JSON response schema on purpose.
        return (reply as FastifyReply)
          .type('text/html; charset=utf-8')
          .header('cache-control', 'no-store')
          .send(devMessagesPage(messages));
      }
      return reply.header('cache-control', 'no-store').send(messages);
    },
  );
};
export default routes;
