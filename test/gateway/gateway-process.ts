/**
 * A gateway as its own OS process (`gateway/main.ts`), for tests and benchmarks that kill it
 * with SIGKILL or measure it from outside. It shares the engine's namespace: the same topic
 * prefix, database and Redis channel prefix, which `dropNamespace` clears afterwards.
 */
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { freePort, spawnService, type ServiceProcess } from '../service-process.ts';
import { kafkaBrokers, services } from '../services.ts';

export interface GatewayProcess extends ServiceProcess {
  url: string;
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
  const url = `http://127.0.0.1:${port}`;
  const service = await spawnService(
    'gateway/main.ts',
    {
      PORT: String(port),
      HOST: '127.0.0.1',
      KAFKA_TOPIC_PREFIX: options.namespace,
      MONGO_DB: options.namespace,
      KAFKA_PARTITIONS: String(options.partitions),
      AUTH_DEV: '1',
      JWT_SECRET: options.jwtSecret,
      ...options.env,
    },
    `${url}/readyz`,
  );
  return { ...service, url };
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
