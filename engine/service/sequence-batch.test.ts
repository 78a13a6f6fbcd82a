import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../common/logger.ts';
import type { SequencedMessage, SequencedOp, Submission } from '../../common/protocol.ts';
import type { HistorySource } from '../sequencer/history-source.ts';
import { Sequencer } from '../sequencer/sequencer.ts';
import { DEFAULT_TEST_OPTIONS } from '../sequencer/testing/harness.ts';
import { SqliteEventStore } from '../store/sqlite-event-store.ts';
import { sequenceBatch } from './sequence-batch.ts';
import { StoreHistory } from './store-history.ts';

const logger = createLogger('sequence-batch-test', 'silent');
const cleanups: Array<() => Promise<unknown>> = [];

afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function openStore(): Promise<SqliteEventStore> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'sequence-batch-'));
  const store = new SqliteEventStore(directory, { logger });
  await store.init();
  cleanups.push(async () => {
    await store.close();
    fs.rmSync(directory, { recursive: true, force: true });
  });
  return store;
}

/**
 * The history as a sequencer sees it when the store's record of each source's last seq lost
 * its latest writes, its writer having been killed between storing events and recording them.
 * With `replayed`, a load replays those events (they follow the snapshot it starts from);
 * without, they precede that snapshot and only the store's refusals reveal them.
 */
function historyWithLaggingLastSeq(store: SqliteEventStore, replayed: boolean): HistorySource {
  const history = new StoreHistory(store);
  return {
    loadDocument: async (doc) => {
      const { head, text, recent } = await history.loadDocument(doc);
      return replayed ? { head, text, recent } : { head, text };
    },
    range: (doc, from, to) => store.range(doc, from, to),
    findBySource: (doc, src, seq) => store.findBySource(doc, src, seq),
    lastSeq: async () => 0,
  };
}

/** A store that counts the events it refuses. */
function countingRefusals(store: SqliteEventStore) {
  const counted = {
    refusals: 0,
    append: async (events: readonly SequencedOp[]) => {
      const result = await store.append(events);
      counted.refusals += result.failures.length;
      return result;
    },
    findBySource: (doc: string, src: string, seq: number) => store.findBySource(doc, src, seq),
  };
  return counted;
}

function typing(count: number): Submission[] {
  return Array.from({ length: count }, (_, i) => ({
    doc: 'doc-1',
    v: i,
    src: 'client-a',
    seq: i + 1,
    op: [String.fromCharCode(97 + i)],
    user: 'ann',
  }));
}

function event(submission: Submission, v: number): SequencedOp {
  const { doc, src, seq, op, user } = submission;
  return { doc, v, src, seq, op, user, ts: 0 };
}

function versions(messages: SequencedMessage[]): Array<[number, number | undefined]> {
  return messages.map((m) => [m.seq, m.type === 'op' ? m.v : undefined]);
}

describe('sequencing a batch whose submissions were partly stored already', () => {
  it('answers a long run of resubmissions that only the store refuses, then goes on', async () => {
    const store = await openStore();
    const submissions = typing(10);
    await store.append(submissions.slice(0, 7).map((s, i) => event(s, i + 1)));
    const core = new Sequencer(historyWithLaggingLastSeq(store, false), DEFAULT_TEST_OPTIONS);

    const messages = await sequenceBatch(submissions, { core, store, logger });

    expect(versions(messages)).toEqual(submissions.map((s) => [s.seq, s.seq]));
    const stored = await store.range('doc-1', 0);
    expect(stored.map((e) => [e.seq, e.v])).toEqual(submissions.map((s) => [s.seq, s.seq]));
  });

  it('answers resubmissions of the events a load replayed from memory', async () => {
    const store = await openStore();
    const submissions = typing(10);
    await store.append(submissions.slice(0, 7).map((s, i) => event(s, i + 1)));
    const core = new Sequencer(historyWithLaggingLastSeq(store, true), DEFAULT_TEST_OPTIONS);
    const counted = countingRefusals(store);

    const messages = await sequenceBatch(submissions, { core, store: counted, logger });

    expect(versions(messages)).toEqual(submissions.map((s) => [s.seq, s.seq]));
    expect(counted.refusals).toBe(0);
  });
});
