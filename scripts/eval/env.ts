// The world one evaluation run happens in, all in this process: the ServiceNow stand-in (seeded organisation), the
// real service with its worker (PostgreSQL at DATABASE_URL if set, else the embedded PGlite, as `npm run demo`), the
// development message transport, and loopback trusted as a proxy so each requester can present its own address.
import { randomBytes } from 'node:crypto';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { startDevInstance, type DevInstance } from '@imper/dev-instance';
import { loadConfig } from '../../verifier-service/src/config';
import { start } from '../../verifier-service/src/server';
import type { Deps } from '../../verifier-service/src/context';

export interface EvalEnv {
  serviceUrl: string;
  instance: DevInstance;
  deps: Deps;
  launchSecret: Buffer;
  adminPassword: string;
  embedded: boolean;
  close(): Promise<void>;
}

/** How long the manager has to answer (the smallest the configuration allows, so "no answer" ends in the run). */
export const ATTESTATION_TIMEOUT_MINUTES = 5;

const gen = (bytes: number) => randomBytes(bytes).toString('base64');
const word = (bytes: number) => randomBytes(bytes).toString('base64url');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createNetServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export async function startEnv(): Promise<EvalEnv> {
  const [servicePort, instancePort] = [await freePort(), await freePort()];
  const serviceUrl = `http://127.0.0.1:${servicePort}`;
  const launchSecret = gen(32);
  const adminPassword = word(12);
  const integration = { password: word(18), oauthClientId: `imper-${word(6)}`, oauthClientSecret: word(24) };
  const instance = await startDevInstance({
    port: instancePort,
    host: '127.0.0.1',
    publicUrl: `http://127.0.0.1:${instancePort}`,
    adminPassword,
    agentPassword: word(12),
    integration,
    launch: { secret: launchSecret, serviceUrl },
  });
  let service: Awaited<ReturnType<typeof start>>;
  try {
    const config = loadConfig({
      APP_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(servicePort),
      PUBLIC_BASE_URL: serviceUrl,
      LOG_LEVEL: process.env.EVAL_LOG_LEVEL ?? 'error',
      DATA_ENCRYPTION_KEY: gen(32),
      ...(process.env.DATABASE_URL
        ? { DATABASE_URL: process.env.DATABASE_URL }
        : { EMBEDDED_DB_DIR: 'memory://' }),
      EMAIL_PROVIDER: 'dev',
      SMS_PROVIDER: 'dev',
      // As the demo (CONTRACTS.md): loopback is a trusted proxy, so every simulated requester presents its own
      // client address in X-Forwarded-For.
      TRUST_PROXY: '127.0.0.1/8,::1',
      // The production default on purpose (the demo uses 'internal'): every requester here has a public address.
      RISK_RESERVED_ADDRESSES: 'missing',
      ATTESTATION_TIMEOUT_MINUTES: String(ATTESTATION_TIMEOUT_MINUTES),
      // DoS guards, not risk signals: the harness's agents, managers and message polling all come from loopback.
      RATE_LIMIT_PER_IP_PER_MINUTE: '100000',
      RATE_LIMIT_SENDS_PER_AGENT_PER_HOUR: '1000',
      TENANTS: JSON.stringify([
        {
          slug: 'eval',
          name: 'Acme IT Helpdesk',
          instanceUrl: instance.url,
          auth: {
            type: 'oauth',
            clientId: integration.oauthClientId,
            clientSecret: integration.oauthClientSecret,
          },
          launchSecret,
        },
      ]),
    });
    service = await start(config);
  } catch (err) {
    await instance.close();
    throw err;
  }
  return {
    serviceUrl,
    instance,
    deps: service.deps,
    launchSecret: Buffer.from(launchSecret, 'base64'),
    adminPassword,
    embedded: !process.env.DATABASE_URL,
    async close() {
      await service.close();
      await instance.close();
    },
  };
}
