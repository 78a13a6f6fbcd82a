/**
 * The small HTTP server every background service (engine, projector) answers on:
 * `/healthz` while the process is alive, `/readyz` once it serves, `/metrics` for Prometheus.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

export interface HealthServer {
  markReady(): void;
  close(): Promise<void>;
  url: string;
}

export async function startHealthServer(port: number, registry: Registry): Promise<HealthServer> {
  let ready = false;
  const app: FastifyInstance = Fastify({ logger: false });
  app.get('/healthz', async () => ({ ok: true }));
  app.get('/readyz', async (_request, reply) => {
    if (!ready) return reply.code(503).send({ ok: false });
    return { ok: true };
  });
  app.get('/metrics', async (_request, reply) => {
    return reply.header('content-type', registry.contentType).send(await registry.metrics());
  });
  const url = await app.listen({ port, host: process.env.HOST ?? '127.0.0.1' });
  return {
    url,
    markReady: () => (ready = true),
    close: () => app.close(),
  };
}
