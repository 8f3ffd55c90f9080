// Tenants: one per ServiceNow instance. Configuration is the source of truth for which tenants exist; at boot they
// are written to the database (secrets sealed with the data key) so every row can reference its tenant.
//
// ServiceNow credentials come from one of two places: the configuration (TENANTS[].auth, written to
// `credentials_sealed` at every boot), or the console (Settings → ServiceNow connection, `console_credentials_sealed`).
// The console's win while they are set; the boot never writes them, so a restart keeps them.
//
// Callers read `deps.tenants.byId(id).servicenow` on every use and keep no reference to it: after a change the
// registry holds a new Tenant object with a new client (the OAuth token cache and the Retry-After floor belong to the
// old credentials and go with them; a WeakMap keyed by the Tenant, as the directory connectors' is, misses and
// builds anew).
import type { TenantConfig } from '../config';
import type { DB } from '../db/connect';
import type { TenantRow } from '../db/schema';
import type { Sealer } from '../lib/crypto';
import { findTenantRow, listCredentialStamps, listTenants, upsertTenant } from '../repositories/tenants';
import {
  createServiceNowClient,
  type ServiceNowAuth,
  type ServiceNowClient,
} from '../clients/servicenow/client';

export interface Tenant {
  id: string;
  slug: string;
  name: string;
  instanceUrl: string;
  launchSecret: Buffer;
  servicenow: ServiceNowClient;
}

export interface TenantRegistry {
  all(): Tenant[];
  byId(id: string): Tenant | undefined;
  byInstanceUrl(url: string): Tenant | undefined;
  /** Re-reads the tenant's row and replaces its ServiceNow client at once (in this process). */
  refresh(tenantId: string): Promise<Tenant | undefined>;
  /**
   * Compares every tenant's `credentials_changed_at` with the value loaded here and refreshes those another
   * replica changed; how many were refreshed. Runs by itself at most every CREDENTIALS_CHECK_MS while the registry
   * is used.
   */
  checkForChanges(): Promise<number>;
}

export interface ClientOptions {
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * How stale another replica's view of a console credentials change may be. A change applies at once in the process
 * that made it (`refresh`); the other replicas notice it within this time of being used. Chosen over a check on
 * every use (a database round trip in front of every ServiceNow call, and `byId` is synchronous) and over a timer
 * (a process that is not used needs no fresh client, and a timer outlives tests and shutdowns); a refresh by the
 * worker loop alone would miss the web-only replicas. The check is one small query (`id, credentials_changed_at` of
 * the few tenants) started in the background by the first use after the interval; that use and those during the
 * query still get the client they had. A change of credentials usually comes with the old ones being revoked on the
 * instance: until the other replicas notice, their calls may be refused (401) and are retried as any other failure.
 */
export const CREDENTIALS_CHECK_MS = 30_000;

/** The credentials a tenant's client uses: the console's when set, else the configured ones. */
export function effectiveAuth(sealer: Sealer, row: TenantRow): ServiceNowAuth {
  return JSON.parse(sealer.open(row.console_credentials_sealed ?? row.credentials_sealed)) as ServiceNowAuth;
}

export async function syncTenants(
  db: DB,
  sealer: Sealer,
  configured: TenantConfig[],
  clientOptions: ClientOptions = {},
  registryOptions: { now?: () => number; checkEveryMs?: number } = {},
): Promise<TenantRegistry> {
  for (const t of configured) {
    // Writes the configured credentials only; the console's (console_credentials_sealed) are never touched here.
    await upsertTenant(db, {
      slug: t.slug,
      name: t.name,
      instance_url: t.instanceUrl,
      auth_type: t.auth.type,
      credentials_sealed: sealer.seal(JSON.stringify(t.auth)),
      launch_secret_sealed: sealer.seal(t.launchSecret),
    });
  }
  const rows = await listTenants(db);
  const slugs = new Set(configured.map((t) => t.slug));
  const now = registryOptions.now ?? Date.now;
  const checkEveryMs = registryOptions.checkEveryMs ?? CREDENTIALS_CHECK_MS;

  const toTenant = (r: TenantRow): Tenant => ({
    id: r.id,
    slug: r.slug,
    name: r.name,
    instanceUrl: r.instance_url,
    launchSecret: Buffer.from(sealer.open(r.launch_secret_sealed), 'base64'),
    servicenow: createServiceNowClient({
      instanceUrl: r.instance_url,
      auth: effectiveAuth(sealer, r),
      ...clientOptions,
    }),
  });

  // The state, replaced as a whole on every change (no Tenant object is ever mutated).
  let tenants: Tenant[] = [];
  let byId = new Map<string, Tenant>();
  let byUrl = new Map<string, Tenant>();
  /** credentials_changed_at (ms, or null) of each tenant as loaded. */
  const stamps = new Map<string, number | null>();
  const put = (list: Tenant[]) => {
    tenants = list;
    byId = new Map(list.map((t) => [t.id, t]));
    byUrl = new Map(list.map((t) => [t.instanceUrl.replace(/\/$/, ''), t]));
  };
  const stampOf = (r: Pick<TenantRow, 'credentials_changed_at'>) =>
    r.credentials_changed_at ? new Date(r.credentials_changed_at).getTime() : null;

  const ours = rows.filter((r) => slugs.has(r.slug));
  for (const r of ours) stamps.set(r.id, stampOf(r));
  put(ours.map(toTenant));

  async function refresh(tenantId: string): Promise<Tenant | undefined> {
    if (!byId.has(tenantId)) return undefined;
    const row = await findTenantRow(db, tenantId);
    if (!row) return undefined;
    const fresh = toTenant(row);
    stamps.set(row.id, stampOf(row));
    put(tenants.map((t) => (t.id === tenantId ? fresh : t)));
    return fresh;
  }

  async function checkForChanges(): Promise<number> {
    const current = await listCredentialStamps(db);
    let refreshed = 0;
    for (const r of current) {
      if (!stamps.has(r.id) || stamps.get(r.id) === stampOf(r)) continue;
      if (await refresh(r.id)) refreshed++;
    }
    return refreshed;
  }

  let lastCheck = now();
  let checking: Promise<unknown> | null = null;
  const maybeCheck = () => {
    if (checking || now() - lastCheck < checkEveryMs) return;
    lastCheck = now();
    checking = checkForChanges()
      // A failed check (the database briefly away) keeps the current clients; the next interval tries again.
      .catch(() => undefined)
      .finally(() => {
        checking = null;
      });
  };

  return {
    all: () => {
      maybeCheck();
      return tenants;
    },
    byId: (id) => {
      maybeCheck();
      return byId.get(id);
    },
    byInstanceUrl: (url) => {
      maybeCheck();
      return byUrl.get(url.replace(/\/$/, ''));
    },
    refresh,
    checkForChanges,
  };
}
