// What the timed requests need, written straight into the database through the service's repositories — no
// ServiceNow stand-in and no launch: every session below is what `launch` + the ticket view leave behind (a
// session row bound to one ticket, with the ticket context sealed exactly as `refreshContext` seals it), and every
// link is what the `deliver` job leaves behind (a verification in `sent` and a link whose SHA-256 is stored). A
// sanity request through the real routes (run.ts) fails the run before timing if the shape ever drifts.
import { randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Deps } from '../../verifier-service/src/context';
import type { Database } from '../../verifier-service/src/db/schema';
import type { DB } from '../../verifier-service/src/db/connect';
import { cookieName } from '../../verifier-service/src/lib/cookies';
import { hmac, newPublicId, newToken, sha256 } from '../../verifier-service/src/lib/crypto';
import { maskDestination } from '../../verifier-service/src/domain/destination';
import { insertAgentSession } from '../../verifier-service/src/repositories/sessions';
import { insertLink, insertVerification } from '../../verifier-service/src/repositories/verifications';
import { csrfFor } from '../../verifier-service/src/services/agent';

/** Agents share sessions round-robin so each sends a plausible number of links (and the per-agent count stays small). */
const SENDS_PER_AGENT = 25;
const CHUNK = 500; // rows per transaction
const PARALLEL = 4; // transactions at once

/** Mirrors `CachedContext` in services/agent.ts (not exported there): what the agent was shown at launch. */
interface CachedContext {
  ticket: { number: string; subject: string; category: string };
  requester: { sysId: string | null; name: string; userName: string };
  contacts: Array<{ key: string; channel: 'email' | 'sms'; value: string; label: string }>;
}

export interface SendTarget {
  headers: Record<string, string>;
}

const sysId = () => randomBytes(16).toString('hex');

async function inChunks(
  db: DB,
  total: number,
  write: (trx: Transaction<Database>, i: number) => Promise<void>,
) {
  let next = 0;
  const lane = async () => {
    while (next < total) {
      const from = next;
      const to = Math.min(total, from + CHUNK);
      next = to;
      await db.transaction().execute(async (trx) => {
        for (let i = from; i < to; i++) await write(trx, i);
      });
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, lane));
}

/** `count` agent sessions (numbered from `from`), each on its own ticket whose requester has an email on file; returns their request headers. */
export async function seedAgentSessions(
  deps: Deps,
  tenantId: string,
  from: number,
  count: number,
): Promise<SendTarget[]> {
  const out: SendTarget[] = new Array(count);
  const expiresAt = new Date(Date.now() + deps.config.agentSessionMinutes * 60_000);
  const cookie = cookieName(deps.config, 'agent');
  await inChunks(deps.db, count, async (trx, k) => {
    const i = from + k;
    const sessionId = newToken();
    const idHash = sha256(sessionId);
    const agent = Math.floor(i / SENDS_PER_AGENT);
    const number = `INC${String(1_000_000 + i)}`;
    const context: CachedContext = {
      ticket: { number, subject: 'Password reset request', category: 'inquiry' },
      requester: { sysId: sysId(), name: `Requester ${i}`, userName: `requester.${i}` },
      contacts: [
        // A distinct address per ticket, so the per-recipient limit is never what is being measured.
        { key: 'email', channel: 'email', value: `requester.${i}@example.com`, label: 'Email on file' },
      ],
    };
    await insertAgentSession(trx, {
      id_hash: idHash,
      tenant_id: tenantId,
      user_name: `agent.${agent}`,
      name: `Agent ${agent}`,
      ticket_table: 'incident',
      ticket_sys_id: sysId(),
      ticket_number: number,
      context_sealed: deps.sealer.seal(JSON.stringify(context)),
      expires_at: expiresAt,
    });
    out[k] = {
      headers: {
        cookie: `${cookie}=${sessionId}`,
        'x-csrf-token': csrfFor(deps, idHash),
        'content-type': 'application/json',
      },
    };
  });
  return out;
}

/** `count` verifications in `sent` (numbered from `from`), each with one live link; returns the link tokens. */
export async function seedLinks(
  deps: Deps,
  tenantId: string,
  from: number,
  count: number,
): Promise<string[]> {
  const tokens: string[] = new Array(count);
  const now = new Date();
  const expiresAt = new Date(now.getTime() + deps.config.linkTtlMinutes * 60_000);
  await inChunks(deps.db, count, async (trx, k) => {
    const i = from + k;
    const destination = `opener.${i}@example.com`;
    const v = await insertVerification(trx, {
      publicId: newPublicId(),
      tenantId,
      state: 'sent',
      ticketTable: 'incident',
      ticketSysId: sysId(),
      ticketNumber: `INC${String(5_000_000 + i)}`,
      ticketSubject: 'VPN access',
      ticketCategory: 'network',
      requesterSysId: sysId(),
      requesterName: `Opener ${i}`,
      requesterUserName: `opener.${i}`,
      agentUserName: `agent.${Math.floor(i / SENDS_PER_AGENT)}`,
      agentName: 'Agent',
      channel: 'email',
      destinationSealed: deps.sealer.seal(destination),
      destinationMasked: maskDestination('email', destination),
      destinationHash: hmac(deps.keys.destination, `email:${destination}`),
      destinationKey: 'email',
      destinationOnFile: true,
      createdAt: now,
      deadlineAt: expiresAt,
    });
    const token = newToken();
    await insertLink(trx, {
      tenantId,
      verificationId: v.id,
      tokenHash: sha256(token),
      expiresAt,
    });
    tokens[k] = token;
  });
  return tokens;
}
