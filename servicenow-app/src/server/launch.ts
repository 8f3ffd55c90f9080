// Launch (CONTRACTS.md "Launch token"): the instance mints a short-lived HS256 JWS for the agent and the
// ticket and sends the browser to the service's `/agent/launch?token=…`. The key stays in a password2
// property on the instance; only the signed token reaches the browser.
import {
  CertificateEncryption,
  GlideDateTime,
  GlideRecord,
  GlideSecureRandomUtil,
  gs,
} from '@servicenow/glide';
import { base64ToBase64Url, base64UrlEncode } from './base64url';
import {
  LAUNCH_AUDIENCE,
  LAUNCH_DEFAULT_LIFETIME_SECONDS,
  LAUNCH_MAX_LIFETIME_SECONDS,
  PROPERTIES,
  ROLES,
} from './constants';
import { instanceUrl, serviceUrl } from './instance';

export interface LaunchTicket {
  table: string;
  sys_id: string;
  number: string;
}

export interface LaunchClaims {
  iss: string;
  aud: string;
  sub: string;
  name: string;
  ticket: LaunchTicket;
  jti: string;
  iat: number;
  exp: number;
}

/** Lifetime from the property, clamped to 1…120 s. */
export function clampLifetime(raw: string | number | null | undefined): number {
  const n = typeof raw === 'number' ? raw : parseInt(String(raw ?? ''), 10);
  if (!isFinite(n) || n <= 0) return LAUNCH_DEFAULT_LIFETIME_SECONDS;
  return Math.min(Math.floor(n), LAUNCH_MAX_LIFETIME_SECONDS);
}

/** Signs the claims with the base64 launch secret (HMAC-SHA256 via CertificateEncryption.generateMac). */
export function signLaunchClaims(claims: LaunchClaims, secretBase64: string): string {
  const signingInput = `${base64UrlEncode(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64UrlEncode(JSON.stringify(claims))}`;
  const mac = CertificateEncryption.generateMac(secretBase64, 'HmacSHA256', signingInput);
  return `${signingInput}.${base64ToBase64Url(mac)}`;
}

export function mintLaunchToken(opts: {
  secretBase64: string;
  issuer: string;
  user: { userName: string; name: string };
  ticket: LaunchTicket;
  lifetimeSeconds: number;
  nowSeconds: number;
}): { token: string; claims: LaunchClaims } {
  const claims: LaunchClaims = {
    iss: opts.issuer,
    aud: LAUNCH_AUDIENCE,
    sub: opts.user.userName,
    name: opts.user.name,
    ticket: { table: opts.ticket.table, sys_id: opts.ticket.sys_id, number: opts.ticket.number },
    jti: GlideSecureRandomUtil.getSecureRandomString(32),
    iat: opts.nowSeconds,
    exp: opts.nowSeconds + clampLifetime(opts.lifetimeSeconds),
  };
  return { token: signLaunchClaims(claims, opts.secretBase64), claims };
}

export type LaunchResult = { ok: true; location: string } | { ok: false; status: number; message: string };

/** Whether the calling user may launch: the app's agent role, itil or an admin role. */
export function mayLaunch(): boolean {
  return gs.hasRole(ROLES.agent) || gs.hasRole('itil') || gs.hasRole(ROLES.admin) || gs.hasRole('admin');
}

/** Everything the launch route does, for the calling user and the ticket named by table and sys_id. */
export function launchFor(table: string, sysId: string): LaunchResult {
  if (!mayLaunch())
    return { ok: false, status: 403, message: 'Only agents may start an imper.ai verification.' };
  if (!/^[a-z0-9_]{1,80}$/.test(table) || !/^[0-9a-f]{32}$/.test(sysId)) {
    return { ok: false, status: 400, message: 'table and sys_id are required' };
  }
  const ticket = new GlideRecord(table);
  if (!ticket.isValid() || !ticket.get(sysId) || !ticket.canRead())
    return { ok: false, status: 404, message: 'No Record found' };
  const secret = gs.getProperty(PROPERTIES.launchSecret, '') || '';
  const service = serviceUrl();
  if (!secret || !service)
    return {
      ok: false,
      status: 503,
      message: 'imper.ai is not configured: set the service URL and the launch secret.',
    };
  const { token } = mintLaunchToken({
    secretBase64: secret,
    issuer: instanceUrl(),
    user: { userName: gs.getUserName(), name: gs.getUserDisplayName() },
    ticket: { table, sys_id: sysId, number: ticket.getValue('number') || sysId },
    lifetimeSeconds: clampLifetime(
      gs.getProperty(PROPERTIES.launchLifetime, String(LAUNCH_DEFAULT_LIFETIME_SECONDS)),
    ),
    nowSeconds: Math.floor(new GlideDateTime().getNumericValue() / 1000),
  });
  return { ok: true, location: `${service}/agent/launch?token=${encodeURIComponent(token)}` };
}
