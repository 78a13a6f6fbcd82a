import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProtocolError } from '../../common/errors.ts';
import { createLogger } from '../../common/logger.ts';
import type { SequencedOp } from '../../common/protocol.ts';
import { SqliteEventStore } from '../../engine/store/sqlite-event-store.ts';
import type { ProjectionPolicy } from '../config.ts';
import { projectDocument } from '../rebuild/project-document.ts';
import { SqliteProjectionStore } from '../store/sqlite-projection-store.ts';
import { testDocId } from '../testing/commits.ts';
import { eventsOf, typing } from '../testing/events.ts';
import { HistoryReads } from './history-reads.ts';

const logger = createLogger('test', 'silent');
const policy: ProjectionPolicy = {
  snapshotEvery: 5,
  snapshotSeconds: 3_600,
  revisionPauseSeconds: 60,
  revisionJoinSeconds: 10,
};
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'history-reads-'));
const events = new SqliteEventStore(path.join(dir, 'events'), { logger });
const projections = new SqliteProjectionStore(path.join(dir, 'projections.sqlite'), { logger });

/** The text after each version, computed by plain string edits of the typed characters. */
const TYPED = 'hello, wörld 👋 and more';
const doc = testDocId();
const [bobStarts, ...bobTypes] = typing(TYPED.slice(6), 'bob', 100, 6);
// Ann types six characters; two minutes later Bob types the rest.
const history: SequencedOp[] = eventsOf(doc, [
  ...typing(TYPED.slice(0, 6)),
  { ...bobStarts!, after: 120_000 },
  ...bobTypes,
]);
const textAt = (v: number) => [...TYPED].slice(0, v).join('');

beforeAll(async () => {
  await events.init();
  await projections.init();
  await events.append(history);
  // Projected only up to version 12: reads must not depend on the projector having caught up.
  await projectDocument(doc, { events, target: projections, policy, to: 12 });
});

afterAll(async () => {
  await events.close();
  await projections.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const reads = () => new HistoryReads({ events, projections, logger });

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ProtocolError);
  return (error as ProtocolError).code;
}

describe('HistoryReads', () => {
  it('gives the text at every version, on both sides of the projected head', async () => {
    for (let v = 0; v <= history.length; v++) {
      expect(await reads().textAt(doc, v)).toEqual({ v, text: textAt(v) });
    }
  });

  it('gives the latest text from the latest snapshot and every stored operation after it', async () => {
    expect(await reads().latestText(doc)).toEqual({ v: history.length, text: TYPED });
  });

  it("starts from the projector's latest text and reads only the operations after it", async () => {
    const ranges: Array<[number, number | undefined]> = [];
    const counting = {
      range: (d: string, from: number, to?: number) => {
        ranges.push([from, to]);
        return events.range(d, from, to);
      },
    };
    const counted = new HistoryReads({ events: counting, projections, logger });

    expect(await counted.latestText(doc)).toEqual({ v: history.length, text: TYPED });
    expect(await counted.textAt(doc, 13)).toEqual({ v: 13, text: textAt(13) });
    expect(await counted.textAt(doc, 11)).toEqual({ v: 11, text: textAt(11) });

    // Projected to 12: the latest text is at 12, the nearest snapshot below 13 and 11 at 10.
    expect(ranges).toEqual([
      [12, undefined],
      [12, 13],
      [10, 11],
    ]);
  });

  it('answers VERSION_FROM_FUTURE for a version the document has not reached', async () => {
    expect(await refusal(reads().textAt(doc, history.length + 1))).toBe('VERSION_FROM_FUTURE');
    expect(await refusal(reads().operations(doc, 3, history.length + 2))).toBe(
      'VERSION_FROM_FUTURE',
    );
    expect(await refusal(reads().operations(doc, history.length + 1))).toBe('VERSION_FROM_FUTURE');
  });

  it('answers BAD_REQUEST for versions that are not whole numbers, ranges backwards or too long', async () => {
    expect(await refusal(reads().textAt(doc, -1))).toBe('BAD_REQUEST');
    expect(await refusal(reads().textAt(doc, 1.5))).toBe('BAD_REQUEST');
    expect(await refusal(reads().operations(doc, 5, 2))).toBe('BAD_REQUEST');
    expect(await refusal(reads().operations(doc, 0, 10_001))).toBe('BAD_REQUEST');
    expect(await refusal(reads().revisions(doc, { limit: 0 }))).toBe('BAD_REQUEST');
  });

  it('gives the operations of a range, and everything after a version when no end is given', async () => {
    expect(await reads().operations(doc, 3, 7)).toEqual(history.slice(3, 7));
    expect(await reads().operations(doc, 20)).toEqual(history.slice(20));
    expect(await reads().operations(doc, history.length)).toEqual([]);
  });

  it('lists revisions newest first, a page at a time, the open one included', async () => {
    const first = await reads().revisions(doc, { limit: 1 });
    const second = await reads().revisions(doc, { before: first.next!, limit: 1 });

    expect(first).toMatchObject({ total: 2, next: 2 });
    expect(first.revisions).toEqual([
      expect.objectContaining({ n: 2, from: 7, to: 12, authors: ['bob'], inserted: 6 }),
    ]);
    expect(second).toMatchObject({ total: 2, next: null });
    expect(second.revisions).toEqual([
      expect.objectContaining({ n: 1, from: 1, to: 6, authors: ['ann'], inserted: 6 }),
    ]);
  });

  it('reads a document without history as empty, or as NOT_FOUND when told it does not exist', async () => {
    const unknown = testDocId('unknown');
    const strict = new HistoryReads({
      events,
      projections,
      logger,
      documentExists: async () => false,
    });

    expect(await reads().latestText(unknown)).toEqual({ v: 0, text: '' });
    expect(await reads().revisions(unknown)).toEqual({ revisions: [], total: 0, next: null });
    expect(await refusal(strict.latestText(unknown))).toBe('NOT_FOUND');
    expect(await refusal(strict.textAt(unknown, 0))).toBe('NOT_FOUND');
    expect(await refusal(strict.revisions(unknown))).toBe('NOT_FOUND');
  });

  it('falls back to an older snapshot when a listed one is missing', async () => {
    const state = (await projections.state(doc))!;
    const gappy = {
      ...projections,
      state: async () => state,
      snapshot: async (d: string, v: number) => (v === 10 ? null : projections.snapshot(d, v)),
      latest: async () => null,
      revision: (d: string, n: number) => projections.revision(d, n),
      metadata: (d: string) => projections.metadata(d),
    };

    const text = await new HistoryReads({ events, projections: gappy, logger }).textAt(doc, 11);

    expect(text).toEqual({ v: 11, text: textAt(11) });
  });
});
