// Provider messages sometimes quote the destination ("The 'To' number +1… is not a valid phone number",
// "550 5.1.1 <alex@example.com>: …"). Anything we keep from them goes through here first (S20).

import { DeliveryError } from './types';

const EMAIL = /[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g;
const PHONE = /\+?\d[\d\s().-]{5,}\d/g;

export function redactDestinations(text: string): string {
  return text.replace(EMAIL, '[address]').replace(PHONE, '[number]');
}

/** Status codes where trying again later can help (SECURITY.md R2: no retry on 4xx other than 408/429). */
export function isRetriableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

/** True for an error that means "no HTTP answer came back" (axios/Node network errors). */
export function isNetworkError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  const e = err as { isAxiosError?: boolean; response?: unknown; request?: unknown };
  return e.isAxiosError === true && e.response === undefined;
}

/** A provider's HTTP refusal: 408/429/5xx may be retried; any other 4xx is permanent. */
export function httpDeliveryError(code: string, message: string, status: number): DeliveryError {
  const retriable = isRetriableStatus(status);
  return new DeliveryError(code, message, retriable, !retriable && status >= 400 && status < 500);
}

/** The provider could not be reached at all: always worth another attempt. */
export function networkDeliveryError(provider: string, err: unknown): DeliveryError {
  const code = (err as { code?: unknown }).code;
  return new DeliveryError(
    'network',
    `${provider} unreachable (${typeof code === 'string' ? code : 'no response'})`,
    true,
    false,
  );
}
