/**
 * The two wirings the gateway protocol tests run against:
 *
 * - distributed: Kafka, the MongoDB-compatible store and Redis, with two gateways in this
 *   process sharing one fan-out group and one adapter, as two gateway processes would;
 * - embedded: the in-process log, SQLite and Socket.IO's in-memory adapter, one gateway.
 *
 * Every wiring gets topics, a database, a consumer group and Redis channels of its own.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { loadConfig, type Config } from '../../common/config.ts';
import { createLogger } from '../../common/logger.ts';
import { TOPICS } from '../../common/protocol.ts';
import { KafkaLog } from '../../engine/log/kafka-log.ts';
import { MemoryLog } from '../../engine/log/memory-log.ts';
import { NamespacedLog } from '../../engine/log/namespaced-log.ts';
import type { EventStore } from '../../engine/ports/event-store.ts';
import type { Log } from '../../engine/ports/log.ts';
import { Sequencer } from '../../engine/sequencer/sequencer.ts';
import {
  startSequencerService,
  type SequencerService,
} from '../../engine/service/sequencer-service.ts';
import { StoreHistory } from '../../engine/service/store-history.ts';
import { MongoEventStore } from '../../engine/store/mongo-event-store.ts';
import { SqliteEventStore } from '../../engine/store/sqlite-event-store.ts';
import { MongoDocsStore } from '../../gateway/docs/mongo-docs-store.ts';
import { SqliteDocsStore } from '../../gateway/docs/sqlite-docs-store.ts';
import type { DocsStore } from '../../gateway/docs/docs-store.ts';
import type { ProjectionStore } from '../../projector/ports/projection-store.ts';
import { HistoryReads } from '../../projector/reads/history-reads.ts';
import { startProjector } from '../../projector/service/start-projector.ts';
import { MongoProjectionStore } from '../../projector/store/mongo-projection-store.ts';
import { SqliteProjectionStore } from '../../projector/store/sqlite-projection-store.ts';
import { createGateway, type Gateway } from '../../gateway/gateway.ts';
import type { GatewayLimits } from '../../gateway/limits.ts';
import { kafkaBrokers, services, uniqueName } from '../services.ts';

export type WiringName = 'distributed' | 'embedded';

export const WIRINGS: WiringName[] = ['distributed', 'embedded'];

export interface Wiring {
  name: WiringName;
  config: Config;
  /** Gateway base URLs; clients of a test spread over them. */
  urls: string[];
  /** The log the gateways write to, for a sequencer to read. */
  log: Log;
  events: EventStore;
  docs: DocsStore;
  stop(): Promise<void>;
}

export interface WiringOptions {
  limits?: Partial<GatewayLimits>;
  /** Environment variables on top of the test defaults, e.g. `{ AUTH_DEV: '0' }`. */
  env?: Record<string, string>;
  /** Runs the sequencer service too, with a log and a store handle of its own. */
  sequencer?: boolean;
  /** Runs the projector too, and gives the gateways its reads (snapshots, revisions). */
  projector?: boolean;
}

export const logger = createLogger('gateway-test', process.env.TEST_LOG_LEVEL ?? 'silent');

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    ...services,
    AUTH_DEV: '1',
    JWT_SECRET: 'gateway-tests-secret-0123456789',
    KAFKA_PARTITIONS: '3',
    LOG_LEVEL: 'silent',
    ...env,
  });
}

export function startWiring(name: WiringName, options: WiringOptions = {}): Promise<Wiring> {
  return name === 'distributed' ? startDistributed(options) : startEmbedded(options);
}

async function startDistributed(options: WiringOptions): Promise<Wiring> {
  const config = testConfig(options.env);
  const namespace = uniqueName('gw');
  const client = await MongoClient.connect(config.MONGO_URL);
  const db = client.db(namespace);
  const events = new MongoEventStore(db, { logger });
  const docs = new MongoDocsStore({ url: config.MONGO_URL, dbName: namespace });
  const kafkaLog = () =>
    new NamespacedLog(new KafkaLog({ brokers: kafkaBrokers, partitions: 3, logger }), namespace);
  const logs = [kafkaLog(), kafkaLog()];
  const projections = options.projector ? new MongoProjectionStore(db, { logger }) : null;
  const history = projections ? await historyReads(events, projections) : undefined;

  const gateways = logs.map((log) =>
    createGateway({
      config,
      log,
      events,
      docs,
      redisUrl: config.REDIS_URL,
      history,
      logger,
      limits: options.limits,
      fanoutGroup: `${namespace}-gateways`,
      channelPrefix: namespace,
    }),
  );
  const urls = await Promise.all(gateways.map((gateway) => gateway.start(0, '127.0.0.1')));
  const sequencerLog = kafkaLog();
  const sequencer = options.sequencer
    ? await startSequencer(sequencerLog, new MongoEventStore(db, { logger }), config)
    : null;
  const projectorLog = kafkaLog();
  const projector = projections
    ? await startProjector({ log: projectorLog, events, store: projections, logger })
    : null;

  return {
    name: 'distributed',
    config,
    urls,
    log: logs[0]!,
    events,
    docs,
    async stop() {
      await sequencer?.stop();
      await projector?.stop();
      await stopAll(gateways);
      await Promise.all([...logs, sequencerLog, projectorLog].map((log) => log.close()));
      await deleteTopics(logs[0]!.topics([TOPICS.submit, TOPICS.sequenced]));
      await docs.close();
      await db.dropDatabase();
      await client.close();
    },
  };
}

async function startEmbedded(options: WiringOptions): Promise<Wiring> {
  const config = testConfig(options.env);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-embedded-'));
  const log = new MemoryLog({ partitions: 3, logger });
  const events = new SqliteEventStore(dir, { logger });
  const docsFile = path.join(dir, 'docs.sqlite');
  const docs = new SqliteDocsStore(docsFile);
  await docs.init();
  const projections = options.projector
    ? new SqliteProjectionStore(path.join(dir, 'projections.sqlite'), { docsFile, logger })
    : null;
  const history = projections ? await historyReads(events, projections) : undefined;
  const gateway = createGateway({
    config,
    log,
    events,
    docs,
    history,
    logger,
    limits: options.limits,
  });
  const url = await gateway.start(0, '127.0.0.1');
  const sequencer = options.sequencer ? await startSequencer(log, events, config) : null;
  const projector = projections
    ? await startProjector({ log, events, store: projections, logger })
    : null;

  return {
    name: 'embedded',
    config,
    urls: [url],
    log,
    events,
    docs,
    async stop() {
      await sequencer?.stop();
      await projector?.stop();
      await stopAll([gateway]);
      await log.close();
      await events.close();
      await projections?.close();
      await docs.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The projector's reads over its store, as `gateway/main.ts` wires them. */
async function historyReads(
  events: EventStore,
  projections: ProjectionStore,
): Promise<HistoryReads> {
  await events.init();
  await projections.init();
  return new HistoryReads({ events, projections, logger });
}

/** The sequencer as `npm run engine` runs it, on the given log and store. */
async function startSequencer(
  log: Log,
  store: EventStore,
  config: Config,
): Promise<SequencerService> {
  await store.init();
  const core = new Sequencer(new StoreHistory(store), {
    maxVersionLag: config.MAX_VERSION_LAG,
    opWindow: config.OP_WINDOW,
    maxOpInsertBytes: config.MAX_OP_INSERT_BYTES,
    maxDocBytes: config.MAX_DOC_BYTES,
  });
  return startSequencerService({ log, store, core, logger });
}

async function stopAll(gateways: Gateway[]): Promise<void> {
  await Promise.all(gateways.map((gateway) => gateway.stop()));
}

async function deleteTopics(topics: string[]): Promise<void> {
  const admin = new Kafka({ brokers: kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}
