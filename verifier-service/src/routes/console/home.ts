// GET /console: the console's Verifications page (F8, issue 11 §3): the filter form (GET, the API's query
// parameters; blank fields are dropped), the table's first page (or the page after `cursor`), Next page, Export CSV; console.js refreshes it.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { consolePage, consoleVerificationsBody, messageText, pickLocale } from '@imper/portal';
import { CONSOLE_ROLES, ConsoleVerificationsQuerySchema } from '@imper/shared';
import type { Deps } from '../../context';
import { listVerifications } from '../../services/console-verifications';

const routes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/console',
    {
      schema: {
        tags: ['console'],
        summary: 'The console: Verifications (HTML page; signs in first when needed)',
        querystring: ConsoleVerificationsQuerySchema,
      },
      config: { console: { roles: [...CONSOLE_ROLES] } },
      // The filter form submits every field, the ones left at "Any" or blank as `name=`: a blank field is no
      // filter (the API itself keeps refusing an empty value).
      preValidation: async (req) => {
        const query = req.query as Record<string, unknown>;
        for (const [k, v] of Object.entries(query)) if (v === '') delete query[k];
      },
    },
    async (req, reply) => {
      const locale = pickLocale(req.headers['accept-language']);
      const user = req.consoleUser!;
      const title = messageText(locale, 'console.verifications.title');
      const viewer = { tenantId: user.tenantId, roles: user.roles };
      const list = await listVerifications(deps, viewer, req.query);
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
            body: consoleVerificationsBody({ list, query: req.query }, locale),
            scripts: ['console.js'],
          }),
        );
    },
  );
};
export default routes;
