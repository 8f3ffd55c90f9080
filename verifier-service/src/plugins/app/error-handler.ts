// The one error handler: AppError → its status and code; schema validation → 400 VALIDATION_FAILED; Fastify's
// own client errors (bad JSON, too large, wrong content type) → their 4xx with a stable code; anything else → 500
// with a generic message (details only in the log).
import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorCode } from '@imper/shared';
import { AppError } from '../../errors';

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_VALIDATION: 'VALIDATION_FAILED',
  FST_ERR_BAD_URL: 'BAD_REQUEST',
  FST_ERR_ASYNC_CONSTRAINT: 'BAD_REQUEST',
};

export interface ErrorPageRenderer {
  (req: FastifyRequest, err: AppError): string | null; // HTML for browser routes, or null for JSON
}

export function toAppError(err: FastifyError | AppError | Error): AppError | null {
  if (err instanceof AppError) return err;
  const fe = err as FastifyError;
  if (fe.validation) return new AppError('VALIDATION_FAILED', `Invalid request: ${fe.message}`);
  const code = fe.code ? FASTIFY_CODES[fe.code] : undefined;
  if (code) return new AppError(code, fe.message);
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    const byStatus: Record<number, ErrorCode> = { 404: 'NOT_FOUND', 405: 'METHOD_NOT_ALLOWED', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE', 429: 'RATE_LIMITED' };
    return new AppError(byStatus[fe.statusCode] ?? 'BAD_REQUEST', fe.message);
  }
  return null;
}

export default fp(
  async function errorHandler(app: FastifyInstance, opts: { renderPage?: ErrorPageRenderer }) {
    app.setErrorHandler((err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
      const appErr = toAppError(err);
      if (!appErr) {
        req.log.error({ err }, 'unhandled error');
        return reply.status(500).send({ error: { code: 'INTERNAL', message: 'Something went wrong on our side. Try again; if it keeps happening, contact support.' }, requestId: req.id });
      }
      if (appErr.statusCode >= 500) req.log.warn({ code: appErr.code }, appErr.message);
      reply.status(appErr.statusCode).headers(appErr.headers);
      const html = opts.renderPage?.(req, appErr);
      if (html) return reply.type('text/html; charset=utf-8').send(html);
      return reply.send({ error: { code: appErr.code, message: appErr.message }, requestId: req.id });
    });
    app.setNotFoundHandler((req, reply) => {
      const appErr = new AppError('NOT_FOUND', `No route for ${req.method} ${req.url.split('?')[0]}`);
      const html = opts.renderPage?.(req, appErr);
      if (html) return reply.status(404).type('text/html; charset=utf-8').send(html);
      return reply.status(404).send({ error: { code: 'NOT_FOUND', message: appErr.message }, requestId: req.id });
    });
  },
  { name: 'error-handler' },
);
