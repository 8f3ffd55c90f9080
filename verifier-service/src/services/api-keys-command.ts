// The `api-key` command (src/api-keys-cli.ts is its entry): per-tenant API keys for the API start (F7). The tenant
// is named by its slug (tenants are written to the database when the service starts). Returns the exit code.
//
//   create --tenant <slug> --name <name> [--scopes verifications:write,verifications:read] [--webhook-url <https URL>]
//   list --tenant <slug>
//   revoke <prefix> [--tenant <slug>]
import { parseArgs } from 'node:util';
import { tenantIdBySlug as tenantId, type Output } from '../lib/cli';
import { parseScopes } from '../domain/api-key';
import { AppError } from '../errors';
import { createApiKey, listApiKeys, revokeApiKey, type ApiKeyDeps } from './api-keys';

const USAGE = `usage:
  npm run api-key -- create --tenant <slug> --name <name> [--scopes a,b] [--webhook-url <url>]
  npm run api-key -- list --tenant <slug>
  npm run api-key -- revoke <prefix> [--tenant <slug>]
scopes: verifications:write, verifications:read (default both)`;

const when = (d: Date | null) => (d ? d.toISOString().replace(/\.\d+Z$/, 'Z') : '-');

/** The command itself, on open dependencies (tests call it); returns the exit code. */
export async function apiKeyCommand(argv: string[], deps: ApiKeyDeps, out: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      tenant: { type: 'string' },
      name: { type: 'string' },
      scopes: { type: 'string' },
      'webhook-url': { type: 'string' },
    },
  });
  const [command, ...rest] = positionals;
  try {
    if (command === 'create' && rest.length === 0) {
      if (!values.name) throw new AppError('VALIDATION_FAILED', '--name <name> is required');
      let scopes;
      try {
        scopes = parseScopes(values.scopes);
      } catch (err) {
        throw new AppError('VALIDATION_FAILED', (err as Error).message);
      }
      const created = await createApiKey(deps, {
        tenantId: await tenantId(deps.db, values.tenant),
        name: values.name,
        scopes,
        ...(values['webhook-url'] !== undefined ? { webhookUrl: values['webhook-url'] } : {}),
      });
      out.log(`API key "${created.apiKey.name}" created (${created.apiKey.prefix}, ${scopes.join(', ')})`);
      out.log('');
      out.log(`  key:            ${created.key}`);
      if (created.webhookSecret) {
        out.log(`  webhook URL:    ${created.apiKey.webhookUrl}`);
        out.log(`  webhook secret: ${created.webhookSecret}`);
      }
      out.log('');
      out.log(
        `Store ${created.webhookSecret ? 'them' : 'it'} now: ${created.webhookSecret ? 'they are' : 'it is'} not shown again (only a hash of the key is kept).`,
      );
      return 0;
    }
    if (command === 'list' && rest.length === 0) {
      const keys = await listApiKeys(deps, await tenantId(deps.db, values.tenant));
      if (!keys.length) out.log('no API keys');
      for (const k of keys)
        out.log(
          [
            k.prefix,
            JSON.stringify(k.name),
            k.scopes.join(','),
            `created ${when(k.createdAt)}`,
            `last used ${when(k.lastUsedAt)}`,
            k.revokedAt ? `REVOKED ${when(k.revokedAt)}` : 'active',
            k.webhookUrl ? 'webhook' : '',
          ]
            .filter(Boolean)
            .join('  '),
        );
      return 0;
    }
    if (command === 'revoke' && rest.length === 1) {
      const k = await revokeApiKey(deps, {
        prefix: rest[0]!,
        ...(values.tenant ? { tenantId: await tenantId(deps.db, values.tenant) } : {}),
      });
      out.log(`API key ${k.prefix} ("${k.name}") revoked ${when(k.revokedAt)}`);
      return 0;
    }
    out.error(USAGE);
    return 2;
  } catch (err) {
    if (err instanceof AppError) {
      out.error(`api-key: ${err.message}`);
      return 1;
    }
    throw err;
  }
}
