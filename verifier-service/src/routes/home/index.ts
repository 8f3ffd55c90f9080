// The service's start page (`/`): a plain page saying where requesters, agents and security staff go, instead of
// a JSON 404. `/favicon.ico` (asked for by browsers and link previews) points at the SVG icon.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { homePage, pickLocale } from '@imper/portal';

const home: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      schema: {
        tags: ['pages'],
        summary: 'Start page: where requesters, agents and security staff go',
        produces: ['text/html'],
        response: { 200: Type.String({ description: 'HTML page' }) },
      },
    },
    async (req, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'public, max-age=300')
        .header('vary', 'accept-language')
        .send(
          homePage(pickLocale(req.headers['accept-language']), {
            docs: app.hasRoute({ method: 'GET', url: '/docs' }),
          }),
        ),
  );

  app.get(
    '/favicon.ico',
    {
      schema: {
        tags: ['pages'],
        summary: 'The icon (redirects to /assets/favicon.svg)',
        response: { 301: Type.Null({ description: 'Location: /assets/favicon.svg' }) },
      },
    },
    async (_req, reply) =>
      reply.header('cache-control', 'public, max-age=86400').redirect('/assets/favicon.svg', 301),
  );
};

export default home;
