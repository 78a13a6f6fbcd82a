import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { ProtocolError } from '../../common/errors.ts';
import { createLogger } from '../../common/logger.ts';
import { kafkaBrokers, uniqueName } from '../../test/services.ts';
import { describeLogContract, type LogFixture } from '../ports/log.contract.ts';
import type { ConsumerOptions } from '../ports/log.ts';
import { KafkaLog, type KafkaLogOptions } from './kafka-log.ts';
import { MemoryLog } from './memory-log.ts';
import { MemoryPartition } from './memory-partition.ts';

const logger = createLogger('log-test', 'silent');

const admin = new Kafka({ brokers: kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
const adminReady = admin.connect();

afterAll(async () => {
  await admin.disconnect();
});

async function deleteTopics(topics: string[]): Promise<void> {
  await adminReady;
  if (topics.length > 0) await admin.deleteTopics({ topics });
}

function kafkaLog(options: KafkaLogOptions = {}): KafkaLog {
  return new KafkaLog({
    brokers: kafkaBrokers,
    partitions: 3,
    heartbeatIntervalMs: 300,
    logger,
    ...options,
  });
}

async function kafkaFixture(partitions: number): Promise<LogFixture> {
  const log = kafkaLog({ partitions });
  return {
    log,
    cleanup: async (topics) => {
      await log.close();
      await deleteTopics(topics);
    },
  };
}

async function memoryFixture(partitions: number): Promise<LogFixture> {
  const log = new MemoryLog({ partitions, logger, retryBackoffMs: { initial: 20, max: 200 } });
  return { log, cleanup: () => log.close() };
}

describeLogContract('KafkaLog', kafkaFixture);
describeLogContract('MemoryLog', memoryFixture);

/** Tracks the partitions a member holds, from its onAssigned and onRevoked calls. */
function member(groupId: string, topic: string) {
  const held = new Set<number>();
  const options: ConsumerOptions = {
    groupId,
    topics: [topic],
    eachBatch: async () => undefined,
    onAssigned: (_topic, partitions) => partitions.forEach((p) => held.add(p)),
    onRevoked: (_topic, partitions) => partitions.forEach((p) => held.delete(p)),
  };
  return { held, options };
}

async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const sorted = (partitions: Set<number>) => [...partitions].sort((a, b) => a - b);

describe('KafkaLog', () => {
  it('splits the partitions between two members of a group, and gives all back to the one that stays', async () => {
    const log = kafkaLog();
    const topic = uniqueName('topic');
    const groupId = uniqueName('group');
    await log.init([topic]);
    const [first, second] = [member(groupId, topic), member(groupId, topic)];

    await log.consume(first.options);
    await until(() => first.held.size === 3);
    const secondConsumer = await log.consume(second.options);
    await until(
      () => first.held.size > 0 && second.held.size > 0 && first.held.size + second.held.size === 3,
    );

    expect(sorted(new Set([...first.held, ...second.held]))).toEqual([0, 1, 2]);

    await secondConsumer.stop();
    await until(() => first.held.size === 3);

    expect(second.held.size).toBe(0);
    expect(sorted(first.held)).toEqual([0, 1, 2]);
    await log.close();
    await deleteTopics([topic]);
  });

  it('maps every key to the same partition as the in-process log does', async () => {
    const kafka = kafkaLog();
    const memory = new MemoryLog({ partitions: 3, logger });
    const topic = uniqueName('topic');
    await Promise.all([kafka.init([topic]), memory.init([topic])]);
    const keys = Array.from({ length: 100 }, (_, i) => `doc-${i}`);

    const placements = keys.map((key) => [
      kafka.partitionOf(topic, key),
      memory.partitionOf(topic, key),
    ]);

    expect(placements.every(([k, m]) => k === m)).toBe(true);
    expect(new Set(placements.map(([k]) => k))).toEqual(new Set([0, 1, 2]));
    await kafka.close();
    await deleteTopics([topic]);
  });

  it('rejects produce with UNAVAILABLE after bounded retries when no broker answers', async () => {
    const log = kafkaLog({ brokers: ['127.0.0.1:1'], retries: 1 });
    const started = Date.now();

    const produced = log.produce('anything', [{ key: 'doc', value: 'x' }]);

    await expect(produced).rejects.toBeInstanceOf(ProtocolError);
    await expect(produced).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(Date.now() - started).toBeLessThan(15_000);
    await log.close();
  });

  it('rejects produce with UNAVAILABLE for a topic that was never created', async () => {
    const log = kafkaLog({ retries: 1 });

    const produced = log.produce(uniqueName('missing'), [{ key: 'doc', value: 'x' }]);

    await expect(produced).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await log.close();
  });
});

describe('MemoryLog', () => {
  it('refuses a second member in a group, since it serves one member per group', async () => {
    const log = new MemoryLog({ partitions: 3, logger });
    await log.init(['topic']);
    await log.consume(member('group', 'topic').options);

    await expect(log.consume(member('group', 'topic').options)).rejects.toThrow(/one member/);
    await log.close();
  });

  it('keeps messages a late group reading from the beginning can still get, and drops the rest', async () => {
    const log = new MemoryLog({ partitions: 1, logger });
    await log.init(['topic']);
    const received: string[] = [];
    const early = await log.consume({
      groupId: 'early',
      topics: ['topic'],
      fromBeginning: true,
      eachBatch: async (batch) => void received.push(...batch.messages.map((m) => m.value)),
    });
    const produced = Array.from({ length: 3000 }, (_, i) => ({ key: 'doc', value: `m-${i}` }));
    await log.produce('topic', produced);
    await until(() => received.length === 3000);
    await early.stop();

    await log.produce('topic', [{ key: 'doc', value: 'late' }]);
    const late: string[] = [];
    await log.consume({
      groupId: 'late',
      topics: ['topic'],
      fromBeginning: true,
      eachBatch: async (batch) => void late.push(...batch.messages.map((m) => m.value)),
    });
    await until(() => late.includes('late'));

    expect(late).toEqual(['late']);
    await log.close();
  });
});

describe('MemoryPartition', () => {
  it('numbers messages from 0 and keeps offsets when the front is dropped', () => {
    const partition = new MemoryPartition();
    for (let i = 0; i < 2000; i++) partition.append({ key: 'k', value: `m-${i}` });

    partition.release(1500);

    expect(partition.start).toBe(1500);
    expect(partition.end).toBe(2000);
    expect(partition.read(0, 2)).toEqual([
      { key: 'k', value: 'm-1500', offset: '1500' },
      { key: 'k', value: 'm-1501', offset: '1501' },
    ]);
  });
});
