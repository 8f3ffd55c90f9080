// The embedded database: PGlite served on a local TCP socket by @electric-sql/pglite-socket, so pg, kysely and
// graphile-worker use it unchanged.
//
// pglite-socket (0.2.x) runs each protocol *message* of every connection through one shared session as it
// arrives. Outside an explicit transaction, two connections' extended-protocol queries (Parse, Bind, Describe,
// Execute, Sync) then interleave, and one connection's Bind lands on the other's statement ("bind message supplies
// 1 parameters, but prepared statement "" requires 2"). `BatchingQueue` replaces its queue: it holds each
// connection's messages until the message that ends a round trip (Sync, a simple Query, Flush, …) and runs the
// batch as one unit; while a connection has a transaction open, only that connection's batches run.
import { mkdirSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';

type OnData = (data: Uint8Array) => void;
interface Batch {
  handlerId: number;
  message: Uint8Array;
  onData: OnData;
  resolve: (bytes: number) => void;
  reject: (err: unknown) => void;
}

// Message types after which the client waits for an answer (protocol 3.0): Sync, Query, Flush, Terminate,
// password/SASL, and the COPY ones. Anything else (Parse, Bind, Describe, Execute, Close) is held.
const ROUND_TRIP_ENDS = new Set(['S', 'Q', 'H', 'X', 'p', 'd', 'c', 'f'].map((c) => c.charCodeAt(0)));

export class BatchingQueue {
  private held = new Map<number, Uint8Array[]>();
  private queue: Batch[] = [];
  private running = false;
  private owner: number | null = null; // the connection whose transaction is open

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: OnData): Promise<number> {
    const type = message[0]!;
    const startup = type === 0; // startup and SSL/cancel requests have no type byte
    if (!startup && !ROUND_TRIP_ENDS.has(type)) {
      const held = this.held.get(handlerId) ?? [];
      held.push(message);
      this.held.set(handlerId, held);
      return Promise.resolve(0);
    }
    const parts = [...(this.held.get(handlerId) ?? []), message];
    this.held.delete(handlerId);
    const batch = parts.length === 1 ? message : Buffer.concat(parts);
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message: batch, onData, resolve, reject });
      void this.run();
    });
  }

  private async run() {
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        const index =
          this.owner !== null && this.db.isInTransaction()
            ? this.queue.findIndex((b) => b.handlerId === this.owner)
            : 0;
        if (index < 0 || this.queue.length === 0) break;
        const [batch] = this.queue.splice(index, 1) as [Batch];
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(batch.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                batch.onData(data);
              },
            }),
          );
          this.owner = batch.handlerId;
          batch.resolve(bytes);
        } catch (err) {
          batch.reject(err);
        }
      }
    } finally {
      this.running = false;
    }
  }

  clearQueueForHandler(handlerId: number) {
    this.held.delete(handlerId);
    this.queue = this.queue.filter((b) => b.handlerId !== handlerId);
  }

  async clearTransactionIfNeeded(handlerId: number) {
    if (this.db.isInTransaction() && this.owner === handlerId) {
      await this.db.exec('ROLLBACK');
      this.owner = null;
      void this.run();
    }
  }

  getQueueLength() {
    return this.queue.length;
  }
}

/** PGlite on a local TCP socket. `dir` 'memory://' keeps nothing on disk. */
export async function startEmbeddedPostgres(dir: string, maxConnections: number) {
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  if (!dir.startsWith('memory://')) mkdirSync(dir, { recursive: true });
  const pglite = await PGlite.create({ dataDir: dir });
  const server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0, maxConnections });
  (server as unknown as { queryQueue: BatchingQueue }).queryQueue = new BatchingQueue(
    pglite as unknown as PGlite,
  );
  await server.start();
  // getServerConn() reports the requested port (0), so read the bound one from the listening socket.
  const listening = (server as unknown as { server?: import('node:net').Server }).server?.address();
  if (!listening || typeof listening === 'string')
    throw new Error('embedded database did not start listening');
  return {
    url: `postgres://postgres@127.0.0.1:${listening.port}/postgres`,
    async stop() {
      await server.stop();
      await pglite.close();
    },
  };
}
