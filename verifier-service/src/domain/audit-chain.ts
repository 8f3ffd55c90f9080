// The audit trail is a hash chain (S21): each event's hash covers its content and the previous event's hash, so
// altering or removing any row breaks every hash after it.
import { createHash } from 'node:crypto';

export interface AuditContent {
  tenantId: string | null;
  verificationId: string | null;
  type: string;
  actor: string;
  data: Record<string, unknown>;
  createdAt: Date;
}

/** JSON with sorted keys, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function auditHash(prev: Buffer | null, e: AuditContent): Buffer {
  return createHash('sha256')
    .update(prev ? prev.toString('hex') : 'genesis')
    .update('\n')
    .update(
      canonicalJson({
        tenantId: e.tenantId,
        verificationId: e.verificationId,
        type: e.type,
        actor: e.actor,
        data: e.data,
        createdAt: e.createdAt.toISOString(),
      }),
    )
    .digest();
}

export interface ChainProblem {
  id: string;
  problem: 'hash_mismatch' | 'broken_link';
}

export type ChainEvent = AuditContent & { id: string; prevHash: Buffer | null; hash: Buffer };

/**
 * A walk over the chain one event at a time, in id order: `step(e)` answers the problems at that event. It holds
 * only the previous hash, so a chain of millions of events is checked in constant memory.
 */
export function chainWalker(): { step(e: ChainEvent): ChainProblem[] } {
  let prev: Buffer | null = null;
  return {
    step(e) {
      const problems: ChainProblem[] = [];
      const linkOk = prev === null ? e.prevHash === null : e.prevHash !== null && e.prevHash.equals(prev);
      if (!linkOk) problems.push({ id: e.id, problem: 'broken_link' });
      if (!auditHash(e.prevHash, e).equals(e.hash)) problems.push({ id: e.id, problem: 'hash_mismatch' });
      prev = e.hash;
      return problems;
    },
  };
}

/** Walks events in id order and reports every place the chain does not hold. */
export function verifyChain(events: Iterable<ChainEvent>): ChainProblem[] {
  const walk = chainWalker();
  const problems: ChainProblem[] = [];
  for (const e of events) problems.push(...walk.step(e));
  return problems;
}
