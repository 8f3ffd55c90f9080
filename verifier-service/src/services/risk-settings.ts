// Settings → Risk thresholds (F8 §6, issue 11): the thresholds a verification is decided with, for all the tenant's
// requests and per request category, where each comes from, and the console's changes to them.
//
// The layers, least specific first; a later one wins (services/assurance.ts `policyFor` merges them on top of the
// defaults and the reserved-address choice): the configuration for all requests (TENANTS[].risk) → the console for
// all requests → the configuration of the category (TENANTS[].risk.categories[c]) → the console for the category.
// The console sets the two thresholds only; weights, rules and the step-up stay the configuration's.
import type { Kysely, Transaction } from 'kysely';
import type { RiskOverrideConfig } from '../config';
import type { Deps } from '../context';
import type { Database } from '../db/schema';
import { AppError } from '../errors';
import { fetchCategoryPolicies } from '../clients/servicenow/category-policies';
import { DEFAULT_POLICY, type PolicyOverride } from '../domain/risk/policy';
import { appendAuditEvent } from '../repositories/audit';
import {
  ALL_REQUESTS,
  deleteThresholdOverride,
  findThresholdOverridesFor,
  listThresholdOverrides,
  lockThresholdChanges,
  upsertThresholdOverride,
  type RiskThresholdOverride,
  type ThresholdOverridesFor,
} from '../repositories/risk-thresholds';

type Q = Kysely<Database> | Transaction<Database>;

export { ALL_REQUESTS };

export type ThresholdSource = 'default' | 'configuration' | 'console';

export interface Thresholds {
  medium: number;
  high: number;
}

/** A request category as the configuration and ServiceNow name it (the ticket's `category` value). */
export const CATEGORY_PATTERN = /^[A-Za-z0-9_ -]{1,80}$/;

/** The tenant's risk configuration (TENANTS[].risk), found through the tenant registry's instance URL. */
export function configuredRisk(
  deps: Pick<Deps, 'config' | 'tenants'>,
  tenantId: string,
): RiskOverrideConfig | undefined {
  const url = deps.tenants.byId(tenantId)?.instanceUrl.replace(/\/$/, '');
  if (!url) return undefined;
  return deps.config.tenants.find((t) => t.instanceUrl.replace(/\/$/, '') === url)?.risk;
}

export interface PolicyLayer {
  source: 'configuration' | 'console';
  /** 'all': the tenant's requests; 'category': the request category's */
  scope: 'all' | 'category';
  override: PolicyOverride;
  /** Console layers: the row it is */
  row?: RiskThresholdOverride;
}

const consoleLayer = (scope: PolicyLayer['scope'], row: RiskThresholdOverride): PolicyLayer => ({
  source: 'console',
  scope,
  override: { thresholds: { medium: row.medium, high: row.high } },
  row,
});

/** The layers above the defaults for a request category ('' = all requests), least specific first. */
export function policyLayers(
  risk: RiskOverrideConfig | undefined,
  overrides: ThresholdOverridesFor,
  category: string,
): PolicyLayer[] {
  const { categories, ...own } = risk ?? {};
  const layers: PolicyLayer[] = [];
  if (risk) layers.push({ source: 'configuration', scope: 'all', override: own as PolicyOverride });
  if (overrides.all) layers.push(consoleLayer('all', overrides.all));
  const configured = category === ALL_REQUESTS ? undefined : categories?.[category];
  if (configured)
    layers.push({ source: 'configuration', scope: 'category', override: configured as PolicyOverride });
  if (overrides.category && category !== ALL_REQUESTS)
    layers.push(consoleLayer('category', overrides.category));
  return layers;
}

export interface EffectiveThresholds extends Thresholds {
  source: ThresholdSource;
  /** A category's thresholds that come from the all-requests layers (nothing is set for the category itself) */
  inherited: boolean;
  /** When the console set them: its row */
  row: RiskThresholdOverride | null;
}

/** The thresholds a request category gets ('' = all requests) and where they come from. */
export function effectiveThresholds(
  risk: RiskOverrideConfig | undefined,
  overrides: ThresholdOverridesFor,
  category: string,
): EffectiveThresholds {
  const last = policyLayers(risk, overrides, category)
    .filter((l) => l.override.thresholds)
    .pop();
  if (!last) return { ...DEFAULT_POLICY.thresholds, source: 'default', inherited: false, row: null };
  const t = last.override.thresholds as Thresholds;
  return {
    medium: t.medium,
    high: t.high,
    source: last.source,
    inherited: category !== ALL_REQUESTS && last.scope === 'all',
    row: last.row ?? null,
  };
}

/** One row of the page and the API: the thresholds in effect for all requests or one category. */
export interface ThresholdRow extends Thresholds {
  category: string;
  source: ThresholdSource;
  inherited: boolean;
  /** The console's own setting for this row (what "Use the default" removes) */
  override: (Thresholds & { updatedBy: string; updatedAt: Date }) | null;
  /** What the row gets without its console setting */
  withoutOverride: Thresholds & { source: ThresholdSource; inherited: boolean };
}

export function thresholdRow(
  risk: RiskOverrideConfig | undefined,
  overrides: ThresholdOverridesFor,
  category: string,
): ThresholdRow {
  const now = effectiveThresholds(risk, overrides, category);
  const own = category === ALL_REQUESTS ? overrides.all : overrides.category;
  const without = effectiveThresholds(
    risk,
    category === ALL_REQUESTS ? { ...overrides, all: null } : { ...overrides, category: null },
    category,
  );
  return {
    category,
    medium: now.medium,
    high: now.high,
    source: now.source,
    inherited: now.inherited,
    override: own
      ? { medium: own.medium, high: own.high, updatedBy: own.updatedBy, updatedAt: own.updatedAt }
      : null,
    withoutOverride: {
      medium: without.medium,
      high: without.high,
      source: without.source,
      inherited: without.inherited,
    },
  };
}

// ── the page's categories ───────────────────────────────────────────────────────────────────────────────────

/** At most this long for ServiceNow's category policies: the page never waits on them for long. */
const SERVICENOW_BUDGET_MS = 3000;

export type ServiceNowCategories = 'ok' | 'unavailable' | 'none';

/**
 * The categories of the tenant's active category policies on its ServiceNow (one small read). When the instance does
 * not answer, none: the page shows the others and says so.
 */
async function servicenowCategories(
  deps: Pick<Deps, 'tenants' | 'config' | 'log'>,
  tenantId: string,
): Promise<{ status: ServiceNowCategories; categories: string[] }> {
  const tenant = deps.tenants.byId(tenantId);
  if (!tenant) return { status: 'none', categories: [] };
  try {
    const rows = await fetchCategoryPolicies(tenant.servicenow, {
      deadline: Date.now() + Math.min(deps.config.servicenowRequestBudgetMs, SERVICENOW_BUDGET_MS),
    });
    return {
      status: 'ok',
      categories: rows.filter((r) => r.active && CATEGORY_PATTERN.test(r.category)).map((r) => r.category),
    };
  } catch (err) {
    deps.log.warn(
      { err: { message: (err as Error).message.slice(0, 200) } },
      'category policies unavailable: the risk settings show the other categories',
    );
    return { status: 'unavailable', categories: [] };
  }
}

export interface RiskSettings {
  defaults: Thresholds;
  /** All requests first, then every known category by name */
  rows: ThresholdRow[];
  /** Whether the categories of the tenant's ServiceNow policies are among the rows */
  servicenow: ServiceNowCategories;
}

const overridesOf = (list: RiskThresholdOverride[], category: string): ThresholdOverridesFor => ({
  all: list.find((o) => o.category === ALL_REQUESTS) ?? null,
  category: category === ALL_REQUESTS ? null : (list.find((o) => o.category === category) ?? null),
});

/**
 * The page's rows: all requests, then the known categories — the configuration's, those the console has settings
 * for, and those of the tenant's ServiceNow category policies (when the instance answers).
 */
export async function loadRiskSettings(
  deps: Pick<Deps, 'db' | 'tenants' | 'config' | 'log'>,
  tenantId: string,
): Promise<RiskSettings> {
  const [overrides, sn] = await Promise.all([
    listThresholdOverrides(deps.db, tenantId),
    servicenowCategories(deps, tenantId),
  ]);
  const risk = configuredRisk(deps, tenantId);
  const names = new Set<string>([
    ...Object.keys(risk?.categories ?? {}),
    ...overrides.map((o) => o.category).filter((c) => c !== ALL_REQUESTS),
    ...sn.categories,
  ]);
  const categories = [...names].sort((a, b) => a.localeCompare(b, 'en'));
  return {
    defaults: { ...DEFAULT_POLICY.thresholds },
    rows: [ALL_REQUESTS, ...categories].map((c) => thresholdRow(risk, overridesOf(overrides, c), c)),
    servicenow: sn.status,
  };
}

// ── changes ─────────────────────────────────────────────────────────────────────────────────────────────────

export type ThresholdProblem = 'category' | 'number' | 'decimals' | 'order';

export interface ThresholdProblems {
  category?: 'category';
  medium?: 'number' | 'decimals';
  high?: 'number' | 'decimals' | 'order';
}

export type ThresholdCheck =
  | { ok: true; value: { category: string; medium: number; high: number } }
  | { ok: false; problems: ThresholdProblems };

/** A category as typed: trimmed; '' (or nothing) is all requests. Null when it is not a category name. */
export function parseCategory(raw: unknown): string | null {
  if (raw === undefined || raw === null) return ALL_REQUESTS;
  if (typeof raw !== 'string') return null;
  const c = raw.trim();
  return c === ALL_REQUESTS || CATEGORY_PATTERN.test(c) ? c : null;
}

function parseScore(raw: unknown): { value: number } | { problem: 'number' | 'decimals' } {
  let v: number;
  if (typeof raw === 'number') v = raw;
  else if (typeof raw === 'string' && /^\s*[0-9]{1,3}([.,][0-9]{1,6})?\s*$/.test(raw))
    v = Number(raw.trim().replace(',', '.'));
  else return { problem: 'number' };
  if (!(Number.isFinite(v) && v > 0 && v <= 10)) return { problem: 'number' };
  // The engine's score has one decimal: a finer threshold would mean nothing more.
  if (Math.abs(v * 10 - Math.round(v * 10)) > 1e-9) return { problem: 'decimals' };
  return { value: Math.round(v * 10) / 10 };
}

/** 0 < medium < high <= 10, one decimal; a category name or '' for all requests. */
export function checkThresholds(raw: {
  category?: unknown;
  medium?: unknown;
  high?: unknown;
}): ThresholdCheck {
  const problems: ThresholdProblems = {};
  const category = parseCategory(raw.category);
  if (category === null) problems.category = 'category';
  const medium = parseScore(raw.medium);
  const high = parseScore(raw.high);
  if ('problem' in medium) problems.medium = medium.problem;
  if ('problem' in high) problems.high = high.problem;
  if ('value' in medium && 'value' in high && !(medium.value < high.value)) problems.high = 'order';
  if (category === null || 'problem' in medium || 'problem' in high || problems.high)
    return { ok: false, problems };
  return { ok: true, value: { category, medium: medium.value, high: high.value } };
}

const PROBLEM_TEXT: Record<ThresholdProblem, string> = {
  category:
    'The category is 1 to 80 letters, digits, spaces, hyphens or underscores (or empty for all requests).',
  number: 'Medium and High are scores above 0 and at most 10.',
  decimals: 'Medium and High have at most one decimal, as the score has.',
  order: 'Medium must be lower than High.',
};

/** The API's error for a refused change: RISK_THRESHOLDS_INVALID for the scores, VALIDATION_FAILED for the name. */
export function thresholdsError(problems: ThresholdProblems): AppError {
  const scores = [problems.medium, problems.high].filter(
    (p): p is NonNullable<ThresholdProblems['high']> => p !== undefined,
  );
  if (scores.length)
    return new AppError(
      'RISK_THRESHOLDS_INVALID',
      [...new Set(scores)].map((p) => PROBLEM_TEXT[p]).join(' '),
    );
  return new AppError('VALIDATION_FAILED', PROBLEM_TEXT.category);
}

export interface ChangedBy {
  tenantId: string;
  username: string;
}

const actorOf = (by: ChangedBy) => `console:${by.username}`;

/**
 * Sets a category's thresholds (or all requests'), audited in the same transaction (`settings.risk_thresholds_changed`
 * with what was in effect before and the new pair). The next decision of the tenant uses them.
 */
export async function setRiskThresholds(
  deps: Pick<Deps, 'db' | 'tenants' | 'config' | 'clock'>,
  by: ChangedBy,
  input: { category?: unknown; medium?: unknown; high?: unknown },
): Promise<ThresholdRow> {
  const check = checkThresholds(input);
  if (!check.ok) throw thresholdsError(check.problems);
  const { category, medium, high } = check.value;
  const risk = configuredRisk(deps, by.tenantId);
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    await lockThresholdChanges(trx, by.tenantId);
    const before = effectiveThresholds(
      risk,
      await findThresholdOverridesFor(trx, by.tenantId, category),
      category,
    );
    await upsertThresholdOverride(trx, {
      tenantId: by.tenantId,
      category,
      medium,
      high,
      updatedBy: by.username,
      updatedAt: now,
    });
    const row = await rowIn(trx, risk, by.tenantId, category);
    await appendAuditEvent(trx, {
      tenantId: by.tenantId,
      verificationId: null,
      type: 'settings.risk_thresholds_changed',
      actor: actorOf(by),
      data: {
        category,
        before: { medium: before.medium, high: before.high, source: before.source },
        after: { medium, high },
      },
      createdAt: now,
    });
    return row;
  });
}

/**
 * Removes the console's thresholds of a category (or all requests'): the row goes back to the configuration's or
 * the defaults (`settings.risk_thresholds_reset`, in the same transaction). Nothing set: nothing changes, no event.
 */
export async function resetRiskThresholds(
  deps: Pick<Deps, 'db' | 'tenants' | 'config' | 'clock'>,
  by: ChangedBy,
  rawCategory: unknown,
): Promise<{ removed: boolean; row: ThresholdRow }> {
  const category = parseCategory(rawCategory);
  if (category === null) throw thresholdsError({ category: 'category' });
  const risk = configuredRisk(deps, by.tenantId);
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    await lockThresholdChanges(trx, by.tenantId);
    const removed = await deleteThresholdOverride(trx, by.tenantId, category);
    const row = await rowIn(trx, risk, by.tenantId, category);
    if (removed) {
      await appendAuditEvent(trx, {
        tenantId: by.tenantId,
        verificationId: null,
        type: 'settings.risk_thresholds_reset',
        actor: actorOf(by),
        data: {
          category,
          before: { medium: removed.medium, high: removed.high, source: 'console' },
          after: { medium: row.medium, high: row.high, source: row.source },
        },
        createdAt: now,
      });
    }
    return { removed: removed !== null, row };
  });
}

async function rowIn(db: Q, risk: RiskOverrideConfig | undefined, tenantId: string, category: string) {
  return thresholdRow(risk, await findThresholdOverridesFor(db, tenantId, category), category);
}
