/**
 * A gateway as its own OS process (`gateway/main.ts`), for tests and benchmarks that kill it
 * with SIGKILL or measure it from outside. It shares the engine's namespace: the same topic
 * prefix, database and Redis channel prefix, which `dropNamespace` clears afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { REPO_ROOT } from '../../common/config.ts';
import { freePort } from '../../engine/service/testing/engine-process.ts';
import { kafkaBrokers, services } from '../services.ts';

export interface GatewayProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface GatewayProcessOptions {
  /** KAFKA_TOPIC_PREFIX and MONGO_DB, as given to `spawnEngine`. */
  namespace: string;
  partitions: number;
  jwtSecret: string;
  /** Further environment variables, e.g. `{ LOG_LEVEL: 'info' }`. */
  env?: Record<string, string>;
}

/**
 * Starts `gateway/main.ts` on a free loopback port with dev auth on, and resolves once it
 * answers `GET /readyz`.
 *
 * @example
 * const gateway = await spawnGateway({ namespace, partitions: 3, jwtSecret });
 * await gateway.kill('SIGKILL');
 */
export async function spawnGateway(options: GatewayProcessOptions): Promise<GatewayProcess> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(REPO_ROOT, 'gateway', 'main.ts')],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        ...services,
        PORT: String(port),
        HOST: '127.0.0.1',
        KAFKA_TOPIC_PREFIX: options.namespace,
        MONGO_DB: options.namespace,
        KAFKA_PARTITIONS: String(options.partitions),
        AUTH_DEV: '1',
        JWT_SECRET: options.jwtSecret,
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const gateway: GatewayProcess = {
    child,
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill(signal);
      await exited;
    },
  };
  try {
    await waitForReady(gateway);
  } catch (error) {
    await gateway.kill('SIGKILL');
    throw error;
  }
  return gateway;
}

async function waitForReady(gateway: GatewayProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (gateway.child.exitCode !== null) {
      throw new Error(`gateway exited during start-up:\n${gateway.output()}`);
    }
    const ready = await fetch(`${gateway.url}/readyz`)
      .then((response) => response.ok)
      .catch(() => false);
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`gateway not ready within 60 s:\n${gateway.output()}`);
}

/**
 * Deletes what processes sharing a namespace leave behind: its topics and its database.
 *
 * @example
 * await dropNamespace(namespace);
 */
export async function dropNamespace(namespace: string): Promise<void> {
  const admin = new Kafka({ brokers: kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(namespace));
    if (topics.length > 0) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
  const client = await MongoClient.connect(services.MONGO_URL);
  try {
    await client.db(namespace).dropDatabase();
  } finally {
    await client.close();
  }
}
