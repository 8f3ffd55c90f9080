// The `console-user` command (src/console-users-cli.ts is its entry): the console's local accounts (F8). The tenant is
// named by its slug (tenants are written to the database when the service starts). Returns the exit code.
//
//   bootstrap --tenant <slug> --username <u> [--name <name>]   the FIRST admin only; prints a generated password once
//   create --tenant <slug> --username <u> --role <r>[,<r>] [--name <name>]   prints a generated password once
//   totp-enable --tenant <slug> --username <u>                 prints the otpauth:// URI once
//   disable --tenant <slug> --username <u>                     disables the user and ends its sessions
import { parseArgs } from 'node:util';
import { tenantIdBySlug as tenantId, type Output } from '../lib/cli';
import { AppError } from '../errors';
import {
  bootstrapConsoleAdmin,
  createConsoleUser,
  enableConsoleTotp,
  findConsoleUser,
  setConsoleUserDisabled,
  type ConsoleUserDeps,
} from './console-auth';

const USAGE = `usage:
  npm run console-user -- bootstrap --tenant <slug> --username <u> [--name <name>]
  npm run console-user -- create --tenant <slug> --username <u> --role <r>[,<r>] [--name <name>]
  npm run console-user -- totp-enable --tenant <slug> --username <u>
  npm run console-user -- disable --tenant <slug> --username <u>
roles: admin, operator, auditor`;

export async function consoleUserCommand(
  argv: string[],
  deps: ConsoleUserDeps,
  out: Output,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      tenant: { type: 'string' },
      username: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
    },
  });
  const [command, ...rest] = positionals;
  const username = () => {
    if (!values.username) throw new AppError('VALIDATION_FAILED', '--username <u> is required');
    return values.username;
  };
  const existing = async () => {
    const u = await findConsoleUser(deps, await tenantId(deps.db, values.tenant), username());
    if (!u) throw new AppError('NOT_FOUND', `no console user "${username()}" in tenant ${values.tenant}`);
    return u;
  };
  const printPassword = (u: string, password: string) => {
    out.log(`  user name: ${u}`);
    out.log(`  password:  ${password}`);
    out.log('');
    out.log('Store it now: it is not shown again (only an Argon2id hash is kept).');
  };
  try {
    if (rest.length === 0 && command === 'bootstrap') {
      const { user, password } = await bootstrapConsoleAdmin(deps, {
        tenantId: await tenantId(deps.db, values.tenant),
        username: username(),
        ...(values.name ? { name: values.name } : {}),
      });
      out.log(`First console admin of ${values.tenant} created.`);
      printPassword(user.username, password);
      return 0;
    }
    if (rest.length === 0 && command === 'create') {
      if (!values.role)
        throw new AppError('VALIDATION_FAILED', '--role <admin|operator|auditor>[,…] is required');
      const { user, password } = await createConsoleUser(deps, {
        tenantId: await tenantId(deps.db, values.tenant),
        username: username(),
        roles: values.role.split(',').map((r) => r.trim()),
        ...(values.name ? { name: values.name } : {}),
      });
      out.log(`Console user created (${user.roles.join(', ')}).`);
      printPassword(user.username, password);
      return 0;
    }
    if (rest.length === 0 && command === 'totp-enable') {
      const u = await existing();
      const { uri } = await enableConsoleTotp(deps, { userId: u.id });
      out.log(
        `TOTP enabled for ${u.username}. Add this to the authenticator app (a QR code of it works too):`,
      );
      out.log('');
      out.log(`  ${uri}`);
      out.log('');
      out.log('It is not shown again; from now on sign-in needs the 6-digit code.');
      return 0;
    }
    if (rest.length === 0 && command === 'disable') {
      const u = await existing();
      await setConsoleUserDisabled(deps, { userId: u.id, disabled: true });
      out.log(`Console user ${u.username} disabled; its sessions are ended.`);
      return 0;
    }
    out.error(USAGE);
    return 2;
  } catch (err) {
    if (err instanceof AppError) {
      out.error(`console-user: ${err.message}`);
      return 1;
    }
    throw err;
  }
}
