// `npm run writeback:redrive -w verifier-service -- …`: lists dead-lettered write-backs and re-drives them
// (services/writeback.ts does the work, so the console can call the same function). Re-driving needs an explicit
// selection; any problem exits non-zero.
import { parseArgs } from 'node:util';
import type { Deps } from '../context';
import { listDeadWritebacks, redriveDeadWritebacks } from '../services/writeback';

export const USAGE = `usage: writeback:redrive --list [--tenant <slug>] [--id <event id>]...
       writeback:redrive (--all | --tenant <slug> | --id <event id>...)
  --list     print the dead-lettered write-backs (tab-separated), re-drive nothing
  --all      re-drive every dead-lettered write-back
  --tenant   only those of this tenant (slug)
  --id       only these events (repeatable)`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface Output {
  log(line: string): void;
  error(line: string): void;
}

/** Runs the command; resolves with the process exit code. */
export async function redriveCommand(
  argv: string[],
  deps: Pick<Deps, 'db' | 'clock'>,
  out: Output,
): Promise<number> {
  let values: { list?: boolean; all?: boolean; tenant?: string; id?: string[] };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        list: { type: 'boolean' },
        all: { type: 'boolean' },
        tenant: { type: 'string' },
        id: { type: 'string', multiple: true },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    out.error(err instanceof Error ? err.message : String(err));
    out.error(USAGE);
    return 2;
  }
  const bad = (values.id ?? []).filter((id) => !UUID.test(id));
  if (bad.length) {
    out.error(`not an event id: ${bad.join(', ')}`);
    return 2;
  }
  const filter = {
    ...(values.tenant !== undefined ? { tenantSlug: values.tenant } : {}),
    ...(values.id !== undefined ? { ids: values.id } : {}),
  };
  if (values.list) {
    if (values.all) {
      out.error('--list and --all do not go together');
      return 2;
    }
    const dead = await listDeadWritebacks(deps, filter);
    out.log(
      ['event', 'tenant', 'verification', 'ticket', 'seq', 'kind', 'attempts', 'created', 'last error'].join(
        '\t',
      ),
    );
    for (const d of dead) {
      out.log(
        [
          d.id,
          d.tenant_slug,
          d.public_id,
          d.ticket_number,
          d.seq,
          d.kind,
          d.attempts,
          d.created_at.toISOString(),
          (d.last_error ?? '').replace(/\s+/g, ' '),
        ].join('\t'),
      );
    }
    out.log(`${dead.length} dead-lettered write-back(s)`);
    return 0;
  }
  if (!values.all && values.tenant === undefined && values.id === undefined) {
    out.error('say which write-backs to re-drive: --all, --tenant <slug> or --id <event id>');
    out.error(USAGE);
    return 2;
  }
  if (values.all && (values.tenant !== undefined || values.id !== undefined)) {
    out.error('--all re-drives everything; leave out --tenant and --id, or --all');
    return 2;
  }
  const ids = await redriveDeadWritebacks(deps, filter);
  for (const id of ids) out.log(`re-driven: ${id}`);
  out.log(`${ids.length} write-back(s) re-driven; the worker delivers them`);
  const missing = (values.id ?? []).filter((id) => !ids.includes(id.toLowerCase()));
  if (missing.length) {
    out.error(`not dead-lettered (or unknown): ${missing.join(', ')}`);
    return 1;
  }
  return 0;
}
