/**
 * `doc:join {doc, v?}`: the socket starts receiving the document's operations and presence,
 * and gets either the text at the head (no `v`) or every operation after `v` (catch-up).
 */
import { badRequest } from '../../common/errors.ts';
import type { JoinResult } from '../client/protocol.ts';
import { opsAfter, toWireOp } from '../reads/operations.ts';
import type { GatewayContext, GatewaySocket } from './context.ts';
import { docRoom } from './rooms.ts';
import type { JoinPayload } from './schemas.ts';

export async function join(
  ctx: GatewayContext,
  socket: GatewaySocket,
  { doc, v }: JoinPayload,
): Promise<JoinResult> {
  await ctx.rateLimits.consume('join', socket.id);
  await ctx.access.require(doc, socket.data.user, 'read');

  const room = docRoom(doc);
  const alreadyJoined = socket.rooms.has(room);
  if (!alreadyJoined && joinedDocs(socket) >= ctx.limits.maxDocsPerSocket) {
    throw badRequest(`a connection may have at most ${ctx.limits.maxDocsPerSocket} documents open`);
  }

  // The room first, the read second. The other order loses operations:
  // 1. the text is read at version 6;
  // 2. operation 7 is sequenced and emitted to the room;
  // 3. the socket joins the room, and never hears of 7 until 8 reveals the gap.
  // In this order, an operation sequenced during the read is both in the text (or catch-up)
  // and delivered to the room; the client drops the copy whose version it already has.
  await socket.join(room);
  let result: JoinResult;
  try {
    result = v === undefined ? await ctx.texts.head(doc) : await catchUp(ctx, doc, v);
  } catch (error) {
    if (!alreadyJoined) await socket.leave(room);
    throw error;
  }

  // The acknowledgement goes out from a microtask once this returns; the cursors follow it,
  // so that the client has the document before it places anyone's cursor in it.
  if (!alreadyJoined) setImmediate(() => void sendPresence(ctx, socket, doc));
  return result;
}

/** Every operation after version `v`, up to the head. */
async function catchUp(ctx: GatewayContext, doc: string, v: number): Promise<JoinResult> {
  const ops = await opsAfter(ctx.events, doc, v, ctx.limits.maxOpsPerRead);
  return { v: ops.at(-1)?.v ?? v, ops: ops.map(toWireOp) };
}

/** The cursors already in the document, sent after the join's acknowledgement. */
async function sendPresence(ctx: GatewayContext, socket: GatewaySocket, doc: string) {
  const users = (await ctx.presence.snapshot(doc)).filter((entry) => entry.id !== socket.id);
  if (users.length > 0 && socket.connected) socket.emit('presence', { doc, users });
}

function joinedDocs(socket: GatewaySocket): number {
  let count = 0;
  for (const room of socket.rooms) if (room.startsWith('doc:')) count++;
  return count;
}
