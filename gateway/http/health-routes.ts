/**
 * `GET /healthz` answers while the process is alive; `GET /readyz` once the log, the stores and
 * the adapter are connected (503 with the missing parts before); `GET /metrics` in the
 * Prometheus text format.
 */
import type { FastifyInstance } from 'fastify';
import type { GatewayMetrics } from '../metrics.ts';
import type { Readiness } from '../readiness.ts';

export function healthRoutes(
  app: FastifyInstance,
  readiness: Readiness,
  metrics: GatewayMetrics,
): void {
  app.get('/healthz', async () => ({ ok: true }));

  app.get('/readyz', async (_request, reply) => {
    const waiting = readiness.waiting();
    return reply
      .status(waiting.length === 0 ? 200 : 503)
      .send({ ready: waiting.length === 0, waiting });
  });

  app.get('/metrics', async (_request, reply) => {
    const body = await metrics.registry.metrics();
    return reply.header('content-type', metrics.registry.contentType).send(body);
  });
}
