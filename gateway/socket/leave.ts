/** `doc:leave {doc}`: the socket stops receiving the document, and its cursor disappears. */
import type { GatewayContext, GatewaySocket } from './context.ts';
import { docRoom } from './rooms.ts';
import type { LeavePayload } from './schemas.ts';
import type { Session } from './session.ts';

export async function leave(
  ctx: GatewayContext,
  socket: GatewaySocket,
  session: Session,
  { doc }: LeavePayload,
): Promise<object> {
  ctx.presence.remove(socket, doc);
  session.leave(doc);
  await socket.leave(docRoom(doc));
  return {};
}
