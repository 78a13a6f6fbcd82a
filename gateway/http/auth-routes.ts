/**
 * `POST /api/auth/dev {user, name?}` → `{token}`: a token for anyone who asks, for local
 * development and tests. The route exists only when AUTH_DEV=1; otherwise it is a 404 like any
 * other unknown path.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { USER_ID_PATTERN, type TokenService } from '../auth/tokens.ts';
import { parseWith } from '../validation.ts';

const devLoginSchema = z.strictObject({
  user: z.string().regex(USER_ID_PATTERN, 'must be 1 to 128 letters, digits or _ . @ : + -'),
  name: z.string().min(1).max(80).optional(),
});

export function devAuthRoutes(app: FastifyInstance, tokens: TokenService): void {
  app.post('/api/auth/dev', async (request) => {
    const identity = parseWith(devLoginSchema, request.body ?? {});
    return { token: await tokens.issue(identity) };
  });
}
