// pino options shared by the server and the tests. Redaction (S20): tokens, cookies, passwords, destinations and
// launch JWTs never reach a log line. Request URLs are logged without their query string and with link tokens
// cut, because `/v/<token>` and `/agent/launch?token=` carry secrets.
import type { LoggerOptions } from 'pino';

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-twilio-signature"]',
  'req.headers["x-twilio-email-event-webhook-signature"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.accessToken',
  '*.access_token',
  '*.refresh_token',
  '*.clientSecret',
  '*.client_secret',
  '*.launchSecret',
  '*.destination',
  '*.to',
  '*.email',
  '*.mobilePhone',
  '*.csrf',
  // The self-service form's user name or work email (S8, S20): it would tell who asked, and whether they exist.
  '*.identifier',
  '*.identifierSealed',
];

/** A URL as it may appear in logs: no query string, no link token. */
export function safeUrl(url: string): string {
  const path = url.split('?')[0] ?? '';
  // The requester's link (/v/<token>), the manager's step-up link (/m/<token>) and the "This wasn't me" link
  // (/r/<token>) carry one-time tokens (S20).
  // Named pages (/v/challenge, /v/result, /v/status) stay readable; anything else in that place is a token.
  return path.replace(/^\/([vmr])\/(?!(?:challenge|result|status)(?:$|\/))[^/]+/, '/$1/[token]');
}

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      req(req: { method: string; url: string; id: string; ip?: string }) {
        return { method: req.method, url: safeUrl(req.url), id: req.id };
      },
      res(res: { statusCode: number }) {
        return { statusCode: res.statusCode };
      },
    },
  };
}
