/** Redis 7 from Debian's `redis-server` package, on loopback, without persistence. */
import { createClient } from 'redis';
import { hasCommand, run, startDetached, waitUntil } from './process.ts';

export const REDIS_ADDRESS = { host: '127.0.0.1', port: 6379 };

/** Installs Debian's redis-server when it is missing and this process may use apt-get. */
export async function ensureRedisBinary(): Promise<string> {
  if (hasCommand('redis-server')) return 'redis-server';
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !hasCommand('apt-get')) {
    throw new Error(
      "redis: redis-server is not installed; install Debian's redis-server package (Redis 7)",
    );
  }
  console.error("redis: installing Debian's redis-server…");
  await run('apt-get', ['update', '-q']);
  await run('apt-get', ['install', '-y', '-q', 'redis-server']);
  return 'redis-server';
}

export async function redisServerVersion(): Promise<string> {
  const output = await run('redis-server', ['--version']);
  return `Redis ${/v=([\d.]+)/.exec(output)?.[1] ?? 'unknown'}`;
}

export async function startRedis(): Promise<number> {
  const binary = await ensureRedisBinary();
  const { host, port } = REDIS_ADDRESS;
  const { pid, logFile } = startDetached('redis', binary, [
    '--bind',
    host,
    '--port',
    String(port),
    '--save',
    '',
    '--appendonly',
    'no',
    '--protected-mode',
    'yes',
  ]);
  await waitUntil(`redis (${host}:${port})`, () => redisAnswers(`redis://${host}:${port}`), {
    timeoutMs: 15_000,
    logFile,
    pid,
  });
  return pid;
}

export async function redisAnswers(url: string): Promise<boolean> {
  const client = createClient({ url, socket: { connectTimeout: 1_000, reconnectStrategy: false } });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    await client.close().catch(() => undefined);
  }
}

export async function redisVersion(url: string): Promise<string> {
  const client = createClient({ url, socket: { connectTimeout: 2_000, reconnectStrategy: false } });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const info = await client.info('server');
    return `Redis ${/redis_version:([\d.]+)/.exec(info)?.[1] ?? 'unknown'}`;
  } finally {
    await client.close().catch(() => undefined);
  }
}
