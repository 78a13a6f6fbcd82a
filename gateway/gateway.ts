/**
 * A gateway: one HTTP server with Socket.IO on the same port. It authenticates users, checks
 * their roles, serves joins and catch-up, writes submissions to `ops.submit`, fans sequenced
 * operations out to document rooms, and relays presence.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { Server } from 'socket.io';
import type { Config } from '../common/config.ts';
import { createLogger, type Logger } from '../common/logger.ts';
import { TOPICS } from '../common/protocol.ts';
import type { EventStore } from '../engine/ports/event-store.ts';
import type { HistoryReads } from '../projector/reads/history-reads.ts';
import type { Log, LogConsumer } from '../engine/ports/log.ts';
import { TokenService } from './auth/tokens.ts';
import { DocAccess } from './docs/access.ts';
import type { DocsStore } from './docs/docs-store.ts';
import { startFanout } from './fanout/fanout.ts';
import { createHttpApp, registerRoutes } from './http/app.ts';
import { gatewayLimits, type GatewayLimits } from './limits.ts';
import { GatewayMetrics } from './metrics.ts';
import { PresenceHub } from './presence/presence-hub.ts';
import { Readiness } from './readiness.ts';
import { DocumentTexts } from './reads/document-text.ts';
import { connectRoomAdapter, type RoomAdapter } from './room-adapter.ts';
import { AccessChanges } from './socket/access-changes.ts';
import { authenticateSockets, serveConnection } from './socket/connection.ts';
import type { GatewayContext, GatewayServer } from './socket/context.ts';
import { RateLimits } from './socket/rate-limits.ts';
import { SubmitClock } from './submit-clock.ts';

export interface GatewayDeps {
  config: Config;
  log: Log;
  events: EventStore;
  docs: DocsStore;
  /** Redis for the room adapter; without it, Socket.IO's in-memory adapter (one process). */
  redisUrl?: string;
  /**
   * The projector's reads: texts from snapshots and the list of revisions. Without them texts
   * are replayed from the event store and `GET …/history` lists nothing.
   */
  history?: HistoryReads;
  logger?: Logger;
  limits?: Partial<GatewayLimits>;
  /** The fan-out consumer group; every gateway of one deployment must share it. */
  fanoutGroup?: string;
  /** The prefix of the adapter's Redis channels; every gateway of one deployment shares it. */
  channelPrefix?: string;
  /** Serve the web editor (`web/`) at `/`; true by default. It is built on the first request. */
  webApp?: boolean;
}

export interface Gateway {
  /**
   * Connects the log, the stores and the adapter, then listens. Resolves with the address
   * once the gateway is ready to serve.
   *
   * @example
   * const gateway = createGateway({ config, log, events, docs, redisUrl: config.REDIS_URL });
   * const url = await gateway.start(8080); // 'http://127.0.0.1:8080'
   */
  start(port?: number, host?: string): Promise<string>;

  /**
   * Stops fan-out, disconnects every socket and closes the server and the adapter. The log
   * and the stores belong to the caller and stay open.
   *
   * @example
   * await gateway.stop();
   */
  stop(): Promise<void>;

  /** The base URL clients use, e.g. `http://127.0.0.1:8080`; empty before `start`. */
  readonly address: string;
}

/**
 * Builds a gateway from its collaborators; nothing connects before `start`.
 *
 * @example
 * const gateway = createGateway({ config, log, events, docs }); // embedded: in-memory adapter
 * await gateway.start(0);
 */
export function createGateway(deps: GatewayDeps): Gateway {
  const logger = deps.logger ?? createLogger('gateway');
  const limits = gatewayLimits(deps.config, deps.limits);
  const readiness = new Readiness();
  let running: RunningGateway | null = null;
  let address = '';

  return {
    get address() {
      return address;
    },
    async start(port = deps.config.PORT, host = '0.0.0.0') {
      if (running) throw new Error('the gateway is already started');
      running = await startGateway(deps, logger, limits, readiness);
      try {
        await running.http.listen({ port, host });
      } catch (error) {
        await running.close();
        running = null;
        throw error;
      }
      address = `http://127.0.0.1:${(running.http.server.address() as AddressInfo).port}`;
      logger.info({ address, clustered: deps.redisUrl !== undefined }, 'gateway started');
      return address;
    },
    async stop() {
      const stopping = running;
      running = null;
      address = '';
      await stopping?.close();
      if (stopping) logger.info('gateway stopped');
    },
  };
}

interface RunningGateway {
  http: FastifyInstance;
  close(): Promise<void>;
}

async function startGateway(
  deps: GatewayDeps,
  logger: Logger,
  limits: GatewayLimits,
  readiness: Readiness,
): Promise<RunningGateway> {
  const ready = { log: false, events: false, docs: false };
  for (const part of Object.keys(ready) as (keyof typeof ready)[]) {
    readiness.track(part, () => ready[part]);
  }
  await Promise.all([
    deps.log.init([TOPICS.submit, TOPICS.sequenced]).then(() => (ready.log = true)),
    deps.events.init().then(() => (ready.events = true)),
    deps.docs.init().then(() => (ready.docs = true)),
  ]);
  const rooms = await connectRoomAdapter(deps.redisUrl, deps.channelPrefix ?? 'collab', logger);
  readiness.track('redis', rooms.isReady);

  const parts = assemble(deps, logger, limits, readiness, rooms);
  let fanout: LogConsumer;
  try {
    fanout = await startFanout({ ...parts.ctx, groupId: deps.fanoutGroup ?? 'gateways' });
  } catch (error) {
    await closeParts(parts, rooms);
    throw error;
  }

  return {
    http: parts.http,
    async close() {
      await fanout.stop();
      await closeParts(parts, rooms);
    },
  };
}

/** Builds the HTTP app, the Socket.IO server on its port, and what they share. */
function assemble(
  deps: GatewayDeps,
  logger: Logger,
  limits: GatewayLimits,
  readiness: Readiness,
  rooms: RoomAdapter,
) {
  const tokens = new TokenService(deps.config.JWT_SECRET);
  const access = new DocAccess(deps.docs, limits.accessCacheMs);
  const texts = new DocumentTexts(deps.events, logger, limits.textCacheBytes, deps.history);

  const http = createHttpApp(logger);
  const io: GatewayServer = new Server(http.server, {
    adapter: rooms.adapter,
    maxHttpBufferSize: limits.maxMessageBytes,
    cors: { origin: '*' },
  });
  const metrics = new GatewayMetrics(() => io.of('/').sockets.size);
  const presence = new PresenceHub(io, logger, limits.presenceTickMs, rooms.clustered);
  const accessChanges = new AccessChanges(io, access, presence, rooms.clustered, logger);

  const ctx: GatewayContext = {
    io,
    log: deps.log,
    events: deps.events,
    access,
    texts,
    presence,
    rateLimits: new RateLimits(limits),
    limits,
    metrics,
    submitClock: new SubmitClock(),
    logger,
  };
  authenticateSockets(io, tokens);
  io.on('connection', (socket) => serveConnection(ctx, socket));

  registerRoutes(http, {
    tokens,
    devAuth: deps.config.AUTH_DEV === '1',
    webApp: deps.webApp ?? true,
    readiness,
    metrics,
    docs: deps.docs,
    access,
    accessChanges,
    events: deps.events,
    texts,
    history: deps.history,
    limits,
  });
  return { ctx, http };
}

async function closeParts(
  parts: { ctx: GatewayContext; http: FastifyInstance },
  rooms: RoomAdapter,
): Promise<void> {
  // This gateway's sockets go first, so that the last presence tick tells the people on the
  // other gateways that their cursors are gone. Then Socket.IO closes the shared HTTP server.
  parts.ctx.io.local.disconnectSockets(true);
  parts.ctx.presence.stop();
  await new Promise<void>((resolve) => parts.ctx.io.close(() => resolve()));
  await parts.http.close();
  await rooms.close();
}
