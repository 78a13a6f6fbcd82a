/**
 * `presence:set {doc, v, sel}`: the socket's cursor in a document it has joined, relative to
 * version `v`. It reaches the room with the next presence tick.
 */
import { badRequest } from '../../common/errors.ts';
import type { GatewayContext, GatewaySocket } from './context.ts';
import { docRoom } from './rooms.ts';
import type { PresencePayload } from './schemas.ts';

export async function setPresence(
  ctx: GatewayContext,
  socket: GatewaySocket,
  { doc, v, sel }: PresencePayload,
): Promise<object> {
  await ctx.rateLimits.consume('presence', socket.id);
  if (!socket.rooms.has(docRoom(doc))) {
    throw badRequest(`join document ${doc} before setting presence in it`);
  }
  await ctx.access.require(doc, socket.data.user, 'read');
  ctx.presence.set(socket, doc, v, sel);
  return {};
}
