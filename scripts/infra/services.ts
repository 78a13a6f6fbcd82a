/**
 * The local infrastructure as one unit: Kafka, the MongoDB-compatible store and Redis.
 * `up` starts what is missing and reuses what already answers; `down` stops only what `up`
 * started, by pid. When KAFKA_BROKERS, MONGO_URL or REDIS_URL is set, that server is the
 * user's own and is never started or stopped here.
 *
 * `up` and `down` hold a lock file while they work, so that calls made at the same moment, by
 * test runs started side by side, take turns: otherwise two `up` could both find a server
 * missing and both start it, and the one that lost the race for the port would leave its pid
 * where `down` looks for the one that answers.
 */
import fs from 'node:fs';
import path from 'node:path';
import { KAFKA_VERSION, brokerList, kafkaAnswers, kafkaNodes, startKafka } from './kafka.ts';
import {
  FERRETDB_ADDRESS,
  FERRETDB_VERSION,
  mongoAnswers,
  mongoVersion,
  startFerretdb,
} from './ferretdb.ts';
import { withFileLock } from './file-lock.ts';
import { RUN_DIR, logFile, runningPid, stopStarted, waitUntil } from './process.ts';
import {
  REDIS_ADDRESS,
  redisAnswers,
  redisServerVersion,
  redisVersion,
  startRedis,
} from './redis.ts';

export interface ServiceUrls {
  KAFKA_BROKERS: string;
  MONGO_URL: string;
  REDIS_URL: string;
}

export interface ServiceStatus {
  name: string;
  address: string;
  version: string;
  pid: number | 'external' | 'not ours' | null;
  up: boolean;
}

export interface UpOptions {
  brokers?: number;
  env?: NodeJS.ProcessEnv;
}

const LOCAL_MONGO_URL = `mongodb://${FERRETDB_ADDRESS.host}:${FERRETDB_ADDRESS.port}/`;
const LOCAL_REDIS_URL = `redis://${REDIS_ADDRESS.host}:${REDIS_ADDRESS.port}`;

/** The addresses every process should use: the user's servers where given, else the local ones. */
export function serviceUrls(env: NodeJS.ProcessEnv = process.env, brokers = 1): ServiceUrls {
  return {
    KAFKA_BROKERS: env.KAFKA_BROKERS ?? brokerList(kafkaNodes(brokers)).join(','),
    MONGO_URL: env.MONGO_URL ?? LOCAL_MONGO_URL,
    REDIS_URL: env.REDIS_URL ?? LOCAL_REDIS_URL,
  };
}

/**
 * Brings every service up and returns the names of those this call started, so that a
 * caller such as the test setup can stop exactly those afterwards.
 */
export function servicesUp(options: UpOptions = {}): Promise<string[]> {
  return withServicesLock(() => bringUp(options));
}

async function bringUp(options: UpOptions): Promise<string[]> {
  const env = options.env ?? process.env;
  const urls = serviceUrls(env, options.brokers ?? 1);
  const started: string[] = [];

  // The three start in parallel: Kafka's JVM dominates, and the others are ready long before it.
  await Promise.all([
    upKafka(env, urls, options.brokers ?? 1, started),
    upOne('ferretdb', env.MONGO_URL, () => mongoAnswers(urls.MONGO_URL), startFerretdb, started),
    upOne('redis', env.REDIS_URL, () => redisAnswers(urls.REDIS_URL), startRedis, started),
  ]);
  return started;
}

async function upOne(
  name: string,
  externalUrl: string | undefined,
  answers: () => Promise<boolean>,
  start: () => Promise<number>,
  started: string[],
): Promise<void> {
  if (await answers()) return;
  if (externalUrl !== undefined) {
    throw new Error(
      `${name}: nothing answers at ${externalUrl} (set by the environment, so not started here)`,
    );
  }
  if (await startedEarlier([name], answers)) return;
  await start();
  started.push(name);
}

/**
 * A server that an earlier `up` started and that is still alive, but did not answer, is slow
 * (starting, or busy), not missing: it is waited for rather than started a second time.
 * Returns false when none of `names` is such a server.
 */
async function startedEarlier(names: string[], answers: () => Promise<boolean>): Promise<boolean> {
  const name = names.find((n) => runningPid(n) !== undefined);
  if (name === undefined) return false;
  const pid = runningPid(name)!;
  await waitUntil(`${name} (pid ${pid}, started earlier)`, answers, {
    timeoutMs: 60_000,
    logFile: logFile(name),
    pid,
  });
  return true;
}

async function upKafka(
  env: NodeJS.ProcessEnv,
  urls: ServiceUrls,
  brokers: number,
  started: string[],
) {
  const nodes = kafkaNodes(brokers);
  const list = urls.KAFKA_BROKERS.split(',');
  const answers = () => kafkaAnswers(list, env.KAFKA_BROKERS ? 1 : brokers);
  if (await answers()) return;
  if (env.KAFKA_BROKERS !== undefined) {
    throw new Error(
      `kafka: nothing answers at ${env.KAFKA_BROKERS} (set by the environment, so not started here)`,
    );
  }
  const other = kafkaNodes(brokers === 1 ? 3 : 1).find((n) => runningPid(n.name) !== undefined);
  if (other) {
    throw new Error(
      `kafka: a ${brokers === 1 ? 'three' : 'one'}-node cluster is running; run 'npm run services -- down' first`,
    );
  }
  if (
    await startedEarlier(
      nodes.map((n) => n.name),
      answers,
    )
  )
    return;
  await startKafka(nodes);
  started.push(...nodes.map((n) => n.name));
}

/** Stops the servers that `up` started (all of them, or only `names`), by pid. */
export function servicesDown(names?: string[]): Promise<string[]> {
  const all = [...kafkaNodes(1), ...kafkaNodes(3)].map((n) => n.name).concat('ferretdb', 'redis');
  return withServicesLock(async () => {
    const stopped: string[] = [];
    await Promise.all(
      (names ?? all).map(async (name) => {
        if ((await stopStarted(name)) !== undefined) stopped.push(name);
      }),
    );
    return stopped;
  });
}

/** The lock file that `up` and `down` hold; see the file comment. */
export const SERVICES_LOCK = path.join(RUN_DIR, 'services.lock');

function withServicesLock<T>(task: () => Promise<T>): Promise<T> {
  fs.mkdirSync(RUN_DIR, { recursive: true });
  return withFileLock(SERVICES_LOCK, task, {
    onWait: (pid) =>
      console.error(`services: waiting for pid ${pid}, which is starting or stopping them…`),
  });
}

export async function servicesStatus(
  env: NodeJS.ProcessEnv = process.env,
): Promise<ServiceStatus[]> {
  const threeNodes = kafkaNodes(3).some((n) => runningPid(n.name) !== undefined);
  const urls = serviceUrls(env, threeNodes ? 3 : 1);
  const kafkaRows = await Promise.all(
    (env.KAFKA_BROKERS ? [] : kafkaNodes(threeNodes ? 3 : 1)).map(async (node) => {
      const address = `${node.host}:${node.brokerPort}`;
      const up = await kafkaAnswers([address]);
      return row(node.name, address, `Apache Kafka ${KAFKA_VERSION} (KRaft)`, up, undefined);
    }),
  );
  if (env.KAFKA_BROKERS) {
    kafkaRows.push(
      row(
        'kafka',
        env.KAFKA_BROKERS,
        'Apache Kafka (external)',
        await kafkaAnswers(urls.KAFKA_BROKERS.split(',')),
        env.KAFKA_BROKERS,
      ),
    );
  }

  const mongoUp = await mongoAnswers(urls.MONGO_URL);
  const ours = `FerretDB ${FERRETDB_VERSION} (SQLite)`;
  const mongoVersionText = mongoUp ? await mongoVersion(urls.MONGO_URL) : undefined;
  const redisUp = await redisAnswers(urls.REDIS_URL);
  const redisVersionText = redisUp
    ? await redisVersion(urls.REDIS_URL)
    : await safeRedisServerVersion();

  return [
    ...kafkaRows,
    row(
      'ferretdb',
      urls.MONGO_URL,
      env.MONGO_URL
        ? (mongoVersionText ?? 'unknown')
        : [ours, mongoVersionText].filter(Boolean).join(', '),
      mongoUp,
      env.MONGO_URL,
    ),
    row('redis', urls.REDIS_URL, redisVersionText, redisUp, env.REDIS_URL),
  ];
}

function row(
  name: string,
  address: string,
  version: string,
  up: boolean,
  external: string | undefined,
): ServiceStatus {
  const pid = runningPid(name);
  return {
    name,
    address,
    version,
    up,
    pid: external !== undefined ? 'external' : (pid ?? (up ? 'not ours' : null)),
  };
}

async function safeRedisServerVersion(): Promise<string> {
  try {
    return await redisServerVersion();
  } catch {
    return 'Redis (not installed)';
  }
}

export function serviceLogs(names: string[], lines = 40): string {
  return names
    .filter((name) => fs.existsSync(logFile(name)))
    .map((name) => {
      const text = fs.readFileSync(logFile(name), 'utf8').trimEnd().split('\n').slice(-lines);
      return `== ${name} (${logFile(name)})\n${text.join('\n')}`;
    })
    .join('\n\n');
}
