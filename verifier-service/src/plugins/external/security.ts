// Third-party plugins, configured once: cookies, form bodies, security headers (S15), per-IP rate limit (S16).
import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config';

export default fp(
  async function security(app: FastifyInstance, opts: { config: Config }) {
    await app.register(cookie);
    await app.register(formbody, { bodyLimit: 16 * 1024 });
    await app.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          fontSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      referrerPolicy: { policy: 'no-referrer' },
      strictTransportSecurity:
        opts.config.env === 'production' ? { maxAge: 31536000, includeSubDomains: true } : false,
      crossOriginEmbedderPolicy: false,
    });
    // Node's parser can refuse a request after Fastify has started on it (a malformed chunked body): the client has
    // had its 400 from clientErrorHandler and the socket is gone. Stop here, quietly: the rate limiter would read
    // the IP of the closed socket (undefined) and throw, logging an "unhandled error" for bad client input (S22).
    app.addHook('onRequest', async (req, reply) => {
      if (!req.raw.socket || req.raw.socket.destroyed) {
        req.log.debug('connection closed before the request was handled (refused by the HTTP parser)');
        reply.hijack();
      }
    });
    await app.register(rateLimit, {
      max: opts.config.rateLimits.perIpPerMinute,
      timeWindow: 60_000,
      // Health checks and the pages' static assets: an error page must still get its stylesheet.
      allowList: (req) => req.url.startsWith('/health/') || req.url.startsWith('/assets/'),
    });
  },
  { name: 'security' },
);
