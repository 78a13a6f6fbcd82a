/**
 * The HTTP side of a gateway: one Fastify app, on the same port as Socket.IO. The app is
 * created first, so that Socket.IO can attach to its server; routes follow once everything
 * they use exists.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '../../common/logger.ts';
import { webAppRoutes } from '../../web/server/web-routes.ts';
import type { TokenService } from '../auth/tokens.ts';
import type { GatewayMetrics } from '../metrics.ts';
import type { Readiness } from '../readiness.ts';
import { devAuthRoutes } from './auth-routes.ts';
import { allowCrossOrigin } from './cors.ts';
import { docRoutes, type DocRoutesDeps } from './doc-routes.ts';
import { installErrorHandling } from './errors.ts';
import { healthRoutes } from './health-routes.ts';

export interface RoutesDeps extends DocRoutesDeps {
  tokens: TokenService;
  devAuth: boolean;
  /** Serve the web editor at `/`. */
  webApp: boolean;
  readiness: Readiness;
  metrics: GatewayMetrics;
}

/** Request bodies are small JSON documents (a title, a role). */
const BODY_LIMIT = 16 * 1024;

export function createHttpApp(logger: Logger): FastifyInstance {
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // One line per request would drown the lifecycle logs; failures are logged on their own.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT,
  });
  installErrorHandling(app, logger);
  allowCrossOrigin(app);
  return app;
}

export function registerRoutes(app: FastifyInstance, deps: RoutesDeps): void {
  healthRoutes(app, deps.readiness, deps.metrics);
  if (deps.devAuth) devAuthRoutes(app, deps.tokens);
  docRoutes(app, deps);
  if (deps.webApp) webAppRoutes(app, { devSignIn: deps.devAuth });
}
