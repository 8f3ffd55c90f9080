// API keys (F7). Functions take `db | trx` first and return domain objects; snake_case stays here.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { ApiKeyRow, Database } from '../db/schema';
import type { ApiKey, ApiKeyScope } from '../domain/api-key';

type Q = Kysely<Database> | Transaction<Database>;

export function apiKeyFromRow(r: ApiKeyRow): ApiKey {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    name: r.name,
    prefix: r.prefix,
    scopes: r.scopes as ApiKeyScope[],
    webhookUrl: r.webhook_url,
    webhookSecretSealed: r.webhook_secret_sealed,
    createdAt: new Date(r.created_at),
    lastUsedAt: r.last_used_at ? new Date(r.last_used_at) : null,
    revokedAt: r.revoked_at ? new Date(r.revoked_at) : null,
  };
}

export async function insertApiKey(
  db: Q,
  k: {
    tenantId: string;
    name: string;
    prefix: string;
    keyHash: Buffer;
    scopes: ApiKeyScope[];
    webhookUrl: string | null;
    webhookSecretSealed: string | null;
    createdAt: Date;
  },
): Promise<ApiKey> {
  const row = await db
    .insertInto('api_keys')
    .values({
      tenant_id: k.tenantId,
      name: k.name,
      prefix: k.prefix,
      key_hash: k.keyHash,
      scopes: k.scopes,
      webhook_url: k.webhookUrl,
      webhook_secret_sealed: k.webhookSecretSealed,
      created_at: k.createdAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return apiKeyFromRow(row);
}

export async function findApiKeyByHash(db: Q, keyHash: Buffer): Promise<ApiKey | undefined> {
  const row = await db.selectFrom('api_keys').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
  return row ? apiKeyFromRow(row) : undefined;
}

export async function findApiKeyById(db: Q, id: string): Promise<ApiKey | undefined> {
  const row = await db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? apiKeyFromRow(row) : undefined;
}

export async function findApiKeysByPrefix(db: Q, prefix: string): Promise<ApiKey[]> {
  const rows = await db.selectFrom('api_keys').selectAll().where('prefix', '=', prefix).execute();
  return rows.map(apiKeyFromRow);
}

export async function listApiKeysOfTenant(db: Q, tenantId: string): Promise<ApiKey[]> {
  const rows = await db
    .selectFrom('api_keys')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map(apiKeyFromRow);
}

/** Marks a key revoked (once); returns it, or undefined when it was revoked already. */
export async function markApiKeyRevoked(db: Q, id: string, at: Date): Promise<ApiKey | undefined> {
  const row = await db
    .updateTable('api_keys')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
  return row ? apiKeyFromRow(row) : undefined;
}

/** Records a use, at most once a minute per key (a busy key does not write on every request). */
export async function touchApiKey(db: Q, id: string, at: Date): Promise<void> {
  await db
    .updateTable('api_keys')
    .set({ last_used_at: at })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([
        eb('last_used_at', 'is', null),
        eb('last_used_at', '<', sql<Date>`${at}::timestamptz - interval '1 minute'`),
      ]),
    )
    .execute();
}

/**
 * The webhook of the key that started a verification, if it has one and is not revoked (read inside the state
 * change's transaction).
 */
export async function webhookOfKey(db: Q, id: string): Promise<{ url: string } | undefined> {
  const row = await db
    .selectFrom('api_keys')
    .select('webhook_url')
    .where('id', '=', id)
    .where('webhook_url', 'is not', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row?.webhook_url ? { url: row.webhook_url } : undefined;
}

/**
 * Who created each of a tenant's keys, as the audit trail recorded it (`api_key.created`: `cli`, `demo`,
 * `console:<username>`): key id → actor. Keys created before the trail named anyone are simply absent.
 */
export async function apiKeyCreators(db: Q, tenantId: string): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('audit_events')
    .select(['actor', sql<string>`data->>'keyId'`.as('key_id')])
    .where('tenant_id', '=', tenantId)
    .where('type', '=', 'api_key.created')
    .execute();
  return new Map(rows.filter((r) => r.key_id).map((r) => [r.key_id, r.actor]));
}
