// Environment of the CLI (`src/main.ts`): every secret is required; a missing or malformed value stops the
// process with a message naming it (no silent fallbacks).

import type { DevInstanceOptions } from './index';
import { LAUNCH_MAX_LIFETIME_SECONDS as APP_MAX_LIFETIME } from '../../../servicenow-app/src/server/constants';

/** The longest launch-token lifetime the app allows (CONTRACTS.md: ≤ 120 s). */
export const LAUNCH_MAX_LIFETIME_SECONDS = APP_MAX_LIFETIME;

/** Decodes and checks a launch secret: base64, at least 32 bytes. Throws with a clear message otherwise. */
export function decodeLaunchSecret(secret: string): Buffer {
  const trimmed = secret.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) throw new Error('launch secret must be base64');
  const key = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length < 32) throw new Error(`launch secret must decode to at least 32 bytes (got ${key.length})`);
  return key;
}

export const REQUIRED_ENV = [
  'DEV_INSTANCE_ADMIN_PASSWORD',
  'DEV_INSTANCE_AGENT_PASSWORD',
  'DEV_INSTANCE_INTEGRATION_PASSWORD',
  'DEV_INSTANCE_OAUTH_CLIENT_ID',
  'DEV_INSTANCE_OAUTH_CLIENT_SECRET',
  'DEMO_LAUNCH_SECRET',
  'SERVICE_URL',
] as const;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function readConfig(env: Record<string, string | undefined>): DevInstanceOptions {
  const missing = REQUIRED_ENV.filter((k) => !env[k]);
  if (missing.length > 0)
    throw new ConfigError(`dev-instance: missing environment variable(s): ${missing.join(', ')}`);
  const get = (k: (typeof REQUIRED_ENV)[number]): string => env[k] as string;

  const portText = env.DEV_INSTANCE_PORT ?? '8081';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
    throw new ConfigError(
      `dev-instance: DEV_INSTANCE_PORT must be a port number (1-65535), got "${portText}"`,
    );
  }
  try {
    decodeLaunchSecret(get('DEMO_LAUNCH_SECRET'));
  } catch (e) {
    throw new ConfigError(`dev-instance: DEMO_LAUNCH_SECRET: ${(e as Error).message}`);
  }
  try {
    const u = new URL(get('SERVICE_URL'));
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    throw new ConfigError(`dev-instance: SERVICE_URL must be an http(s) URL, got "${get('SERVICE_URL')}"`);
  }
  return {
    port,
    ...(env.DEV_INSTANCE_HOST ? { host: env.DEV_INSTANCE_HOST } : {}),
    ...(env.DEV_INSTANCE_PUBLIC_URL ? { publicUrl: env.DEV_INSTANCE_PUBLIC_URL } : {}),
    adminPassword: get('DEV_INSTANCE_ADMIN_PASSWORD'),
    agentPassword: get('DEV_INSTANCE_AGENT_PASSWORD'),
    integration: {
      password: get('DEV_INSTANCE_INTEGRATION_PASSWORD'),
      oauthClientId: get('DEV_INSTANCE_OAUTH_CLIENT_ID'),
      oauthClientSecret: get('DEV_INSTANCE_OAUTH_CLIENT_SECRET'),
    },
    launch: { secret: get('DEMO_LAUNCH_SECRET'), serviceUrl: get('SERVICE_URL') },
    logger: env.DEV_INSTANCE_LOG === 'true',
  };
}
