// `npm run demo`: the ServiceNow stand-in, the service with its pages and the development message view, on the
// embedded database unless DATABASE_URL is set. Prints where to click and the demo secrets; Ctrl-C stops all.
import { randomBytes } from 'node:crypto';
import { startDevInstance, DEMO_TICKET } from '@imper/dev-instance';
import { loadConfig, ConfigError } from '../verifier-service/src/config';
import { start } from '../verifier-service/src/server';
import { API_KEY_SCOPES } from '../verifier-service/src/domain/api-key';
import { authenticate, createApiKey } from '../verifier-service/src/services/api-keys';
import {
  changeConsolePassword,
  createConsoleUser,
  findConsoleUser,
  generateConsolePassword,
} from '../verifier-service/src/services/console-auth';

const gen = (bytes: number) => randomBytes(bytes).toString('base64');
const word = (bytes: number) => randomBytes(bytes).toString('base64url');

async function main() {
  const env = process.env;
  const servicePort = Number(env.PORT ?? 8080);
  const instancePort = Number(env.DEV_INSTANCE_PORT ?? 8081);
  const serviceUrl = env.PUBLIC_BASE_URL ?? `http://localhost:${servicePort}`;
  const secrets = {
    DEMO_LAUNCH_SECRET: env.DEMO_LAUNCH_SECRET ?? gen(32),
    DEV_INSTANCE_ADMIN_PASSWORD: env.DEV_INSTANCE_ADMIN_PASSWORD ?? word(12),
    DEV_INSTANCE_AGENT_PASSWORD: env.DEV_INSTANCE_AGENT_PASSWORD ?? word(12),
  };
  const integration = { password: word(18), oauthClientId: `imper-${word(6)}`, oauthClientSecret: word(24) };

  const instance = await startDevInstance({
    port: instancePort,
    host: '127.0.0.1',
    publicUrl: `http://localhost:${instancePort}`,
    adminPassword: secrets.DEV_INSTANCE_ADMIN_PASSWORD,
    agentPassword: secrets.DEV_INSTANCE_AGENT_PASSWORD,
    integration,
    launch: { secret: secrets.DEMO_LAUNCH_SECRET, serviceUrl },
  });

  let config;
  try {
    config = loadConfig({
      ...env,
      APP_ENV: env.APP_ENV ?? 'development',
      PORT: String(servicePort),
      PUBLIC_BASE_URL: serviceUrl,
      DATA_ENCRYPTION_KEY: env.DATA_ENCRYPTION_KEY ?? gen(32),
      EMBEDDED_DB_DIR: env.EMBEDDED_DB_DIR ?? 'memory://',
      // Demo only (CONTRACTS.md): loopback is treated as a proxy, so a browser or test on this machine can present
      // another client IP in X-Forwarded-For. Production trusts only the proxies its own TRUST_PROXY names.
      TRUST_PROXY: env.TRUST_PROXY ?? '127.0.0.1/8,::1',
      // Demo only: a browser on this machine comes from loopback, which has no geo data; treat it as the tenant's
      // own network rather than as missing data (production: 'missing').
      RISK_RESERVED_ADDRESSES: env.RISK_RESERVED_ADDRESSES ?? 'internal',
      TENANTS: JSON.stringify([
        {
          slug: 'demo',
          name: 'Acme IT Helpdesk',
          instanceUrl: instance.url,
          auth: {
            type: 'oauth',
            clientId: integration.oauthClientId,
            clientSecret: integration.oauthClientSecret,
          },
          launchSecret: secrets.DEMO_LAUNCH_SECRET,
        },
      ]),
    });
  } catch (err) {
    await instance.close();
    throw err;
  }
  const service = await start(config);
  // F7: an API key for the demo tenant with both scopes — DEMO_API_KEY as given (kept across restarts on a
  // persistent DATABASE_URL), else a new one.
  const demoTenant = service.deps.tenants.all()[0]!;
  const apiKey =
    env.DEMO_API_KEY && (await authenticate(service.deps, env.DEMO_API_KEY))
      ? env.DEMO_API_KEY
      : (
          await createApiKey(service.deps, {
            tenantId: demoTenant.id,
            name: 'demo',
            scopes: [...API_KEY_SCOPES],
            actor: 'demo',
            ...(env.DEMO_API_KEY ? { key: env.DEMO_API_KEY } : {}),
          })
        ).key;

  // F8: the console user `admin` (role admin) — DEMO_CONSOLE_ADMIN_PASSWORD as given, else generated; on a persistent
  // database an existing `admin` gets that password (so the banner's is always the one that works).
  const consolePassword = env.DEMO_CONSOLE_ADMIN_PASSWORD || generateConsolePassword();
  const consoleAdmin = await findConsoleUser(service.deps, demoTenant.id, 'admin');
  if (consoleAdmin)
    await changeConsolePassword(service.deps, {
      userId: consoleAdmin.id,
      password: consolePassword,
      actor: 'demo',
    });
  else
    await createConsoleUser(service.deps, {
      tenantId: demoTenant.id,
      username: 'admin',
      name: 'Demo admin',
      roles: ['admin'],
      password: consolePassword,
      actor: 'demo',
    });

  const line = '─'.repeat(78);
  console.log(`\n${line}
 imper.ai Verify demo is running${service.deps.config.databaseUrl ? '' : ' (embedded database)'}

 1. Agent:     ${instance.url}/incident.do?sys_id=${DEMO_TICKET.sys_id}
               sign in as beth.anglin / ${secrets.DEV_INSTANCE_AGENT_PASSWORD}
               then click "imper.ai - Send Verification link"
 2. Requester: ${serviceUrl}/dev/messages   (open the link in the newest message)
 3. Ticket:    reload the incident page to see the outcome and work notes

 Other pages:  ${instance.url}/incident_list.do   ${serviceUrl}/docs   ${serviceUrl}/health/ready
 Self-service: ${serviceUrl}/self-service
 Console:      ${serviceUrl}/console   sign in as admin / ${consolePassword}

 API start (F7), with the demo API key:
   curl -i -X POST ${serviceUrl}/api/v1/verifications \\
     -H 'Authorization: Bearer ${apiKey}' -H 'Content-Type: application/json' \\
     -d '{"user":"abel.tuter","channel":"email","action":"password_reset"}'

 Demo secrets (generated unless set in the environment):
   DEMO_LAUNCH_SECRET=${secrets.DEMO_LAUNCH_SECRET}
   DEV_INSTANCE_ADMIN_PASSWORD=${secrets.DEV_INSTANCE_ADMIN_PASSWORD}   (user admin)
   DEV_INSTANCE_AGENT_PASSWORD=${secrets.DEV_INSTANCE_AGENT_PASSWORD}   (user beth.anglin)
   DEMO_API_KEY=${apiKey}
   DEMO_CONSOLE_ADMIN_PASSWORD=${consolePassword}   (console user admin)

 Ctrl-C stops everything.
${line}\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    const timer = setTimeout(() => process.exit(1), 15_000).unref();
    await service.close().catch((e) => console.error(e));
    await instance.close().catch((e) => console.error(e));
    clearTimeout(timer);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  console.error(
    err instanceof ConfigError
      ? err.message
      : `demo failed to start: ${err instanceof Error ? err.stack : err}`,
  );
  process.exit(1);
});
