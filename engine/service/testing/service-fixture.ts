/**
 * The sequencer service on the real Kafka and MongoDB-compatible store, with topics, consumer
 * groups and a database of the test's own, plus the two ends a test drives: a producer of
 * submissions and a reader of everything published on `ops.sequenced`.
 */
import { MongoClient, type Db } from 'mongodb';
import { expect } from 'vitest';
import { createLogger } from '../../../common/logger.ts';
import {
  TOPICS,
  type SequencedMessage,
  type SequencedOp,
  type Submission,
} from '../../../common/protocol.ts';
import { KafkaLog } from '../../log/kafka-log.ts';
import { NamespacedLog } from '../../log/namespaced-log.ts';
import type { EventStore } from '../../ports/event-store.ts';
import type { Log, LogConsumer } from '../../ports/log.ts';
import { Sequencer } from '../../sequencer/sequencer.ts';
import { CodePointRope } from '../../ot/code-point-rope.ts';
import { textType } from '../../ot/text-type.ts';
import { MongoEventStore } from '../../store/mongo-event-store.ts';
import { startSequencerService, type SequencerService } from '../sequencer-service.ts';
import { StoreHistory } from '../store-history.ts';
import { kafkaBrokers, services, uniqueName } from '../../../test/services.ts';

export const logger = createLogger('engine-test', process.env.TEST_LOG_LEVEL ?? 'silent');

export interface Namespace {
  name: string;
  client: MongoClient;
  db: Db;
  drop(): Promise<void>;
}

export async function createNamespace(): Promise<Namespace> {
  const name = uniqueName('eng');
  const client = await MongoClient.connect(services.MONGO_URL);
  const db = client.db(name);
  return {
    name,
    client,
    db,
    async drop() {
      await db.dropDatabase().catch(() => undefined);
      await client.close();
    },
  };
}

export function kafkaLog(namespace: string, partitions = 3): NamespacedLog {
  return new NamespacedLog(new KafkaLog({ brokers: kafkaBrokers, partitions, logger }), namespace);
}

export interface EngineInstance {
  log: Log;
  store: EventStore;
  service: SequencerService;
  stop(): Promise<void>;
}

/**
 * An engine as a process would run it: its own Kafka connections, store handle and core.
 * `wrap` lets a test put a faulty log or store in front of the real ones.
 */
export async function startEngine(
  ns: Namespace,
  options: {
    groupId?: string;
    /** The core's window of recent operations per document. */
    opWindow?: number;
    /** The namespace of the engine's topics; the database namespace by default. */
    topics?: string;
    wrapLog?: (log: Log) => Log;
    wrapStore?: (store: EventStore) => EventStore;
  } = {},
): Promise<EngineInstance> {
  const realLog = kafkaLog(options.topics ?? ns.name);
  const log = options.wrapLog?.(realLog) ?? realLog;
  const realStore = new MongoEventStore(ns.db, { logger });
  await realStore.init();
  const store = options.wrapStore?.(realStore) ?? realStore;
  const core = new Sequencer(new StoreHistory(store), { opWindow: options.opWindow ?? 4_000 });
  const service = await startSequencerService({
    log,
    store,
    core,
    logger,
    groupId: options.groupId ?? 'engine',
  });
  return {
    log,
    store,
    service,
    async stop() {
      await service.stop();
      await realLog.close();
    },
  };
}

/** Collects every message published on the namespace's `ops.sequenced`. */
export class SequencedReader {
  readonly messages: SequencedMessage[] = [];
  private consumer: LogConsumer | null = null;

  constructor(private readonly log: Log) {}

  async start(): Promise<this> {
    await this.log.init([TOPICS.submit, TOPICS.sequenced]);
    this.consumer = await this.log.consume({
      groupId: uniqueName('reader'),
      topics: [TOPICS.sequenced],
      fromBeginning: true,
      eachBatch: async (batch) => {
        for (const message of batch.messages)
          this.messages.push(JSON.parse(message.value) as SequencedMessage);
      },
    });
    return this;
  }

  ops(doc: string): SequencedOp[] {
    const ops: SequencedOp[] = [];
    for (const message of this.messages) {
      if (message.type === 'op' && message.doc === doc) {
        const { type: _type, ...op } = message;
        ops.push(op);
      }
    }
    return ops;
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
  }
}

export async function submit(log: Log, submissions: Submission[]): Promise<void> {
  await log.produce(
    TOPICS.submit,
    submissions.map((s) => ({ key: s.doc, value: JSON.stringify(s) })),
  );
}

/** Replays events in version order; throws on a gap. */
export function replay(events: SequencedOp[]): string {
  const rope = new CodePointRope();
  events.forEach((event, index) => {
    if (event.v !== index + 1) throw new Error(`version ${event.v} at position ${index + 1}`);
    textType.apply(rope, event.op);
  });
  return rope.toString();
}

/**
 * Submissions from `clients` clients, each typing `perClient` words at the start of the
 * document on base version 0, so every one but the first must be transformed.
 */
export function concurrentTyping(doc: string, clients: number, perClient: number): Submission[] {
  const submissions: Submission[] = [];
  for (let seq = 1; seq <= perClient; seq++) {
    for (let c = 0; c < clients; c++) {
      submissions.push({
        doc,
        v: 0,
        src: `client-${c}`,
        seq,
        op: [`c${c}s${seq} `],
        user: `user-${c}`,
      });
    }
  }
  return submissions;
}

/** Every (src, seq) of `submissions` stored exactly once, versions 1…n without a gap. */
export async function expectStoredExactlyOnce(
  store: EventStore,
  doc: string,
  submissions: Submission[],
) {
  const head = await store.head(doc);
  const events = await store.range(doc, 0, head);
  const keys = events.map((e) => `${e.src}/${e.seq}`);
  return {
    head,
    events,
    uniqueKeys: new Set(keys).size,
    missing: submissions.filter((s) => !keys.includes(`${s.src}/${s.seq}`)).length,
  };
}

export async function expectExactlyOnce(
  engineStore: EngineInstance['store'],
  doc: string,
  submissions: Submission[],
) {
  const stored = await expectStoredExactlyOnce(engineStore, doc, submissions);
  expect(stored.missing).toBe(0);
  expect(stored.head).toBe(submissions.length);
  expect(stored.uniqueKeys).toBe(submissions.length);
  return stored;
}

export async function expectExactlyOnceEventually(
  instance: EngineInstance,
  doc: string,
  submissions: Submission[],
) {
  await expect
    .poll(() => instance.store.head(doc), { timeout: 45_000, interval: 250 })
    .toBe(submissions.length);
  await expectExactlyOnce(instance.store, doc, submissions);
}

export function expectNoFork(messages: SequencedMessage[], doc: string): void {
  const byVersion = new Map<number, string>();
  for (const message of messages) {
    if (message.type !== 'op' || message.doc !== doc) continue;
    const identity = JSON.stringify([message.src, message.seq, message.op]);
    expect(byVersion.get(message.v) ?? identity, `version ${message.v}`).toBe(identity);
    byVersion.set(message.v, identity);
  }
}
