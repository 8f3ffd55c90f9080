// Control characters in requests (SECURITY.md S22): a NUL, another C0 control (tab, CR and LF aside) or an unpaired
// surrogate in any path segment, query value or parsed body — keys included — is refused with 400 VALIDATION_FAILED
// before the route's schema and handler see it, so it can never reach PostgreSQL (which refuses U+0000) as a 500.
// Bodies a route keeps as raw text (the SendGrid webhook) are checked by that route once parsed.
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { findUnacceptableText } from '@imper/shared';
import { AppError } from '../../errors';

export default fp(
  async function inputText(app: FastifyInstance) {
    app.addHook('preValidation', async (req) => {
      const parts: Array<[string, unknown]> = [
        ['path', req.params],
        ['querystring', req.query],
        ['body', req.body],
      ];
      for (const [part, value] of parts) {
        const why = findUnacceptableText(value, part);
        if (why) throw new AppError('VALIDATION_FAILED', `Invalid request: ${why}.`);
      }
    });
  },
  { name: 'input-text' },
);
