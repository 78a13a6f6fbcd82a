/**
 * The projector on the real Kafka and MongoDB-compatible server, as its own process, killed
 * in the middle of writing a batch and started again: what it stores in the end must be
 * exactly what an uninterrupted run stores.
 */
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../common/logger.ts';
import type { SequencedMessage, SequencedOp } from '../../common/protocol.ts';
import { KafkaLog } from '../../engine/log/kafka-log.ts';
import { MongoEventStore } from '../../engine/store/mongo-event-store.ts';
import { MongoProjectionStore } from '../../projector/store/mongo-projection-store.ts';
import { testDocId } from '../../projector/testing/commits.ts';
import { projectionRecords } from '../../projector/testing/projection-records.ts';
import { kafkaBrokers, services, uniqueName } from '../services.ts';
import { killChild, startChild, until, type Child } from './fixtures/child.ts';
import { historyOf } from './fixtures/histories.ts';
import { deleteTopics } from './fixtures/topics.ts';

const logger = createLogger('test', 'silent');
const topic = uniqueName('sequenced');
const crashedDb = uniqueName('projector_crashed');
const cleanDb = uniqueName('projector_clean');
const client = new MongoClient(services.MONGO_URL);
const log = new KafkaLog({ brokers: kafkaBrokers, partitions: 3, logger });
const docs: string[] = [];
let histories: SequencedOp[][] = [];
const children: Child[] = [];

const policyEnv = { SNAPSHOT_EVERY: '50', SNAPSHOT_SECONDS: '20', REVISION_PAUSE_SECONDS: '300' };

beforeAll(async () => {
  await client.connect();
  await log.init([topic]);
  docs.push(...oneDocumentPerPartition());
  histories = docs.map((doc, i) => historyOf(doc, 600 + 150 * i));
  for (const db of [crashedDb, cleanDb]) {
    const events = new MongoEventStore(client.db(db), { logger });
    await events.init();
    await events.append(histories.flat());
  }
  // Interleaved across documents, the way a busy sequencer publishes.
  const messages = interleave(histories).map((op): SequencedMessage => ({ type: 'op', ...op }));
  for (let i = 0; i < messages.length; i += 200) {
    const chunk = messages.slice(i, i + 200);
    await log.produce(
      topic,
      chunk.map((m) => ({ key: m.doc, value: JSON.stringify(m) })),
    );
  }
});

afterAll(async () => {
  await Promise.all(children.map(killChild));
  await log.close();
  await deleteTopics([topic]);
  for (const db of [crashedDb, cleanDb]) await client.db(db).dropDatabase();
  await client.close();
});

function projector(db: string, group: string, crashAtCommit = 0): Child {
  const child = startChild('test/projector/fixtures/projector-process.ts', {
    ...policyEnv,
    MONGO_URL: services.MONGO_URL,
    MONGO_DB: db,
    KAFKA_BROKERS: services.KAFKA_BROKERS,
    TOPIC: topic,
    GROUP: group,
    CRASH_AT_COMMIT: String(crashAtCommit),
    LOG_LEVEL: 'warn',
  });
  children.push(child);
  return child;
}

async function heads(db: string): Promise<number[]> {
  const store = new MongoProjectionStore(client.db(db), { logger, generationTtlMs: 0 });
  return Promise.all(docs.map(async (doc) => (await store.state(doc))?.head ?? 0));
}

const complete = (db: string) => async () =>
  (await heads(db)).every((head, i) => head === histories[i]!.length);

describe('the projector killed mid-batch', () => {
  it('stores, once restarted, exactly what an uninterrupted run stores', async () => {
    const group = uniqueName('projector');
    const crashed = projector(crashedDb, group, 2);
    expect(await crashed.exited, crashed.stderr()).toBe('SIGKILL');
    const afterCrash = await heads(crashedDb);
    // One batch was written completely before the crash, and the stream was not finished.
    expect(afterCrash.some((head) => head > 0)).toBe(true);
    expect(afterCrash.some((head, i) => head < histories[i]!.length)).toBe(true);

    const restarted = projector(crashedDb, group);
    const clean = projector(cleanDb, uniqueName('projector'));
    await until(complete(crashedDb), 'the restarted projector to catch up', 90_000);
    await until(complete(cleanDb), 'the uninterrupted projector to finish', 90_000);
    await Promise.all([killChild(restarted), killChild(clean)]);

    const crashedStore = new MongoProjectionStore(client.db(crashedDb), { logger });
    const cleanStore = new MongoProjectionStore(client.db(cleanDb), { logger });
    for (const doc of docs) {
      const records = await projectionRecords(crashedStore, doc);
      expect(records).toEqual(await projectionRecords(cleanStore, doc));
      expect(records.snapshots.length).toBeGreaterThan(5);
      expect(records.state!.closedRevisions).toBe(2);
    }
  }, 240_000);
});

/**
 * Documents whose operations land in three different partitions, so that their batches are
 * separate commits: the crash at the second commit comes after a first one that completed.
 */
function oneDocumentPerPartition(): string[] {
  const byPartition = new Map<number, string>();
  while (byPartition.size < 3) {
    const doc = testDocId('crash');
    const partition = log.partitionOf(topic, doc);
    if (!byPartition.has(partition)) byPartition.set(partition, doc);
  }
  return [...byPartition.values()];
}

function interleave(lists: SequencedOp[][]): SequencedOp[] {
  const out: SequencedOp[] = [];
  const longest = Math.max(...lists.map((l) => l.length));
  for (let i = 0; i < longest; i++) for (const list of lists) if (list[i]) out.push(list[i]!);
  return out;
}
