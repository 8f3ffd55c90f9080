// Entry of `npm run api-key -- <command>` (see services/api-keys-command.ts): per-tenant API keys for the API
// start (F7), against the service's database with its data key, which seals the webhook's secret (lib/cli.ts).
import { runCli } from './lib/cli';
import { apiKeyCommand } from './services/api-keys-command';

runCli('api-key', (argv, { appEnv, ...deps }, out) =>
  apiKeyCommand(argv, { ...deps, config: { env: appEnv } }, out),
);
