// Answers a console page (F8): the console's frame for the signed-in user in the request's language, never cached
// (every page shows one tenant's data to one user). Routes give the title's message key and the body.
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  consolePage,
  messageText,
  pickLocale,
  type ConsolePageData,
  type Locale,
  type MessageKey,
} from '@imper/portal';

export interface ConsolePageOptions {
  title: MessageKey;
  titleVars?: Record<string, string>;
  current: ConsolePageData['current'];
  body: (locale: Locale) => string;
  status?: number;
  scripts?: string[];
}

export function sendConsolePage(req: FastifyRequest, reply: FastifyReply, o: ConsolePageOptions) {
  const locale = pickLocale(req.headers['accept-language']);
  if (o.status !== undefined) reply.status(o.status); // else the status the route set (default 200)
  return reply
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('vary', 'accept-language')
    .send(
      consolePage({
        title: messageText(locale, o.title, o.titleVars),
        user: req.consoleUser!,
        current: o.current,
        csrf: req.consoleSession!.csrf,
        locale,
        body: o.body(locale),
        ...(o.scripts ? { scripts: o.scripts } : {}),
      }),
    );
}
