// The part of a Glide runtime the launch module's signing needs, installed into `@servicenow/glide` (whose
// runtime JS is an empty module: on an instance the platform provides these classes). Server modules compiled
// to CommonJS read `glide.X` at call time, so filling the exports object is enough.
import { createHmac, randomBytes } from 'node:crypto';

export function installGlideCrypto(): void {
  const glide = require('@servicenow/glide') as Record<string, unknown>;
  glide.CertificateEncryption = {
    generateMac(key: string, algorithm: string, data: string): string {
      if (algorithm !== 'HmacSHA256') throw new Error(`unsupported MAC algorithm ${algorithm}`);
      return createHmac('sha256', Buffer.from(key, 'base64')).update(data, 'utf8').digest('base64');
    },
  };
  glide.GlideSecureRandomUtil = {
    getSecureRandomString(length: number): string {
      const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
      return Array.from(randomBytes(length), (b) => chars[b % chars.length]).join('');
    },
  };
}
