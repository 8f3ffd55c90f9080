// Entry of `npm run console-user -- <command>` (see services/console-users-command.ts): the console's local accounts
// (F8), against the service's database with its data key, which seals TOTP secrets (lib/cli.ts).
import { runCli } from './lib/cli';
import { consoleUserCommand } from './services/console-users-command';

runCli('console-user', (argv, { appEnv: _appEnv, ...deps }, out) => consoleUserCommand(argv, deps, out));
