// Small crypto helpers over node:crypto. Link tokens are 256-bit CSPRNG values (S1); only their SHA-256 is
// stored, and lookups go through that hash so there is no plaintext comparison at all. Destinations are
// encrypted with AES-256-GCM under the configured data key (S19).
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

export const newToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');
export const sha256 = (value: string): Buffer => createHash('sha256').update(value).digest();
export const hmac = (key: Buffer, value: string): Buffer => createHmac('sha256', key).update(value).digest();
export const safeEqual = (a: Buffer, b: Buffer): boolean => a.length === b.length && timingSafeEqual(a, b);

/** Keys derived from the one configured data key, each for one purpose. */
export function deriveKey(master: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `imper-verify:${purpose}`, 32));
}

export interface Sealer {
  seal(plain: string): string;
  open(sealed: string): string;
}

/** AES-256-GCM; output is `v1.<iv>.<tag>.<ciphertext>` in base64url. */
export function createSealer(master: Buffer): Sealer {
  const key = deriveKey(master, 'seal');
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v1', iv, cipher.getAuthTag(), body]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join('.');
    },
    open(sealed) {
      const [v, iv, tag, body] = sealed.split('.');
      if (v !== 'v1' || !iv || !tag || body === undefined)
        throw new Error('sealed value has an unknown format');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    },
  };
}

const PUBLIC_ID_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ'; // no 0/O/1/I
/** A verification's public ID, e.g. VRF-7Q2K9M (30 bits; uniqueness is enforced by the database). */
export function newPublicId(): string {
  const bytes = randomBytes(6);
  let id = '';
  for (const b of bytes) id += PUBLIC_ID_ALPHABET[b & 31];
  return `VRF-${id}`;
}

/**
 * A requester's email as a verification stores it (S19): sealed with the data key, and an HMAC of the lower-cased
 * address under the destination key so that the console can find an exact email without it being stored in clear.
 */
export function sealedRequesterEmail(
  deps: { sealer: Sealer; keys: { destination: Buffer } },
  email: string,
): { requesterEmailSealed: string; requesterEmailHash: Buffer | null } {
  const e = email.trim();
  if (!e) return { requesterEmailSealed: '', requesterEmailHash: null };
  return { requesterEmailSealed: deps.sealer.seal(e), requesterEmailHash: requesterEmailHash(deps, e) };
}

export const requesterEmailHash = (deps: { keys: { destination: Buffer } }, email: string): Buffer =>
  hmac(deps.keys.destination, `requester-email:${email.trim().toLowerCase()}`);
