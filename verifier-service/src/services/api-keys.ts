// F7 API keys: per-tenant keys for IVRs and other systems that start verifications through the API. A key and its
// webhook's signing secret are shown once, when created; only the key's SHA-256 and the sealed secret are stored
// (S1). Creating and revoking are audited (S21).
import { LINE_PATTERN } from '@imper/shared';
import type { Deps } from '../context';
import {
  apiKeyPrefix,
  hashApiKey,
  hasScope,
  isAcceptableApiKey,
  newApiKey,
  newWebhookSecret,
  webhookUrlProblem,
  type ApiKey,
  type ApiKeyScope,
} from '../domain/api-key';
import { AppError } from '../errors';
import { appendAuditEvent } from '../repositories/audit';
import {
  apiKeyCreators,
  findApiKeyByHash,
  findApiKeyById,
  findApiKeysByPrefix,
  insertApiKey,
  listApiKeysOfTenant,
  markApiKeyRevoked,
  touchApiKey,
} from '../repositories/api-keys';

export type ApiKeyDeps = Pick<Deps, 'db' | 'sealer' | 'clock'> & { config: Pick<Deps['config'], 'env'> };

export interface CreateApiKeyInput {
  tenantId: string;
  name: string;
  scopes: readonly ApiKeyScope[];
  webhookUrl?: string;
  /** Install this key instead of generating one (the demo's DEMO_API_KEY): 32–200 visible characters */
  key?: string;
  /** Who did it, for the audit trail (default `cli`) */
  actor?: string;
}

export interface CreatedApiKey {
  /** The key itself: shown once, never stored */
  key: string;
  /** The webhook's signing secret (`whsec_…`): shown once; null without a webhook */
  webhookSecret: string | null;
  apiKey: ApiKeySummary;
}

/** What may be shown of a key: never its hash or the webhook's secret. */
export interface ApiKeySummary {
  id: string;
  prefix: string;
  name: string;
  scopes: ApiKeyScope[];
  webhookUrl: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export const summaryOf = (k: ApiKey): ApiKeySummary => ({
  id: k.id,
  prefix: k.prefix,
  name: k.name,
  scopes: k.scopes,
  webhookUrl: k.webhookUrl,
  createdAt: k.createdAt,
  lastUsedAt: k.lastUsedAt,
  revokedAt: k.revokedAt,
});

export async function createApiKey(deps: ApiKeyDeps, input: CreateApiKeyInput): Promise<CreatedApiKey> {
  const name = input.name.trim();
  if (!name || name.length > 100 || !new RegExp(LINE_PATTERN).test(name))
    throw new AppError('VALIDATION_FAILED', 'The key needs a name of 1 to 100 characters on one line.');
  if (input.scopes.length === 0) throw new AppError('VALIDATION_FAILED', 'The key needs at least one scope.');
  if (input.key !== undefined && !isAcceptableApiKey(input.key))
    throw new AppError('VALIDATION_FAILED', 'A given key must be 32 to 200 visible ASCII characters.');
  if (input.webhookUrl !== undefined) {
    const problem = webhookUrlProblem(input.webhookUrl, deps.config.env);
    if (problem) throw new AppError('VALIDATION_FAILED', `${problem[0]!.toUpperCase()}${problem.slice(1)}.`);
  }
  const key = input.key ?? newApiKey();
  const webhookSecret = input.webhookUrl !== undefined ? newWebhookSecret() : null;
  const created = await deps.db.transaction().execute(async (trx) => {
    const k = await insertApiKey(trx, {
      tenantId: input.tenantId,
      name,
      prefix: apiKeyPrefix(key),
      keyHash: hashApiKey(key),
      scopes: [...new Set(input.scopes)],
      webhookUrl: input.webhookUrl ?? null,
      webhookSecretSealed: webhookSecret ? deps.sealer.seal(webhookSecret) : null,
      createdAt: deps.clock.now(),
    });
    await appendAuditEvent(trx, {
      tenantId: k.tenantId,
      verificationId: null,
      type: 'api_key.created',
      actor: input.actor ?? 'cli',
      data: { keyId: k.id, prefix: k.prefix, name: k.name, scopes: k.scopes, webhook: k.webhookUrl !== null },
    });
    return k;
  });
  return { key, webhookSecret, apiKey: summaryOf(created) };
}

/**
 * Revokes the key with this prefix (within a tenant, when given). Unknown or ambiguous → NOT_FOUND /
 * VALIDATION_FAILED; already revoked → the key as it is (nothing is audited twice).
 */
export async function revokeApiKey(
  deps: ApiKeyDeps,
  input: { prefix: string; tenantId?: string; actor?: string },
): Promise<ApiKeySummary> {
  const found = (await findApiKeysByPrefix(deps.db, input.prefix)).filter(
    (k) => !input.tenantId || k.tenantId === input.tenantId,
  );
  if (found.length === 0) throw new AppError('NOT_FOUND', `No API key has the prefix ${input.prefix}.`);
  const live = found.filter((k) => !k.revokedAt);
  if (live.length === 0) return summaryOf(found[0]!);
  if (live.length > 1)
    throw new AppError(
      'VALIDATION_FAILED',
      `Several API keys have the prefix ${input.prefix}; name the tenant.`,
    );
  const key = live[0]!;
  const revoked = await deps.db.transaction().execute(async (trx) => {
    const k = await markApiKeyRevoked(trx, key.id, deps.clock.now());
    if (!k) return undefined;
    await appendAuditEvent(trx, {
      tenantId: k.tenantId,
      verificationId: null,
      type: 'api_key.revoked',
      actor: input.actor ?? 'cli',
      data: { keyId: k.id, prefix: k.prefix, name: k.name },
    });
    return k;
  });
  return summaryOf(revoked ?? key);
}

export async function listApiKeys(deps: Pick<Deps, 'db'>, tenantId: string): Promise<ApiKeySummary[]> {
  return (await listApiKeysOfTenant(deps.db, tenantId)).map(summaryOf);
}

/** The live key a bearer value is, or null (unknown, revoked, malformed). Records the use at most once a minute. */
export async function authenticate(
  deps: Pick<Deps, 'db' | 'clock'>,
  bearer: string | null,
): Promise<ApiKey | null> {
  if (!bearer || !isAcceptableApiKey(bearer)) return null;
  const key = await findApiKeyByHash(deps.db, hashApiKey(bearer));
  if (!key || key.revokedAt) return null;
  const now = deps.clock.now();
  if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() >= 60_000)
    await touchApiKey(deps.db, key.id, now);
  return key;
}

export { hasScope };

/** A key as the console's Settings list it: its summary and who created it, when the audit trail names them. */
export interface ApiKeyListItem extends ApiKeySummary {
  /** The `api_key.created` event's actor (`console:<username>`, `cli`, `demo`); null when none is recorded */
  createdBy: string | null;
}

/** The tenant's keys, newest first, with their creators (never a key, hash or webhook secret). */
export async function listApiKeysWithCreators(
  deps: Pick<Deps, 'db'>,
  tenantId: string,
): Promise<ApiKeyListItem[]> {
  const [keys, creators] = await Promise.all([
    listApiKeysOfTenant(deps.db, tenantId),
    apiKeyCreators(deps.db, tenantId),
  ]);
  return keys.map((k) => ({ ...summaryOf(k), createdBy: creators.get(k.id) ?? null }));
}

/**
 * Revokes one of a tenant's keys by its id (the console, S18): an unknown id or another tenant's key → NOT_FOUND and
 * nothing changes; a key revoked already is answered as it is (a second click audits nothing).
 */
export async function revokeApiKeyOfTenant(
  deps: ApiKeyDeps,
  input: { tenantId: string; id: string; actor: string },
): Promise<ApiKeySummary> {
  const key = await findApiKeyById(deps.db, input.id);
  if (!key || key.tenantId !== input.tenantId) throw new AppError('NOT_FOUND', 'No such API key.');
  if (key.revokedAt) return summaryOf(key);
  const revoked = await deps.db.transaction().execute(async (trx) => {
    const k = await markApiKeyRevoked(trx, key.id, deps.clock.now());
    if (!k) return undefined;
    await appendAuditEvent(trx, {
      tenantId: k.tenantId,
      verificationId: null,
      type: 'api_key.revoked',
      actor: input.actor,
      data: { keyId: k.id, prefix: k.prefix, name: k.name },
    });
    return k;
  });
  // Revoked meanwhile by someone else: answer the key as it is now.
  return summaryOf(revoked ?? (await findApiKeyById(deps.db, key.id)) ?? key);
}
