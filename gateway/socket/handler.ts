/**
 * The one way a socket event is handled: the payload is validated, the work runs, and the
 * acknowledgement is always `{ok: true, ...}` or `{ok: false, error}`. Nothing a client sends
 * can make a handler throw: a missing or non-function ack, a payload that is not an object,
 * a failing store — each ends in a reply (or in silence when there is no ack to reply to).
 */
import type { z } from 'zod';
import { ProtocolError, badRequest } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import type { Ack, ClientToServerEvents } from '../client/protocol.ts';
import { parseWith } from '../validation.ts';
import type { GatewaySocket } from './context.ts';

export type EventWork<T> = (payload: T) => Promise<object>;

/**
 * Registers `work` for `event` on `socket`, behind validation with `schema`.
 *
 * @example
 * onEvent(socket, logger, 'doc:leave', leaveSchema, (payload) => leave(ctx, socket, session, payload));
 */
export function onEvent<S extends z.ZodType>(
  socket: GatewaySocket,
  logger: Logger,
  event: keyof ClientToServerEvents,
  schema: S,
  work: EventWork<z.infer<S>>,
): void {
  // The listener takes its arguments as unknown: whatever the client sent is validated here.
  const listener = (...args: unknown[]) => {
    const ack = typeof args.at(-1) === 'function' ? (args.pop() as (reply: Ack) => void) : null;
    void respond(socket, logger, event, () => work(parsePayload(schema, args[0])), ack);
  };
  socket.on(event, listener as ClientToServerEvents[typeof event]);
}

async function respond(
  socket: GatewaySocket,
  logger: Logger,
  event: string,
  run: () => Promise<object>,
  ack: ((reply: Ack) => void) | null,
): Promise<void> {
  let reply: Ack;
  try {
    reply = { ok: true, ...(await run()) };
  } catch (error) {
    if (!(error instanceof ProtocolError)) {
      logger.error({ err: error, event, user: socket.data.user }, 'socket event failed');
    }
    reply = { ok: false, error: ProtocolError.from(error).toWire() };
  }
  if (!ack) return;
  try {
    ack(reply);
  } catch (error) {
    // A broken acknowledgement cannot be answered; the socket itself stays up.
    logger.warn({ err: error, event, user: socket.data.user }, 'acknowledgement failed');
  }
}

/** Parses a payload or throws BAD_REQUEST naming the first problems. */
export function parsePayload<S extends z.ZodType>(schema: S, payload: unknown): z.infer<S> {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw badRequest('the payload must be an object');
  }
  return parseWith(schema, payload);
}
