// GET /console: the console's Verifications page (F8). For now a heading and a paragraph, so the route (and its
// sign-in redirect) exists: the Verifications table (issue 11, issue11-table) replaces this body.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { consolePage, esc, messageText, pickLocale } from '@imper/portal';
import { CONSOLE_ROLES } from '@imper/shared';
import type { Deps } from '../../context';

const routes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app) => {
  app.get(
    '/console',
    {
      schema: {
        tags: ['console'],
        summary: 'The console: Verifications (HTML page; signs in first when needed)',
      },
      config: { console: { roles: [...CONSOLE_ROLES] } },
    },
    async (req, reply) => {
      const locale = pickLocale(req.headers['accept-language']);
      const user = req.consoleUser!;
      const title = messageText(locale, 'console.verifications.title');
      return reply
        .type('text/html; charset=utf-8')
        .header('vary', 'accept-language')
        .send(
          consolePage({
            title,
            user: { name: user.name, roles: user.roles },
            current: 'verifications',
            csrf: req.consoleSession!.csrf,
            locale,
            // issue11-table: the Verifications table goes here.
            body: `<h1>${esc(title)}</h1>\n<p>${esc(messageText(locale, 'console.verifications.intro'))}</p>`,
          }),
        );
    },
  );
};
export default routes;
