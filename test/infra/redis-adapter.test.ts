import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createShardedAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { services, uniqueName } from '../services.ts';

type RedisClient = ReturnType<typeof createClient>;

const cleanups: Array<() => Promise<unknown> | unknown> = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function startServer(channelPrefix: string): Promise<{ io: Server; url: string }> {
  const pub: RedisClient = createClient({ url: services.REDIS_URL });
  const sub: RedisClient = pub.duplicate();
  await Promise.all([pub.connect(), sub.connect()]);
  const http: HttpServer = createServer();
  const io = new Server(http, { adapter: createShardedAdapter(pub, sub, { channelPrefix }) });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    io.close();
    await Promise.all([pub.close(), sub.close()]);
  });
  return { io, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` };
}

function connectClient(url: string): Promise<Socket> {
  const socket = connect(url, { transports: ['websocket'], forceNew: true });
  cleanups.push(() => socket.close());
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

describe('Redis sharded pub/sub through @socket.io/redis-adapter (real Redis)', () => {
  it('delivers a room broadcast from one Socket.IO server to a client of another', async () => {
    const prefix = uniqueName('infra');
    const a = await startServer(prefix);
    const b = await startServer(prefix);
    b.io.on('connection', (socket) => void socket.join('doc:x'));
    const client = await connectClient(b.url);

    const received = new Promise<unknown>((resolve) => client.once('doc:ops', resolve));
    // Server A learns of B's member through the adapter, which proves the channel is live.
    await expect.poll(async () => (await a.io.in('doc:x').fetchSockets()).length).toBe(1);
    a.io.to('doc:x').emit('doc:ops', { doc: 'x', ops: [{ v: 1 }] });

    expect(await received).toEqual({ doc: 'x', ops: [{ v: 1 }] });
  });

  it('uses SSUBSCRIBE channels, so only servers with members of a room receive its messages', async () => {
    const prefix = uniqueName('infra');
    const a = await startServer(prefix);
    const b = await startServer(prefix);
    b.io.on('connection', (socket) => void socket.join('doc:y'));
    await connectClient(b.url);

    const probe: RedisClient = createClient({ url: services.REDIS_URL });
    await probe.connect();
    cleanups.push(() => probe.close());
    await expect
      .poll(
        async () =>
          (await probe.sendCommand(['PUBSUB', 'SHARDCHANNELS', `${prefix}*`])) as string[],
      )
      .toContain(`${prefix}#/#doc:y#`);
    expect(a.io.of('/').adapter.rooms.has('doc:y')).toBe(false);
  });
});
