/**
 * A connection's life: authenticated in the handshake, its events routed to their handlers,
 * its cursors removed when it goes.
 */
import { ProtocolError, badRequest } from '../../common/errors.ts';
import type { TokenService } from '../auth/tokens.ts';
import type { Ack } from '../client/protocol.ts';
import type { GatewayContext, GatewayServer, GatewaySocket } from './context.ts';
import { onEvent } from './handler.ts';
import { join } from './join.ts';
import { leave } from './leave.ts';
import { setPresence } from './presence-set.ts';
import { joinSchema, leaveSchema, opSchema, presenceSchema } from './schemas.ts';
import { Session } from './session.ts';
import { submit } from './submit.ts';

const EVENTS = new Set(['doc:join', 'doc:leave', 'doc:op', 'presence:set']);

/**
 * Refuses a handshake without a valid token. The error's `data` carries the protocol error,
 * which the client sees as `connect_error`'s `err.data`.
 */
export function authenticateSockets(io: GatewayServer, tokens: TokenService): void {
  io.use((socket, next) => {
    const auth: unknown = socket.handshake.auth;
    const token =
      typeof auth === 'object' && auth !== null ? (auth as { token?: unknown }).token : null;
    tokens.verify(token).then(
      (identity) => {
        socket.data.user = identity.user;
        socket.data.name = identity.name;
        next();
      },
      (error: unknown) => {
        const refusal = ProtocolError.from(error);
        next(Object.assign(new Error(refusal.message), { data: refusal.toWire() }));
      },
    );
  });
}

/** Wires every client event of a new socket to its handler. */
export function serveConnection(ctx: GatewayContext, socket: GatewaySocket): void {
  const session = new Session();
  const { logger } = ctx;

  onEvent(socket, logger, 'doc:join', joinSchema, (p) => join(ctx, socket, p));
  onEvent(socket, logger, 'doc:leave', leaveSchema, (p) => leave(ctx, socket, session, p));
  onEvent(socket, logger, 'doc:op', opSchema, (p) => submit(ctx, socket, session, p));
  onEvent(socket, logger, 'presence:set', presenceSchema, (p) => setPresence(ctx, socket, p));
  socket.onAny((event: unknown, ...args: unknown[]) => refuseUnknownEvent(event, args));

  logger.debug({ user: socket.data.user, socket: socket.id }, 'socket connected');
  socket.on('disconnect', (reason) => {
    ctx.presence.removeAll(socket);
    logger.debug({ user: socket.data.user, socket: socket.id, reason }, 'socket disconnected');
  });
}

/** An event the protocol does not have is answered, if it can be, rather than ignored. */
function refuseUnknownEvent(event: unknown, args: unknown[]): void {
  if (typeof event === 'string' && EVENTS.has(event)) return;
  const ack = args.at(-1);
  if (typeof ack !== 'function') return;
  const reply: Ack = { ok: false, error: badRequest(`unknown event ${String(event)}`).toWire() };
  try {
    (ack as (reply: Ack) => void)(reply);
  } catch {
    // Nothing more can be told to a client whose acknowledgement fails.
  }
}
