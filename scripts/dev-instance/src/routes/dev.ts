// Dev-only helpers for tests in another process (unauthenticated; the stand-in binds to 127.0.0.1).
//   POST   /__dev/faults        JSON array (or one object) of faults to enqueue
//   DELETE /__dev/faults        clear faults, latency and the rate-limit rule
//   PUT    /__dev/latency       {"ms": 250}
//   PUT    /__dev/rate-limit    {"limit": 5, "windowSeconds": 3600}     DELETE removes it
//   GET    /__dev/requests      the request log                          DELETE clears it
//   GET    /__dev/health        {"status":"ok","url":…}

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { InstanceContext } from '../context';
import { faultProblem, type QueuedFault } from '../faults';

function json(req: FastifyRequest): unknown {
  try {
    return typeof req.body === 'string' ? JSON.parse(req.body) : req.body;
  } catch {
    return undefined;
  }
}

export function devRoutes(app: FastifyInstance, ctx: InstanceContext): void {
  app.get('/__dev/health', async () => ({ status: 'ok', url: ctx.url() }));

  app.post('/__dev/faults', async (req, reply) => {
    const body = json(req);
    const list = Array.isArray(body) ? body : [body];
    for (const f of list) {
      const problem = faultProblem(f);
      if (problem) return reply.code(400).send({ error: problem });
    }
    ctx.faults.enqueue(...(list as QueuedFault[]));
    return { pending: ctx.faults.pending() };
  });
  app.delete('/__dev/faults', async (_req, reply) => {
    ctx.faults.clear();
    return reply.code(204).send();
  });

  app.put('/__dev/latency', async (req, reply) => {
    const ms = (json(req) as { ms?: unknown } | undefined)?.ms;
    if (typeof ms !== 'number' || ms < 0) return reply.code(400).send({ error: 'ms must be a number >= 0' });
    ctx.faults.setLatency(ms);
    return reply.code(204).send();
  });

  app.put('/__dev/rate-limit', async (req, reply) => {
    const rule = json(req) as { limit?: unknown; windowSeconds?: unknown; name?: unknown } | undefined;
    if (
      typeof rule?.limit !== 'number' ||
      typeof rule.windowSeconds !== 'number' ||
      rule.limit < 0 ||
      rule.windowSeconds <= 0
    ) {
      return reply.code(400).send({ error: 'limit (>= 0) and windowSeconds (> 0) are required numbers' });
    }
    ctx.faults.setRateLimitRule({
      limit: rule.limit,
      windowSeconds: rule.windowSeconds,
      ...(typeof rule.name === 'string' ? { name: rule.name } : {}),
    });
    return reply.code(204).send();
  });
  app.delete('/__dev/rate-limit', async (_req, reply) => {
    ctx.faults.setRateLimitRule(null);
    return reply.code(204).send();
  });

  app.get('/__dev/requests', async () => ctx.requests.all());
  app.delete('/__dev/requests', async (_req, reply) => {
    ctx.requests.clear();
    return reply.code(204).send();
  });
}
