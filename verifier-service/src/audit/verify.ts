// Checks the whole audit chain (S21): any altered, inserted or removed row shows up as a problem. The events are
// read in batches and checked as they come (constant memory, whatever the chain's length).
import type { DB } from '../db/connect';
import { chainWalker, type ChainEvent, type ChainProblem } from '../domain/audit-chain';
import { readAuditChain } from '../repositories/audit';

export async function verifyAuditChain(
  db: DB,
  /** Sees every event and its problems as the walk passes it (the console counts a tenant's own events) */
  onEvent?: (e: ChainEvent, problems: readonly ChainProblem[]) => void,
): Promise<{ events: number; problems: ChainProblem[] }> {
  const walk = chainWalker();
  const problems: ChainProblem[] = [];
  let events = 0;
  for await (const e of readAuditChain(db)) {
    events++;
    const found = walk.step(e);
    if (found.length) problems.push(...found);
    onEvent?.(e, found);
  }
  return { events, problems };
}
