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
  FST_ERR_MAX_PARAM_LENGTH: 'BAD_REQUEST', // a path segment longer than any ID or token we issue
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
    const byStatus: Record<number, ErrorCode> = {
      404: 'NOT_FOUND',
      405: 'METHOD_NOT_ALLOWED',
      413: 'PAYLOAD_TOO_LARGE',
      415: 'UNSUPPORTED_MEDIA_TYPE',
      429: 'RATE_LIMITED',
    };
    return new AppError(byStatus[fe.statusCode] ?? 'BAD_REQUEST', fe.message);
  }
  return null;
}

/**
 * Fastify's router errors (a URL it cannot decode, a path parameter over `maxParamLength`) bypass the error
 * handler unless this is set as the server's `frameworkErrors`: hand them to it, so they get a stable code too.
 */
export function frameworkErrors(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  const appErr = toAppError(err) ?? new AppError('BAD_REQUEST', 'The request URL is not valid.');
  if (reply.server.hasDecorator('sendAppError')) return reply.server.sendAppError(req, reply, appErr);
  return reply
    .status(appErr.statusCode)
    .header('cache-control', 'no-store')
    .send({ error: { code: appErr.code, message: appErr.message }, requestId: req.id });
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Answers with an AppError: its status, headers, and a page for browser routes or the JSON error body. */
    sendAppError(req: FastifyRequest, reply: FastifyReply, err: AppError): FastifyReply;
  }
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};

/**
 * Requests Node's HTTP parser refuses (malformed request line or headers, oversized headers, a slow client)
 * never reach Fastify: answer them on the socket in the same `{ error: { code, message } }` shape.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: import('node:stream').Duplex) {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const status =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const message =
    status === 408
      ? 'The request took too long to arrive.'
      : status === 431
        ? 'The request headers are too large.'
        : 'The request is not valid HTTP.';
  const body = JSON.stringify({ error: { code: 'BAD_REQUEST' satisfies ErrorCode, message } });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}

export default fp(
  async function errorHandler(app: FastifyInstance, opts: { renderPage?: ErrorPageRenderer }) {
    const sendAppError = (req: FastifyRequest, reply: FastifyReply, appErr: AppError) => {
      if (appErr.statusCode >= 500) req.log.warn({ code: appErr.code }, appErr.message);
      // An error answer is about this request at this moment (a link used or expired, a session gone): never cached.
      reply.status(appErr.statusCode).header('cache-control', 'no-store').headers(appErr.headers);
      const html = opts.renderPage?.(req, appErr);
      if (html) return reply.type('text/html; charset=utf-8').send(html);
      return reply.send({
        error: { code: appErr.code, message: appErr.message, ...appErr.details },
        requestId: req.id,
      });
    };
    app.decorate('sendAppError', sendAppError);
    app.setErrorHandler((err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
      const appErr = toAppError(err);
      if (!appErr) {
        req.log.error({ err }, 'unhandled error');
        return reply
          .status(500)
          .header('cache-control', 'no-store')
          .send({
            error: {
              code: 'INTERNAL',
              message: 'Something went wrong on our side. Try again; if it keeps happening, contact support.',
            },
            requestId: req.id,
          });
      }
      return sendAppError(req, reply, appErr);
    });
    app.setNotFoundHandler((req, reply) => {
      const appErr = new AppError('NOT_FOUND', `No route for ${req.method} ${req.url.split('?')[0]}`);
      const html = opts.renderPage?.(req, appErr);
      reply.header('cache-control', 'no-store');
      if (html) return reply.status(404).type('text/html; charset=utf-8').send(html);
      return reply
        .status(404)
        .send({ error: { code: 'NOT_FOUND', message: appErr.message }, requestId: req.id });
    });
  },
  { name: 'error-handler' },
);
