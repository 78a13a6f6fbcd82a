import type { Db } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import { TOPICS, type SequencedOp } from '../../common/protocol.ts';
import type { EventStore } from '../ports/event-store.ts';
import type { Log, LogMessage } from '../ports/log.ts';
import { EVENTS, toRecord, type EventRecord } from '../store/mongo-records.ts';
import {
  SequencedReader,
  concurrentTyping,
  createNamespace,
  expectExactlyOnce,
  expectExactlyOnceEventually,
  expectNoFork,
  kafkaLog,
  replay,
  startEngine,
  submit,
  type EngineInstance,
  type Namespace,
} from './testing/service-fixture.ts';

const cleanups: Array<() => Promise<unknown>> = [];

afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

async function setUp(): Promise<{ ns: Namespace; client: Log; reader: SequencedReader }> {
  const ns = await createNamespace();
  cleanups.push(() => ns.drop());
  const client = kafkaLog(ns.name);
  cleanups.push(() => client.close());
  const reader = await new SequencedReader(client).start();
  cleanups.push(() => reader.stop());
  return { ns, client, reader };
}

async function engine(
  ns: Namespace,
  options?: Parameters<typeof startEngine>[1],
): Promise<EngineInstance> {
  const instance = await startEngine(ns, options);
  cleanups.push(() => instance.stop());
  return instance;
}

/** A log whose publishing on ops.sequenced "crashes" once, before or after the write. */
function crashingLog(when: 'before-publish' | 'after-publish') {
  const state = { crashed: false };
  const wrap = (log: Log): Log =>
    Object.assign(Object.create(log) as Log, {
      async produce(topic: string, messages: LogMessage[]) {
        if (state.crashed) throw new Error('this engine has crashed');
        if (topic !== TOPICS.sequenced) return log.produce(topic, messages);
        if (when === 'after-publish') await log.produce(topic, messages);
        state.crashed = true;
        throw new Error(`simulated crash ${when}`);
      },
    });
  return { state, wrap };
}

/**
 * A store whose first append dies halfway, as an engine SIGKILLed between the two writes of an
 * append leaves it: the events are in `events`, written as the store writes them, but the
 * `sources` and `heads` summaries never heard of them. Every later append fails.
 */
function storeKilledBeforeSummaries(db: Db) {
  const state = { killed: false };
  const wrap = (store: EventStore): EventStore =>
    Object.assign(Object.create(store) as EventStore, {
      async append(events: readonly SequencedOp[]) {
        if (state.killed) throw new Error('this engine was killed');
        state.killed = true;
        const records = events.map(toRecord);
        await db.collection<EventRecord>(EVENTS).insertMany(records, { ordered: true });
        throw new Error('simulated kill between storing events and recording them');
      },
    });
  return { state, wrap };
}

/** A store whose first `failures` appends are refused at once, as by a server that is down. */
function storeFailingAtFirst(failures: number) {
  const state = { refused: 0 };
  const wrap = (store: EventStore): EventStore =>
    Object.assign(Object.create(store) as EventStore, {
      async append(events: readonly SequencedOp[]) {
        if (state.refused < failures) {
          state.refused++;
          throw new Error('simulated store outage');
        }
        return store.append(events);
      },
    });
  return { state, wrap };
}

describe('sequencer service on Kafka and the MongoDB-compatible store', () => {
  it('sequences concurrent clients into one gap-free history and publishes it in version order', async () => {
    const { ns, client, reader } = await setUp();
    const instance = await engine(ns);
    const submissions = concurrentTyping('doc-a', 3, 20);

    await submit(client, submissions);

    await expect.poll(() => reader.ops('doc-a').length, { timeout: 30_000 }).toBe(60);
    const stored = await expectExactlyOnce(instance.store, 'doc-a', submissions);
    const published = reader.ops('doc-a');
    expect(published.map((op) => op.v)).toEqual(stored.events.map((e) => e.v));
    expect(replay(published)).toBe(replay(stored.events));
    for (let c = 0; c < 3; c++) expect(replay(stored.events)).toContain(`c${c}s20 `);
  });

  it('refuses malformed records with a code, and the partition keeps moving', async () => {
    const { ns, client, reader } = await setUp();
    await engine(ns);
    const author = { doc: 'doc-b', src: 'bad-client', user: 'mallory' };
    const records: LogMessage[] = [
      { key: 'doc-b', value: 'this is not JSON' },
      { key: 'doc-b', value: JSON.stringify({ ...author, seq: 1, v: 0, op: ['x'], admin: true }) },
      { key: 'doc-b', value: JSON.stringify({ ...author, seq: 2, v: 0, op: [{ d: 5 }] }) },
      { key: 'doc-b', value: JSON.stringify({ ...author, seq: 3, v: 0, op: [-1, 'x'] }) },
      { key: 'doc-b', value: JSON.stringify({ ...author, seq: 4, v: 7, op: ['x'] }) },
      { key: 'doc-b', value: JSON.stringify({ ...author, seq: 5, v: 0, op: ['ok'] }) },
    ];

    await client.produce(TOPICS.submit, records);

    await expect.poll(() => reader.messages.length, { timeout: 30_000 }).toBe(5);
    const rejections = reader.messages.filter((m) => m.type === 'reject');
    expect(Object.fromEntries(rejections.map((r) => [r.seq, r.error.code]))).toEqual({
      1: 'BAD_REQUEST',
      2: 'INVALID_OP',
      3: 'INVALID_OP',
      4: 'VERSION_FROM_FUTURE',
    });
    expect(reader.ops('doc-b')).toMatchObject([{ v: 1, src: 'bad-client', seq: 5, op: ['ok'] }]);
  });

  it('transforms an operation against more of its batch than the core keeps in memory', async () => {
    const { ns, client, reader } = await setUp();
    await engine(ns, { opWindow: 10 });
    const author = Array.from({ length: 30 }, (_, i) => ({
      doc: 'doc-w',
      v: i,
      src: 'author',
      seq: i + 1,
      op: i === 0 ? ['x'] : [i, 'x'],
      user: 'author',
    }));
    const late = { doc: 'doc-w', v: 0, src: 'late', seq: 1, op: ['late '], user: 'late' };

    await submit(client, [...author, late]);

    await expect.poll(() => reader.ops('doc-w').length, { timeout: 30_000 }).toBe(31);
    expect(replay(reader.ops('doc-w'))).toBe(`late ${'x'.repeat(30)}`);
  });

  for (const when of ['before-publish', 'after-publish'] as const) {
    it(`loses and doubles nothing when an engine crashes ${when === 'before-publish' ? 'between append and publish' : 'between publish and commit'}`, async () => {
      const { ns, client, reader } = await setUp();
      const crash = crashingLog(when);
      const first = await engine(ns, { wrapLog: crash.wrap });
      const submissions = concurrentTyping('doc-c', 2, 25);

      await submit(client, submissions);
      await expect.poll(() => crash.state.crashed, { timeout: 30_000 }).toBe(true);
      await first.stop();
      const restarted = await engine(ns);

      await expectExactlyOnceEventually(restarted, 'doc-c', submissions);
      await expect
        .poll(() => new Set(reader.ops('doc-c').map((op) => op.v)).size, { timeout: 30_000 })
        .toBe(50);
      expectNoFork(reader.messages, 'doc-c');
    });
  }

  it('fetches a batch again when its append fails at once, and sequences it exactly once', async () => {
    const { ns, client, reader } = await setUp();
    const outage = storeFailingAtFirst(2);
    // A window of 10 appends every 5 submissions, so the batch has several chunks and the
    // failing append is in flight while the next chunk is read.
    const instance = await engine(ns, { opWindow: 10, wrapStore: outage.wrap });
    const submissions = concurrentTyping('doc-o', 2, 20);

    await submit(client, submissions);

    await expectExactlyOnceEventually(instance, 'doc-o', submissions);
    await expect
      .poll(() => new Set(reader.ops('doc-o').map((op) => op.v)).size, { timeout: 30_000 })
      .toBe(40);
    expect(outage.state.refused).toBe(2);
    expectNoFork(reader.messages, 'doc-o');
  });

  it('answers every resubmission and goes on when an engine dies before recording what it stored', async () => {
    const { ns, client, reader } = await setUp();
    const kill = storeKilledBeforeSummaries(ns.db);
    const first = await engine(ns, { wrapStore: kill.wrap });
    const submissions = concurrentTyping('doc-k', 2, 15);

    await submit(client, submissions.slice(0, 20));
    await expect.poll(() => kill.state.killed, { timeout: 30_000 }).toBe(true);
    await first.stop();
    const restarted = await engine(ns);
    await submit(client, submissions.slice(20));

    await expectExactlyOnceEventually(restarted, 'doc-k', submissions);
    await expect
      .poll(() => new Set(reader.ops('doc-k').map((op) => op.v)).size, { timeout: 30_000 })
      .toBe(30);
    expectNoFork(reader.messages, 'doc-k');
  });

  it('cannot fork a document when two engines both sequence it from different submissions', async () => {
    // A zombie and its successor both believe they own the document, and each is handed
    // submissions the other never sees: two topic namespaces, one event store.
    const { ns, client, reader } = await setUp();
    const zombieTopics = `${ns.name}z`;
    const zombieClient = kafkaLog(zombieTopics);
    cleanups.push(() => zombieClient.close());
    const zombieReader = await new SequencedReader(zombieClient).start();
    cleanups.push(() => zombieReader.stop());
    const owner = await engine(ns, { groupId: 'engine-a' });
    await engine(ns, { groupId: 'engine-b', topics: zombieTopics });
    const toOwner = concurrentTyping('doc-d', 2, 25);
    const toZombie = concurrentTyping('doc-d', 2, 25).map((s) => ({ ...s, src: `z-${s.src}` }));

    for (let i = 0; i < toOwner.length; i += 5) {
      await Promise.all([
        submit(client, toOwner.slice(i, i + 5)),
        submit(zombieClient, toZombie.slice(i, i + 5)),
      ]);
    }

    await expectExactlyOnceEventually(owner, 'doc-d', [...toOwner, ...toZombie]);
    const stored = await owner.store.range('doc-d', 0);
    await expect
      .poll(() => reader.ops('doc-d').length + zombieReader.ops('doc-d').length, {
        timeout: 30_000,
      })
      .toBe(100);
    expectNoFork(
      [
        ...reader.messages,
        ...zombieReader.messages,
        ...stored.map((e) => ({ type: 'op' as const, ...e })),
      ],
      'doc-d',
    );
  });
});
