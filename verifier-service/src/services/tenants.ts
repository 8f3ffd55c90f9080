// Tenants: one per ServiceNow instance. Configuration is the source of truth; at boot it is written to the
// database (secrets sealed with the data key) so every row can reference its tenant.
import type { TenantConfig } from '../config';
import type { DB } from '../db/connect';
import type { Sealer } from '../lib/crypto';
import { listTenants, upsertTenant } from '../repositories/tenants';
import { createServiceNowClient, type ServiceNowClient } from '../clients/servicenow/client';

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
}

export async function syncTenants(
  db: DB,
  sealer: Sealer,
  configured: TenantConfig[],
  clientOptions: { timeoutMs?: number; sleep?: (ms: number) => Promise<void> } = {},
): Promise<TenantRegistry> {
  for (const t of configured) {
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
  const tenants: Tenant[] = rows
    .filter((r) => slugs.has(r.slug))
    .map((r) => ({
      id: r.id,
      slug: r.slug,
      name: r.name,
      instanceUrl: r.instance_url,
      launchSecret: Buffer.from(sealer.open(r.launch_secret_sealed), 'base64'),
      servicenow: createServiceNowClient({
        instanceUrl: r.instance_url,
        auth: JSON.parse(sealer.open(r.credentials_sealed)),
        ...clientOptions,
      }),
    }));
  const byId = new Map(tenants.map((t) => [t.id, t]));
  const byUrl = new Map(tenants.map((t) => [t.instanceUrl.replace(/\/$/, ''), t]));
  return {
    all: () => tenants,
    byId: (id) => byId.get(id),
    byInstanceUrl: (url) => byUrl.get(url.replace(/\/$/, '')),
  };
}
