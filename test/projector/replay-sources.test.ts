/**
 * The replay tool's other sources: `ops.sequenced` on the real Kafka (`--from-kafka`), and
 * the embedded mode's SQLite files (`--embedded`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../common/logger.ts';
import type { SequencedMessage, SequencedOp } from '../../common/protocol.ts';
import { KafkaLog } from '../../engine/log/kafka-log.ts';
import { MongoEventStore } from '../../engine/store/mongo-event-store.ts';
import { SqliteEventStore } from '../../engine/store/sqlite-event-store.ts';
import { policyFromEnv, policyKey } from '../../projector/config.ts';
import { projectDocument } from '../../projector/rebuild/project-document.ts';
import { SqliteProjectionStore } from '../../projector/store/sqlite-projection-store.ts';
import { testDocId } from '../../projector/testing/commits.ts';
import type { RebuildSummary } from '../../scripts/replay/rebuild.ts';
import type { VerifySummary } from '../../scripts/replay/verify.ts';
import { kafkaBrokers, services, uniqueName } from '../services.ts';
import { historyOf } from './fixtures/histories.ts';
import { runReplay } from './fixtures/run-replay.ts';
import { deleteTopics } from './fixtures/topics.ts';

const logger = createLogger('test', 'silent');
const client = new MongoClient(services.MONGO_URL);
const databases: string[] = [];
const directories: string[] = [];
const topics: string[] = [];

afterAll(async () => {
  await deleteTopics(topics);
  for (const name of databases) await client.db(name).dropDatabase();
  await client.close();
  for (const dir of directories) fs.rmSync(dir, { recursive: true, force: true });
});

const byDoc = (a: { doc: string }, b: { doc: string }) => (a.doc < b.doc ? -1 : 1);

describe('replay rebuild --from-kafka', () => {
  it('projects the log, fills what retention dropped from the event store, and verifies', async () => {
    const dbName = uniqueName('replay_kafka');
    databases.push(dbName);
    const topic = uniqueName('sequenced');
    topics.push(topic);
    const [partial, complete, unlogged] = [
      testDocId('partial'),
      testDocId('complete'),
      testDocId('unlogged'),
    ];
    const histories = [historyOf(partial, 200), historyOf(complete, 150), historyOf(unlogged, 120)];
    await client.connect();
    const events = new MongoEventStore(client.db(dbName), { logger });
    await events.init();
    await events.append(histories.flat());

    // The log lost the first 30 versions of one document to retention and never carried the
    // third; one rejection is mixed in.
    const logged = [...histories[0]!.slice(30), ...histories[1]!];
    await publish(topic, logged, partial);

    const env = {
      MONGO_URL: services.MONGO_URL,
      MONGO_DB: dbName,
      KAFKA_BROKERS: services.KAFKA_BROKERS,
      SNAPSHOT_EVERY: '40',
    };
    const run = await runReplay(['rebuild', '--from-kafka', '--topic', topic, '--json'], env);
    const verified = await runReplay(['verify', '--json'], env);

    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as RebuildSummary;
    expect(summary.kafkaRecords).toBe(logged.length + 1);
    expect(summary.documents.map(({ doc, to }) => ({ doc, to })).sort(byDoc)).toEqual(
      histories.map((h) => ({ doc: h[0]!.doc, to: h.length })).sort(byDoc),
    );
    expect(verified.code, verified.stdout).toBe(0);
    expect((JSON.parse(verified.stdout) as VerifySummary).documents).toHaveLength(3);
  });
});

async function publish(topic: string, ops: SequencedOp[], rejectedDoc: string): Promise<void> {
  const log = new KafkaLog({ brokers: kafkaBrokers, partitions: 3, logger });
  await log.init([topic]);
  const rejection: SequencedMessage = {
    type: 'reject',
    doc: rejectedDoc,
    src: 'late',
    seq: 1,
    user: 'ann',
    error: { code: 'VERSION_TOO_OLD', message: 'too old' },
  };
  const messages: SequencedMessage[] = [
    rejection,
    ...ops.map((op): SequencedMessage => ({ type: 'op', ...op })),
  ];
  await log.produce(
    topic,
    messages.map((m) => ({ key: m.doc, value: JSON.stringify(m) })),
  );
  await log.close();
}

describe('replay --embedded', () => {
  it('rebuilds and verifies the SQLite files of the all-in-one mode', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-embedded-'));
    directories.push(dataDir);
    const events = new SqliteEventStore(path.join(dataDir, 'events'), { logger });
    await events.init();
    const histories = [historyOf(testDocId('e'), 120), historyOf(testDocId('f'), 90)];
    await events.append(histories.flat());
    await events.close();
    const env = { DATA_DIR: dataDir, SNAPSHOT_EVERY: '25' };

    const rebuilt = await runReplay(['rebuild', '--embedded', '--json'], env);
    const verified = await runReplay(['verify', '--embedded', '--json'], env);

    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    const rebuiltDocs = (JSON.parse(rebuilt.stdout) as RebuildSummary).documents;
    expect(rebuiltDocs.map(({ doc, to }) => ({ doc, to })).sort(byDoc)).toEqual(
      histories.map((h) => ({ doc: h[0]!.doc, to: h.length })).sort(byDoc),
    );
    expect(verified.code, verified.stdout).toBe(0);
    const summary = JSON.parse(verified.stdout) as VerifySummary;
    expect(summary.documents.every((d) => d.snapshots >= 3 && d.firstBadVersion === null)).toBe(
      true,
    );
  });
});

describe('replay rebuild after an interruption', () => {
  it('resumes the staging generation the interrupted run left, and finishes it', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-resume-'));
    directories.push(dataDir);
    const events = new SqliteEventStore(path.join(dataDir, 'events'), { logger });
    await events.init();
    const history = historyOf(testDocId('g'), 150);
    await events.append(history);
    const env = { DATA_DIR: dataDir, SNAPSHOT_EVERY: '25' };
    // The interrupted run: a staging generation, projected up to version 60 of 150.
    const store = new SqliteProjectionStore(path.join(dataDir, 'projections.sqlite'), { logger });
    await store.init();
    const policy = policyFromEnv(env);
    const staging = await store.openStaging(policyKey(policy));
    await projectDocument(history[0]!.doc, { events, target: staging, policy, to: 60 });
    await store.close();
    await events.close();

    const rebuilt = await runReplay(['rebuild', '--embedded', '--json'], env);
    const verified = await runReplay(['verify', '--embedded', '--json'], env);

    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    const summary = JSON.parse(rebuilt.stdout) as RebuildSummary;
    expect(summary.generation).toEqual({ from: 0, to: staging.generation });
    expect(summary.documents).toEqual([{ doc: history[0]!.doc, from: 60, to: history.length }]);
    expect(verified.code, verified.stdout).toBe(0);
  });
});
