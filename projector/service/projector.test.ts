import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../common/logger.ts';
import { TOPICS, type SequencedMessage, type SequencedOp } from '../../common/protocol.ts';
import { MemoryLog } from '../../engine/log/memory-log.ts';
import { SqliteEventStore } from '../../engine/store/sqlite-event-store.ts';
import type { ProjectionPolicy } from '../config.ts';
import { emptyState, type ProjectionCommit } from '../model/records.ts';
import type { CommitOptions } from '../ports/projection-store.ts';
import { projectDocument } from '../rebuild/project-document.ts';
import { SqliteProjectionStore } from '../store/sqlite-projection-store.ts';
import { testDocId } from '../testing/commits.ts';
import { eventsOf, typing } from '../testing/events.ts';
import { projectionRecords } from '../testing/projection-records.ts';
import { startProjector, type ProjectorHandle } from './start-projector.ts';

const logger = createLogger('test', 'silent');
const policy: ProjectionPolicy = {
  snapshotEvery: 7,
  snapshotSeconds: 3_600,
  revisionPauseSeconds: 60,
  revisionJoinSeconds: 10,
};

let dir: string;
let events: SqliteEventStore;
let store: SqliteProjectionStore;
let log: MemoryLog;
let projector: ProjectorHandle | null;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'projector-'));
  events = new SqliteEventStore(path.join(dir, 'events'), { logger });
  store = new SqliteProjectionStore(path.join(dir, 'projections.sqlite'), { logger });
  log = new MemoryLog({ partitions: 3, maxBatch: 10, logger });
  await Promise.all([events.init(), store.init(), log.init([TOPICS.sequenced])]);
  projector = null;
});

afterEach(async () => {
  await projector?.stop();
  await log.close();
  await events.close();
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Typing with a pause and a second author, so there are snapshots and several revisions. */
function historyOf(doc: string): SequencedOp[] {
  const [first, ...rest] = typing('and then some more', 'bob', 100, 11);
  return eventsOf(doc, [...typing('hello world'), { ...first!, after: 90_000 }, ...rest]);
}

async function publish(messages: SequencedMessage[]): Promise<void> {
  await log.produce(
    TOPICS.sequenced,
    messages.map((message) => ({ key: message.doc, value: JSON.stringify(message) })),
  );
}

const asMessages = (ops: SequencedOp[]): SequencedMessage[] =>
  ops.map((op) => ({ type: 'op', ...op }));

async function projectedTo(doc: string, head: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (((await store.state(doc))?.head ?? 0) < head) {
    if (Date.now() > deadline) throw new Error(`document ${doc} never reached version ${head}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** What an uninterrupted projection of the same history stores. */
async function reference(doc: string, history: SequencedOp[]) {
  const clean = new SqliteProjectionStore(':memory:', { logger });
  await clean.init();
  await projectDocument(doc, {
    events: { range: async (_d, from, to) => history.slice(from, to) },
    target: clean,
    policy,
  });
  const records = await projectionRecords(clean, doc);
  await clean.close();
  return records;
}

describe('the projector', () => {
  it('projects sequenced operations into the same records as a projection of the stored history', async () => {
    const doc = testDocId();
    const history = historyOf(doc);
    await events.append(history);
    projector = await startProjector({ log, events, store, policy, logger });

    await publish(asMessages(history));
    await projectedTo(doc, history.length);

    expect(await projectionRecords(store, doc)).toEqual(await reference(doc, history));
    expect((await store.state(doc))!.closedRevisions).toBe(1);
  });

  it('ignores rejections and malformed records', async () => {
    const doc = testDocId();
    const history = historyOf(doc).slice(0, 3);
    await events.append(history);
    projector = await startProjector({ log, events, store, policy, logger });

    const rejection: SequencedMessage = {
      type: 'reject',
      doc,
      src: 'c',
      seq: 9,
      user: 'ann',
      error: { code: 'INVALID_OP', message: 'no' },
    };
    await publish([rejection]);
    await log.produce(TOPICS.sequenced, [{ key: doc, value: '{not json' }]);
    await publish(asMessages(history));
    await projectedTo(doc, 3);

    expect(await projectionRecords(store, doc)).toEqual(await reference(doc, history));
  });

  it('skips operations delivered again, storing nothing twice', async () => {
    const doc = testDocId();
    const history = historyOf(doc);
    await events.append(history);
    projector = await startProjector({ log, events, store, policy, logger });

    await publish(asMessages(history.slice(0, 20)));
    await publish(asMessages(history.slice(5)));
    await projectedTo(doc, history.length);

    expect(await projectionRecords(store, doc)).toEqual(await reference(doc, history));
    expect(projector.counters.skipped).toBe(15);
  });

  it('fills versions missing from the log out of the event store', async () => {
    const doc = testDocId();
    const history = historyOf(doc);
    await events.append(history);
    projector = await startProjector({ log, events, store, policy, logger });

    await publish(asMessages([...history.slice(0, 3), ...history.slice(17)]));
    await projectedTo(doc, history.length);

    expect(await projectionRecords(store, doc)).toEqual(await reference(doc, history));
    expect(projector.counters.filled).toBe(14);
  });

  it('converges on the uninterrupted result when writes fail part-way and batches come again', async () => {
    const doc = testDocId();
    const history = historyOf(doc);
    await events.append(history);
    const flaky = failingEveryThirdCommit(store);
    projector = await startProjector({ log, events, store: flaky, policy, logger });

    await publish(asMessages(history));
    await projectedTo(doc, history.length);

    expect(flaky.failures()).toBeGreaterThan(0);
    expect(await projectionRecords(store, doc)).toEqual(await reference(doc, history));
  });

  it('stops projecting a document whose history is damaged, and goes on with the others', async () => {
    const damaged = testDocId('damaged');
    const healthy = testDocId('healthy');
    const bad = eventsOf(damaged, [{ op: ['ab'] }, { op: [9, 'x'] }, { op: [2, 'c'] }]);
    const good = historyOf(healthy);
    await events.append([...bad, ...good]);
    projector = await startProjector({ log, events, store, policy, logger });

    await publish(asMessages([...bad, ...good]));
    await projectedTo(healthy, good.length);

    expect(await store.state(damaged)).toBeNull();
    expect(await projectionRecords(store, healthy)).toEqual(await reference(healthy, good));
  });
});

/**
 * The store, except that every third commit writes its snapshots, revisions and docs fields
 * but leaves the stored state as it was, and then fails: the crash between the last two
 * steps of the port's write order.
 */
function failingEveryThirdCommit(inner: SqliteProjectionStore) {
  let calls = 0;
  let failed = 0;
  const target = Object.create(inner) as SqliteProjectionStore & { failures(): number };
  target.commit = async (commits: readonly ProjectionCommit[], options?: CommitOptions) => {
    calls++;
    if (calls % 3 !== 0) return inner.commit(commits, options);
    failed++;
    const unchanged = async (commit: ProjectionCommit) => ({
      ...commit,
      state: (await inner.state(commit.state.doc)) ?? emptyState(commit.state.doc),
    });
    await inner.commit(await Promise.all(commits.map(unchanged)), options);
    throw new Error('the database went away before the state was written');
  };
  target.failures = () => failed;
  return target;
}
