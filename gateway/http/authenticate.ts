/** The caller of an HTTP request, from `Authorization: Bearer <token>`. */
import type { FastifyRequest } from 'fastify';
import { unauthenticated } from '../../common/errors.ts';
import type { Identity, TokenService } from '../auth/tokens.ts';

/**
 * The verified identity of the caller, or UNAUTHENTICATED.
 *
 * @example
 * const { user } = await callerOf(request, tokens);
 */
export async function callerOf(request: FastifyRequest, tokens: TokenService): Promise<Identity> {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!match) throw unauthenticated('send the access token as "Authorization: Bearer <token>"');
  return tokens.verify(match[1]);
}
