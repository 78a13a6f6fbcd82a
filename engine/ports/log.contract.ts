/**
 * The behaviour every `Log` adapter must have, as one suite that each adapter's test file runs.
 * Every test uses its own topic and group names, so adapters backed by a shared server need no
 * reset between tests.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConsumerOptions, Log, LogBatch, LogConsumer, LogMessage } from './log.ts';

export interface LogFixture {
  log: Log;
  /** Stops what the fixture started and deletes the topics the test created. */
  cleanup(topics: string[]): Promise<void>;
}

const PARTITIONS = 3;
/** How long to keep listening to be sure that nothing more arrives. */
const QUIET_MS = 400;

const name = (prefix: string) => `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 10)}`;

const message = (key: string, value: string): LogMessage => ({ key, value });

/** Records what a consumer receives, and can refuse batches on demand. */
class Recorder {
  readonly attempts: LogBatch[] = [];
  readonly batches: LogBatch[] = [];
  readonly events: string[] = [];
  refuse: (batch: LogBatch) => boolean = () => false;

  options(groupId: string, topics: string[], fromBeginning = true): ConsumerOptions {
    return {
      groupId,
      topics,
      fromBeginning,
      eachBatch: async (batch) => {
        this.attempts.push(batch);
        if (this.refuse(batch)) throw new Error('handler refused the batch');
        this.batches.push(batch);
        this.events.push(`batch ${batch.topic} ${batch.partition}`);
      },
      onAssigned: (topic, partitions) => {
        this.events.push(`assigned ${topic} ${partitions.join(',')}`);
      },
      onRevoked: (topic, partitions) => {
        this.events.push(`revoked ${topic} ${partitions.join(',')}`);
      },
    };
  }

  get values(): string[] {
    return this.batches.flatMap((b) => b.messages.map((m) => m.value));
  }

  async waitForValues(count: number, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.values.length < count) {
      if (Date.now() > deadline) {
        throw new Error(`received ${this.values.length} of ${count} messages in ${timeoutMs} ms`);
      }
      await sleep(20);
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function describeLogContract(
  adapter: string,
  makeLog: (partitions: number) => Promise<LogFixture>,
): void {
  describe(`${adapter} — log contract`, () => {
    let fixture: LogFixture;
    let log: Log;
    let topics: string[];
    let consumers: LogConsumer[];

    beforeEach(async () => {
      fixture = await makeLog(PARTITIONS);
      log = fixture.log;
      topics = [];
      consumers = [];
    });

    afterEach(async () => {
      await Promise.all(consumers.map((c) => c.stop()));
      await fixture.cleanup(topics);
    });

    async function newTopic(): Promise<string> {
      const topic = name('topic');
      topics.push(topic);
      await log.init([topic]);
      return topic;
    }

    async function consume(options: ConsumerOptions): Promise<LogConsumer> {
      const consumer = await log.consume(options);
      consumers.push(consumer);
      return consumer;
    }

    it('puts messages with the same key in one partition and keeps their order', async () => {
      const topic = await newTopic();
      const keys = ['doc-a', 'doc-b', 'doc-c', 'doc-d', 'doc-e'];
      for (let i = 0; i < 10; i++) {
        await log.produce(
          topic,
          keys.map((key) => message(key, `${key}:${i}`)),
        );
      }
      const recorder = new Recorder();

      await consume(recorder.options(name('group'), [topic]));
      await recorder.waitForValues(50);

      for (const key of keys) {
        const received = recorder.batches.flatMap((b) =>
          b.messages
            .filter((m) => m.key === key)
            .map((m) => ({ partition: b.partition, value: m.value })),
        );
        expect(received.map((r) => r.value)).toEqual(
          Array.from({ length: 10 }, (_, i) => `${key}:${i}`),
        );
        expect(new Set(received.map((r) => r.partition))).toEqual(
          new Set([log.partitionOf(topic, key)]),
        );
      }
    });

    it('delivers every message once to a group when no handler fails', async () => {
      const topic = await newTopic();
      const produced = Array.from({ length: 40 }, (_, i) => message(`doc-${i % 7}`, `m-${i}`));
      await log.produce(topic, produced.slice(0, 20));
      const recorder = new Recorder();

      await consume(recorder.options(name('group'), [topic]));
      await log.produce(topic, produced.slice(20));
      await recorder.waitForValues(40);
      await sleep(QUIET_MS);

      expect([...recorder.values].sort()).toEqual(produced.map((m) => m.value).sort());
    });

    it('delivers a batch again from the same offset when its handler rejects, skipping nothing', async () => {
      const topic = await newTopic();
      const produced = Array.from({ length: 20 }, (_, i) => message('one-doc', `m-${i}`));
      await log.produce(topic, produced);
      const recorder = new Recorder();
      recorder.refuse = () => recorder.attempts.length <= 2;

      await consume(recorder.options(name('group'), [topic]));
      await recorder.waitForValues(20);
      await sleep(QUIET_MS);

      const [first, second, third] = recorder.attempts;
      expect(second!.messages[0]!.offset).toBe(first!.messages[0]!.offset);
      expect(third!.messages[0]!.offset).toBe(first!.messages[0]!.offset);
      expect(recorder.values).toEqual(produced.map((m) => m.value));
    });

    it('resumes a group after its last committed offset when a new member takes over', async () => {
      const [topic, group] = [await newTopic(), name('group')];
      const before = Array.from({ length: 12 }, (_, i) => message(`doc-${i % 5}`, `before-${i}`));
      const after = Array.from({ length: 12 }, (_, i) => message(`doc-${i % 5}`, `after-${i}`));
      const first = new Recorder();
      await log.produce(topic, before);
      const firstMember = await consume(first.options(group, [topic]));
      await first.waitForValues(12);
      await firstMember.stop();

      await log.produce(topic, after);
      const second = new Recorder();
      await consume(second.options(group, [topic]));
      await second.waitForValues(12);
      await sleep(QUIET_MS);

      expect([...second.values].sort()).toEqual(after.map((m) => m.value).sort());
    });

    it('keeps two consumer groups independent of each other', async () => {
      const topic = await newTopic();
      const produced = Array.from({ length: 15 }, (_, i) => message(`doc-${i % 4}`, `m-${i}`));
      const [failing, healthy] = [new Recorder(), new Recorder()];
      failing.refuse = () => failing.attempts.length === 1;

      await consume(failing.options(name('group'), [topic]));
      await consume(healthy.options(name('group'), [topic]));
      await log.produce(topic, produced);
      await Promise.all([failing.waitForValues(15), healthy.waitForValues(15)]);
      await sleep(QUIET_MS);

      const expected = produced.map((m) => m.value).sort();
      expect([...failing.values].sort()).toEqual(expected);
      expect([...healthy.values].sort()).toEqual(expected);
    });

    it('starts a new group at the oldest message or at the end, as fromBeginning says', async () => {
      const topic = await newTopic();
      const old = Array.from({ length: 6 }, (_, i) => message(`doc-${i % 3}`, `old-${i}`));
      const fresh = Array.from({ length: 6 }, (_, i) => message(`doc-${i % 3}`, `new-${i}`));
      await log.produce(topic, old);
      const [fromStart, fromEnd] = [new Recorder(), new Recorder()];

      await consume(fromStart.options(name('group'), [topic], true));
      await consume(fromEnd.options(name('group'), [topic], false));
      await log.produce(topic, fresh);
      await Promise.all([fromStart.waitForValues(12), fromEnd.waitForValues(6)]);
      await sleep(QUIET_MS);

      expect([...fromStart.values].sort()).toEqual([...old, ...fresh].map((m) => m.value).sort());
      expect([...fromEnd.values].sort()).toEqual(fresh.map((m) => m.value).sort());
    });

    it('assigns a lone member every partition before its first batch and revokes them at stop', async () => {
      const topic = await newTopic();
      const recorder = new Recorder();
      const all = Array.from({ length: PARTITIONS }, (_, p) => p).join(',');

      const member = await consume(recorder.options(name('group'), [topic]));
      await log.produce(topic, [message('doc-a', 'm-0')]);
      await recorder.waitForValues(1);
      await member.stop();

      expect(recorder.events[0]).toBe(`assigned ${topic} ${all}`);
      expect(recorder.events.at(-1)).toBe(`revoked ${topic} ${all}`);
      expect(recorder.events.filter((e) => e.startsWith('assigned'))).toHaveLength(1);
    });
  });
}
