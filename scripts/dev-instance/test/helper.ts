// Starts a stand-in on a random port with known test credentials; small HTTP helpers.

import { startDevInstance, type DevInstance, type DevInstanceOptions } from '../src/index';

export const PW = { admin: 'admin-test-pw', agent: 'agent-test-pw', integration: 'integration-test-pw' };
export const OAUTH = { oauthClientId: 'test-client-id', oauthClientSecret: 'test-client-secret' };
export const LAUNCH_KEY = Buffer.from('0123456789abcdef0123456789abcdef-test-key');
export const SERVICE_URL = 'http://service.test:8080';

export function startTestInstance(extra: Partial<DevInstanceOptions> = {}): Promise<DevInstance> {
  return startDevInstance({
    port: 0,
    adminPassword: PW.admin,
    agentPassword: PW.agent,
    integration: { password: PW.integration, ...OAUTH },
    launch: { secret: LAUNCH_KEY.toString('base64'), serviceUrl: SERVICE_URL },
    ...extra,
  });
}

export const basic = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

export const AS = {
  admin: basic('admin', PW.admin),
  agent: basic('beth.anglin', PW.agent),
  itilOnly: basic('luke.wilson', PW.agent),
  integration: basic('imper.integration', PW.integration),
};

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;

  json: any;
}

export async function call(
  inst: DevInstance,
  method: string,
  path: string,
  opts: { auth?: string | null; body?: unknown; headers?: Record<string, string>; rawBody?: string } = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  const auth = opts.auth === undefined ? AS.admin : opts.auth;
  if (auth) headers.authorization = auth;
  let body: string | undefined;
  if (opts.rawBody !== undefined) body = opts.rawBody;
  else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${inst.url}${path}`, { method, headers, body, redirect: 'manual' });
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export const SYS_ID = /^[0-9a-f]{32}$/;
export const GLIDE_DATE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
