// Who is calling: basic auth, OAuth bearer tokens (from /oauth_token.do) and page sessions (/login.do).
// Tokens and sessions live in memory and expire on the store's clock, so tests can move time.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { TableStore, User } from './store';

export interface OAuthConfig {
  clientId: string;
  clientSecret: string;
  accessTokenLifetimeSeconds: number;
  refreshTokenLifetimeSeconds: number;
  /** user_name the client_credentials grant runs as. */
  clientCredentialsUser: string;
}

interface TokenEntry {
  kind: 'access' | 'refresh';
  userSysId: string;
  clientId: string;
  expiresAt: number;
}

export const SESSION_COOKIE = 'JSESSIONID';

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class Auth {
  private readonly tokens = new Map<string, TokenEntry>();
  private readonly sessions = new Map<string, { userSysId: string; expiresAt: number }>();

  constructor(
    private readonly store: TableStore,
    readonly oauth: OAuthConfig,
    private readonly sessionSeconds = 8 * 3600,
  ) {}

  /** A live user by sys_id (active and not locked out), with current roles. */
  private liveUser(sysId: string): User | null {
    const rec = this.store.get('sys_user', sysId);
    if (!rec || rec.active !== 'true' || rec.locked_out === 'true') return null;
    return this.store.toUser(rec);
  }

  /** Resolves an `Authorization` header (Basic or Bearer). */
  fromAuthorization(header: string | undefined): User | null {
    if (!header) return null;
    const [scheme, value = ''] = header.trim().split(/\s+/, 2);
    if (scheme?.toLowerCase() === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      if (i < 0) return null;
      return this.store.authenticate(decoded.slice(0, i), decoded.slice(i + 1));
    }
    if (scheme?.toLowerCase() === 'bearer') {
      const entry = this.tokens.get(value);
      if (!entry || entry.kind !== 'access' || entry.expiresAt <= this.store.now()) return null;
      return this.liveUser(entry.userSysId);
    }
    return null;
  }

  clientOk(clientId: string, clientSecret: string): boolean {
    return safeEqual(clientId, this.oauth.clientId) && safeEqual(clientSecret, this.oauth.clientSecret);
  }

  issue(
    user: User,
    clientId: string,
    withRefresh: boolean,
  ): { access: string; refresh?: string; expiresIn: number } {
    const now = this.store.now();
    const access = randomBytes(48).toString('base64url');
    this.tokens.set(access, {
      kind: 'access',
      userSysId: user.sysId,
      clientId,
      expiresAt: now + this.oauth.accessTokenLifetimeSeconds * 1000,
    });
    if (!withRefresh) return { access, expiresIn: this.oauth.accessTokenLifetimeSeconds };
    const refresh = randomBytes(48).toString('base64url');
    this.tokens.set(refresh, {
      kind: 'refresh',
      userSysId: user.sysId,
      clientId,
      expiresAt: now + this.oauth.refreshTokenLifetimeSeconds * 1000,
    });
    return { access, refresh, expiresIn: this.oauth.accessTokenLifetimeSeconds };
  }

  /** The user of a live refresh token issued to this client. */
  refreshUser(token: string, clientId: string): User | null {
    const entry = this.tokens.get(token);
    if (
      !entry ||
      entry.kind !== 'refresh' ||
      entry.clientId !== clientId ||
      entry.expiresAt <= this.store.now()
    )
      return null;
    return this.liveUser(entry.userSysId);
  }

  clientCredentialsUser(): User | null {
    const rec = this.store.userByName(this.oauth.clientCredentialsUser);
    return rec?.sys_id ? this.liveUser(rec.sys_id) : null;
  }

  createSession(user: User): string {
    const id = randomBytes(24).toString('hex');
    this.sessions.set(id, {
      userSysId: user.sysId,
      expiresAt: this.store.now() + this.sessionSeconds * 1000,
    });
    return id;
  }

  sessionUser(id: string | undefined): User | null {
    if (!id) return null;
    const s = this.sessions.get(id);
    if (!s || s.expiresAt <= this.store.now()) return null;
    return this.liveUser(s.userSysId);
  }

  endSession(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }
}
