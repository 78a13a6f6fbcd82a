/**
 * The text at versions of a real editing history — the `automerge-paper` trace, 259,778
 * operations — read back through the history reads (nearest snapshot plus the stored events
 * after it) equals the trace replayed to the same point by a plain rope.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JumpRope from 'jumprope';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../common/logger.ts';
import type { SequencedOp } from '../../common/protocol.ts';
import { loadTrace, traceAvailable, traceMissingReason, type Trace } from '../../common/traces.ts';
import type { EventStore } from '../../engine/ports/event-store.ts';
import { MongoEventStore } from '../../engine/store/mongo-event-store.ts';
import { SqliteEventStore } from '../../engine/store/sqlite-event-store.ts';
import { DEFAULT_POLICY } from '../../projector/config.ts';
import type { ProjectionStore } from '../../projector/ports/projection-store.ts';
import { HistoryReads } from '../../projector/reads/history-reads.ts';
import { projectDocument } from '../../projector/rebuild/project-document.ts';
import { MongoProjectionStore } from '../../projector/store/mongo-projection-store.ts';
import { SqliteProjectionStore } from '../../projector/store/sqlite-projection-store.ts';
import { arrayHistory } from '../../projector/testing/array-history.ts';
import { idLookupsUseIndex } from '../../engine/store/mongo-reads.ts';
import { traceEvents } from '../../projector/testing/trace-events.ts';
import { services, uniqueName } from '../services.ts';

const TRACE = 'automerge-paper';
const DOC = 'automerge-paper';
const logger = createLogger('test', 'silent');
const available = traceAvailable(TRACE);
const trace: Trace | null = available ? loadTrace(TRACE) : null;
const events: SequencedOp[] = trace ? traceEvents(trace, DOC) : [];

/** Twenty versions spread at random over the history, the same in every run, plus the ends. */
function versionsToRead(head: number): number[] {
  let seed = 20240601;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const picked = Array.from({ length: 20 }, () => 1 + Math.floor(random() * head));
  return [...new Set([0, 1, ...picked, head])].sort((a, b) => a - b);
}

/**
 * The oracle: the trace's patches applied to a bare jumprope, which counts UTF-16 units.
 * The trace has no characters outside the Basic Multilingual Plane, where those are code
 * points too — the test checks that rather than assume it.
 */
function textsAt(versions: number[]): Map<number, string> {
  const rope = new JumpRope();
  const texts = new Map<number, string>([[0, '']]);
  let v = 0;
  for (const txn of trace!.txns) {
    for (const [pos, del, ins] of txn.patches) {
      if (del > 0) rope.del(pos, del);
      if (ins !== '') rope.insert(pos, ins);
      v++;
      if (versions.includes(v)) texts.set(v, rope.toString());
    }
  }
  return texts;
}

interface Stores {
  events: EventStore;
  projections: ProjectionStore;
  close(): Promise<void>;
}

/** Loads the history through the adapter's batched append and projects its snapshots. */
async function load(stores: Stores): Promise<void> {
  for (let i = 0; i < events.length; i += 10_000) {
    const { failures } = await stores.events.append(events.slice(i, i + 10_000));
    expect(failures).toEqual([]);
  }
  // Snapshots are projected from the events in memory: reading 259,778 events back is the
  // rebuild's job, measured by its benchmark, not this test's.
  await projectDocument(DOC, {
    events: arrayHistory(events),
    target: stores.projections,
    policy: DEFAULT_POLICY,
  });
}

function describeTextAtVersion(backend: string, open: () => Promise<Stores>) {
  describe(`text at version on ${backend}`, () => {
    let stores: Stores;

    beforeAll(async () => {
      stores = await open();
      await load(stores);
    }, 600_000);

    afterAll(async () => {
      await stores?.close();
    });

    it('equals the trace replayed to the same version, at twenty random versions and both ends', async () => {
      expect(
        trace!.txns.flatMap((t) => t.patches).some(([, , ins]) => /[\uD800-\uDFFF]/.test(ins)),
      ).toBe(false);
      const versions = versionsToRead(events.length);
      const expected = textsAt(versions);
      const reads = new HistoryReads({
        events: stores.events,
        projections: stores.projections,
        logger,
      });

      for (const v of versions) {
        expect(await reads.textAt(DOC, v), `version ${v}`).toEqual({ v, text: expected.get(v) });
      }
      expect(await reads.latestText(DOC)).toEqual({ v: events.length, text: trace!.endContent });
    }, 600_000);
  });
}

/** Only a server given by MONGO_URL can say this; the one the project builds uses its index. */
const LOOKUPS_SCAN =
  'the server scans its table for every _id lookup (FerretDB 1.24 as released does), which ' +
  'makes reads of a 259,778-event document take hours';

const client = new MongoClient(services.MONGO_URL);
const indexed = await mongoLooksUpByIndex();

/** Asks the server how it would find one event by `_id`, in a scratch database. */
async function mongoLooksUpByIndex(): Promise<boolean> {
  await client.connect();
  const db = client.db(uniqueName('id_lookups'));
  await db.collection<{ _id: string }>('events').insertOne({ _id: 'probe' });
  const answer = await idLookupsUseIndex(db, 'events');
  await db.dropDatabase();
  return answer;
}

describe.skipIf(!available)(available ? TRACE : traceMissingReason(TRACE), () => {
  describeTextAtVersion('the embedded SQLite stores', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'automerge-'));
    const eventStore = new SqliteEventStore(dir, { logger });
    const projections = new SqliteProjectionStore(path.join(dir, 'projections.sqlite'), { logger });
    await eventStore.init();
    await projections.init();
    return {
      events: eventStore,
      projections,
      close: async () => {
        await eventStore.close();
        await projections.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  });

  describe.skipIf(!indexed)(indexed ? 'MongoDB' : `MongoDB: skipped, ${LOOKUPS_SCAN}`, () => {
    describeTextAtVersion('MongoDB', async () => {
      const dbName = uniqueName('automerge');
      const db = client.db(dbName);
      const eventStore = new MongoEventStore(db, { logger });
      const projections = new MongoProjectionStore(db, { logger });
      await eventStore.init();
      await projections.init();
      return {
        events: eventStore,
        projections,
        close: async () => {
          await db.dropDatabase();
        },
      };
    });
  });

  afterAll(async () => {
    await client.close();
  });
});
