/**
 * Requests to the gateway: an event with an acknowledgement, answered `{ok: true, ...}` or
 * `{ok: false, error}`. A request is never sent while disconnected — Socket.IO would buffer
 * it and send it after the reconnect, next to the SDK's own resubmission.
 */
import type { Socket } from 'socket.io-client';
import { CollabError } from './errors.ts';
import type { Ack, ClientToServerEvents, ServerToClientEvents } from './protocol.ts';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

type RequestEvent = keyof ClientToServerEvents;
type RequestPayload<E extends RequestEvent> = Parameters<ClientToServerEvents[E]>[0];
type ReplyOf<E extends RequestEvent> =
  Parameters<Parameters<ClientToServerEvents[E]>[1]>[0] extends Ack<infer T> ? T : never;

/**
 * Sends `event` and resolves with the successful reply; rejects with a CollabError.
 *
 * @example
 * const { v, text } = await request(socket, 'doc:join', { doc: 'abc' });
 */
export async function request<E extends RequestEvent>(
  socket: ClientSocket,
  event: E,
  payload: RequestPayload<E>,
  timeoutMs?: number,
): Promise<ReplyOf<E>> {
  if (!socket.connected) throw new CollabError('UNAVAILABLE', 'not connected to the server');
  const sender = timeoutMs === undefined ? socket : socket.timeout(timeoutMs);
  let reply: Ack<ReplyOf<E>>;
  try {
    reply = await (sender.emitWithAck as (e: string, p: unknown) => Promise<Ack<ReplyOf<E>>>)(
      event,
      payload,
    );
  } catch (error) {
    throw CollabError.from(error);
  }
  if (!reply.ok) throw CollabError.fromWire(reply.error);
  return reply;
}
