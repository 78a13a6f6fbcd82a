/**
 * The Socket.IO adapter that carries room broadcasts between gateways: Redis sharded pub/sub
 * (Redis 7), one channel per document room, so a gateway receives a document's operations
 * only while it has sockets in that room. Without a Redis URL the gateway runs alone with
 * Socket.IO's in-memory adapter (the embedded mode).
 */
import { createShardedAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import type { Logger } from '../common/logger.ts';

export interface RoomAdapter {
  /** The adapter factory for the Socket.IO server, or undefined for the in-memory adapter. */
  adapter: ReturnType<typeof createShardedAdapter> | undefined;
  clustered: boolean;
  isReady(): boolean;
  close(): Promise<void>;
}

export async function connectRoomAdapter(
  redisUrl: string | undefined,
  channelPrefix: string,
  logger: Logger,
): Promise<RoomAdapter> {
  if (redisUrl === undefined) {
    return { adapter: undefined, clustered: false, isReady: () => true, close: async () => {} };
  }

  const pub = createClient({ url: redisUrl });
  const sub = pub.duplicate();
  for (const [role, client] of [
    ['publish', pub],
    ['subscribe', sub],
  ] as const) {
    // Without an error listener a lost connection would crash the process; the client
    // reconnects by itself, and readiness reports the outage meanwhile.
    client.on('error', (error: unknown) =>
      logger.warn({ err: error, role }, 'redis connection error'),
    );
  }
  await Promise.all([pub.connect(), sub.connect()]);

  return {
    adapter: createShardedAdapter(pub, sub, { channelPrefix, subscriptionMode: 'dynamic' }),
    clustered: true,
    isReady: () => pub.isReady && sub.isReady,
    async close() {
      await Promise.allSettled([pub.close(), sub.close()]);
    },
  };
}
