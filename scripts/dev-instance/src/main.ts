// CLI: `npx tsx scripts/dev-instance/src/main.ts` (environment in config.ts). Ctrl-C / SIGTERM stop it cleanly.

import { ConfigError, readConfig } from './config';
import { DEMO_TICKET, SEED_USERS, startDevInstance } from './index';

async function main(): Promise<void> {
  let config;
  try {
    config = readConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const instance = await startDevInstance(config);
  process.stdout.write(
    [
      `ServiceNow stand-in listening at ${instance.url}`,
      `  log in:       ${instance.url}/login.do  (agent ${SEED_USERS.agent}, admin ${SEED_USERS.admin})`,
      `  demo ticket:  ${instance.url}/incident.do?sys_id=${DEMO_TICKET.sys_id}  (${DEMO_TICKET.number}, caller ${DEMO_TICKET.caller.name})`,
      `  Table API:    ${instance.url}/api/now/table/incident  (integration user ${SEED_USERS.integration})`,
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`dev-instance: ${signal}, stopping\n`);
    instance.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`dev-instance: error while stopping: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(
    `dev-instance: failed to start: ${err instanceof Error ? err.message : String(err)}\n`,
  );
  process.exit(1);
});
