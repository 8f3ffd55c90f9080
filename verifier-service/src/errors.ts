// The one error type. Every failure a client can cause is an AppError with a stable code (shared/errors.ts);
// the error handler turns it into `{ error: { code, message }, requestId }`. Anything else is a 500 whose body
// never carries the internal message.
import { ERROR_CODES, type ErrorCode } from '@imper/shared';

export class AppError extends Error {
  readonly statusCode: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
    /** Added to the body's `error` (e.g. the running verification's `publicId`) */
    readonly details: { publicId?: string } = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.statusCode = ERROR_CODES[code];
  }
}

export const notFound = (what = 'Not found') => new AppError('NOT_FOUND', what);
