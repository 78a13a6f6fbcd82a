/**
 * Cross-origin access for browser clients served from another origin (an editor's dev
 * server, for one). Tokens travel in the Authorization header, never in cookies, so allowing
 * any origin exposes nothing a script could not already send.
 */
import type { FastifyInstance } from 'fastify';

export function allowCrossOrigin(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    reply.header('access-control-allow-origin', '*');
    if (request.method !== 'OPTIONS') return;
    reply
      .header('access-control-allow-methods', 'GET, POST, PUT, DELETE, OPTIONS')
      .header('access-control-allow-headers', 'authorization, content-type')
      .header('access-control-max-age', '600')
      .status(204)
      .send();
    return reply;
  });
}
