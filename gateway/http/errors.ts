/**
 * Errors over HTTP: the same `{code, message, retryAfterMs?}` body as over Socket.IO, with the
 * HTTP status that fits the code, so that generic HTTP tooling (retries, caches, proxies)
 * behaves sensibly too.
 */
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import {
  ProtocolError,
  badRequest,
  notFound,
  tooLarge,
  type ErrorCode,
} from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';

const STATUS: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  BAD_REQUEST: 400,
  INVALID_OP: 422,
  TOO_LARGE: 413,
  VERSION_TOO_OLD: 410,
  VERSION_FROM_FUTURE: 409,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
};

export function sendError(reply: FastifyReply, error: ProtocolError): FastifyReply {
  if (error.retryAfterMs !== undefined) {
    reply.header('retry-after', Math.max(1, Math.ceil(error.retryAfterMs / 1000)));
  }
  return reply.status(STATUS[error.code]).send(error.toWire());
}

/** Every failure, including Fastify's own (bad JSON, body too large, no such route). */
export function installErrorHandling(app: FastifyInstance, logger: Logger): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ProtocolError) return sendError(reply, error);
    const status = error.statusCode ?? 500;
    if (status === 413) return sendError(reply, tooLarge('the request body is too large'));
    if (status >= 400 && status < 500) return sendError(reply, badRequest(error.message));
    logger.error({ err: error, method: request.method, url: request.url }, 'request failed');
    return sendError(reply, ProtocolError.from(error));
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, notFound(`no route ${request.method} ${request.url.split('?')[0]}`)),
  );
}
