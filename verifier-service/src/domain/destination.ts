// Destinations: validation, normalisation (E.164 for phones) and masking. Plain functions.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { Channel } from '@imper/shared';
import { AppError } from '../errors';

// Deliberately simple and strict: one @, a dotted domain, no spaces or control characters, RFC length limits.
const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export function normalizeEmail(raw: string): string | null {
  const value = raw.trim();
  if (value.length > 254 || !EMAIL.test(value)) return null;
  const [local, domain] = value.split('@') as [string, string];
  if (local.length > 64 || local.startsWith('.') || local.endsWith('.') || local.includes('..')) return null;
  return `${local}@${domain.toLowerCase()}`;
}

export function normalizePhone(raw: string, defaultCountry: CountryCode = 'US'): string | null {
  const value = raw.trim();
  if (!/^[+0-9 ().-]{4,32}$/.test(value)) return null;
  const parsed = parsePhoneNumberFromString(value, defaultCountry);
  if (!parsed || !parsed.isValid()) return null;
  return parsed.number; // E.164
}

/** Normalises a destination for a channel or throws a 400 with a code the agent page can explain. */
export function normalizeDestination(channel: Channel, raw: string): string {
  if (channel === 'email') {
    const email = normalizeEmail(raw);
    if (!email)
      throw new AppError('INVALID_EMAIL', 'That is not a valid email address. Check it and try again.');
    return email;
  }
  const phone = normalizePhone(raw);
  if (!phone)
    throw new AppError(
      'INVALID_PHONE',
      'That is not a valid mobile number. Include the country code, e.g. +1 415 555 0100.',
    );
  return phone;
}

/** "a•••@example.com", "+1 ••• ••• 0143": enough to recognise, not enough to use. */
export function maskDestination(channel: Channel, value: string): string {
  if (channel === 'email') {
    const [local = '', domain = ''] = value.split('@');
    const first = local.slice(0, 1);
    return `${first}•••@${domain}`;
  }
  const digits = value.replace(/[^0-9]/g, '');
  return `+${'•'.repeat(Math.max(digits.length - 4, 2))}${digits.slice(-4)}`;
}

/**
 * The form a destination is counted in for the per-recipient limit (S16): one key per mailbox or number however it
 * is spelled. Emails lowercased with any `+tag` dropped from the local part (`victim+1@x` reaches `victim@x` at most
 * providers); phones in E.164. Takes a destination already normalised by `normalizeDestination`.
 */
export function recipientKey(channel: Channel, destination: string): string {
  if (channel === 'sms') return normalizePhone(destination) ?? destination;
  const at = destination.lastIndexOf('@');
  const local = destination.slice(0, at).replace(/\+.*$/, '');
  return `${local}${destination.slice(at)}`.toLowerCase();
}

/** Do two destinations name the same mailbox or number? */
export function sameDestination(channel: Channel, a: string, b: string): boolean {
  if (channel === 'email') return normalizeEmail(a)?.toLowerCase() === normalizeEmail(b)?.toLowerCase();
  const na = normalizePhone(a);
  return na !== null && na === normalizePhone(b);
}
