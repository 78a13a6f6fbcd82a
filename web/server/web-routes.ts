/**
 * The web app on a gateway's port: the page at `/` and at every document address, and the
 * built assets under `/assets/`. The page is served with a strict content security policy —
 * the app needs nothing but its own origin, which also carries its Socket.IO connection.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { etagOf, webBundle } from './bundle.ts';

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-cache',
  'content-security-policy': [
    "default-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

/** Built assets never change under their name. */
const ASSET_CACHE = 'public, max-age=31536000, immutable';

export interface WebAppOptions {
  /** Whether this gateway offers `POST /api/auth/dev`; the page tells the app. */
  devSignIn: boolean;
}

/**
 * Serves the web app.
 *
 * @example
 * webAppRoutes(app, { devSignIn: true }); // GET / now answers with the editor
 */
export function webAppRoutes(app: FastifyInstance, options: WebAppOptions): void {
  let page: Promise<Buffer> | null = null;
  const render = () => {
    page ??= webBundle().then(({ page: template }) =>
      Buffer.from(template.replaceAll('{{devSignIn}}', options.devSignIn ? 'on' : 'off')),
    );
    return page.catch((error: unknown) => {
      page = null;
      throw error;
    });
  };
  const servePage = (request: FastifyRequest, reply: FastifyReply) =>
    sendPage(app, reply, render, request.headers['if-none-match']);

  app.get('/', servePage);
  app.get('/d/:id', servePage);

  app.get<{ Params: { name: string } }>('/assets/:name', async (request, reply) => {
    const asset = (await webBundle()).assets.get(request.params.name);
    if (!asset) return reply.callNotFound();
    return reply
      .header('content-type', asset.contentType)
      .header('cache-control', ASSET_CACHE)
      .header('x-content-type-options', 'nosniff')
      .send(asset.body);
  });
}

async function sendPage(
  app: FastifyInstance,
  reply: FastifyReply,
  render: () => Promise<Buffer>,
  ifNoneMatch: string | undefined,
): Promise<FastifyReply> {
  let page: Buffer;
  try {
    page = await render();
  } catch (error) {
    app.log.error({ err: error }, 'the web app could not be built');
    return reply
      .status(503)
      .header('content-type', 'text/plain; charset=utf-8')
      .send('The editor could not be built on this server; its log says why.\n');
  }
  const etag = etagOf(page);
  reply.headers(PAGE_HEADERS).header('etag', etag);
  if (ifNoneMatch === etag) return reply.status(304).send();
  return reply.send(page);
}
