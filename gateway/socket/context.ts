/**
 * What the socket handlers share: the typed Socket.IO server and socket, and the gateway's
 * collaborators, passed explicitly so that each handler can be read (and tested) on its own.
 */
import type { Server, Socket } from 'socket.io';
import type { Logger } from '../../common/logger.ts';
import type { EventStore } from '../../engine/ports/event-store.ts';
import type { Log } from '../../engine/ports/log.ts';
import type {
  ClientToServerEvents,
  PresenceEntry,
  ServerToClientEvents,
} from '../client/protocol.ts';
import type { DocAccess } from '../docs/access.ts';
import type { Role } from '../docs/roles.ts';
import type { GatewayLimits } from '../limits.ts';
import type { GatewayMetrics } from '../metrics.ts';
import type { PresenceHub } from '../presence/presence-hub.ts';
import type { DocumentTexts } from '../reads/document-text.ts';
import type { RateLimits } from './rate-limits.ts';
import type { SubmitClock } from '../submit-clock.ts';

/** Requests between gateways, carried by the adapter. */
export interface InterServerEvents {
  /** Each gateway answers with the visible cursors of its own sockets in the document. */
  'presence:snapshot': (doc: string, reply: (entries: PresenceEntry[]) => void) => void;
  /** A user's role on a document changed (`null`: taken away); each gateway confirms once applied. */
  'access:changed': (doc: string, user: string, role: Role | null, confirm: () => void) => void;
}

export interface SocketData {
  user: string;
  name: string;
}

export type GatewayServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;

export type GatewaySocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>;

export interface GatewayContext {
  io: GatewayServer;
  log: Log;
  events: EventStore;
  access: DocAccess;
  texts: DocumentTexts;
  presence: PresenceHub;
  rateLimits: RateLimits;
  limits: GatewayLimits;
  metrics: GatewayMetrics;
  submitClock: SubmitClock;
  logger: Logger;
}
