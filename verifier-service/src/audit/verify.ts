// Checks the whole audit chain (S21): any altered, inserted or removed row shows up as a problem.
import type { DB } from '../db/connect';
import { verifyChain, type ChainProblem } from '../domain/audit-chain';
import { readAuditChain } from '../repositories/audit';

export async function verifyAuditChain(db: DB): Promise<{ events: number; problems: ChainProblem[] }> {
  const events = [];
  for await (const e of readAuditChain(db)) events.push(e);
  return { events: events.length, problems: verifyChain(events) };
}
