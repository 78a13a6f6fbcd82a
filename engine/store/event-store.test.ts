import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../common/logger.ts';
import type { SequencedOp } from '../../common/protocol.ts';
import { services, uniqueName } from '../../test/services.ts';
import {
  describeEventStoreContract,
  type EventStoreFixture,
} from '../ports/event-store.contract.ts';
import type { EventStore } from '../ports/event-store.ts';
import { MongoEventStore } from './mongo-event-store.ts';
import type { ReadStrategy } from './mongo-reads.ts';
import { HEADS, SOURCES, sourceId, type HeadRecord, type SourceRecord } from './mongo-records.ts';
import { SqliteEventStore } from './sqlite-event-store.ts';

const logger = createLogger('event-store-test', 'silent');

let client: MongoClient;
/** One database per read strategy, so that the full scans of one do not read the other's data. */
let databases: Record<ReadStrategy, Db>;

beforeAll(async () => {
  client = await MongoClient.connect(services.MONGO_URL);
  databases = {
    point: client.db(uniqueName('event_store_point')),
    indexed: client.db(uniqueName('event_store_indexed')),
  };
});

afterAll(async () => {
  await Promise.all(Object.values(databases).map((db) => db.dropDatabase()));
  await client.close();
});

/** Every store of a fixture has its own connection, as separate processes would. */
async function openMongoStore(reads: ReadStrategy): Promise<EventStore> {
  const own = await MongoClient.connect(services.MONGO_URL);
  const db = own.db(databases[reads].databaseName);
  const store = new MongoEventStore(db, { reads, client: own, logger });
  await store.init();
  return store;
}

function mongoFixture(reads: ReadStrategy) {
  return async (): Promise<EventStoreFixture> => {
    const stores = [await openMongoStore(reads)];
    return {
      store: stores[0]!,
      openPeer: async () => {
        stores.push(await openMongoStore(reads));
        return stores[stores.length - 1]!;
      },
      cleanup: async () => {
        await Promise.all(stores.map((s) => s.close()));
      },
    };
  };
}

async function sqliteFixture(): Promise<EventStoreFixture> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'event-store-'));
  const open = async () => {
    const store = new SqliteEventStore(directory, { logger });
    await store.init();
    return store;
  };
  const stores = [await open()];
  return {
    store: stores[0]!,
    openPeer: async () => {
      stores.push(await open());
      return stores[stores.length - 1]!;
    },
    cleanup: async () => {
      await Promise.all(stores.map((s) => s.close()));
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}

describeEventStoreContract('MongoEventStore with point lookups', mongoFixture('point'));
describeEventStoreContract('MongoEventStore with indexed queries', mongoFixture('indexed'));
describeEventStoreContract('SqliteEventStore', sqliteFixture);

const submission = (doc: string, v: number): SequencedOp => ({
  doc,
  v,
  src: 'src-a',
  seq: 1,
  op: ['x'],
  user: 'alice',
  ts: 1_700_000_000_000,
});

describe('MongoEventStore with point lookups', () => {
  it('refuses a resubmission as a duplicate and still finds it when sources lags behind events', async () => {
    const store = await openMongoStore('point');
    const doc = uniqueName('doc');
    const original = submission(doc, 1);
    await store.append([original]);
    // The summaries are written beside the caller's publish; a read waits for them, so the
    // delete below cannot be overtaken by the upsert it undoes.
    expect(await store.lastSeq(doc, 'src-a')).toBe(1);
    // The process crashed after inserting the event and before recording its source.
    await databases.point
      .collection<SourceRecord>(SOURCES)
      .deleteOne({ _id: sourceId(doc, 'src-a') });

    const seenAsNew = await store.lastSeq(doc, 'src-a');
    const resubmitted = await store.append([submission(doc, 2)]);

    expect(seenAsNew).toBe(0);
    expect(resubmitted.failures).toEqual([{ event: submission(doc, 2), reason: 'duplicate' }]);
    expect(await store.findBySource(doc, 'src-a', 1)).toEqual(original);
    expect(await store.head(doc)).toBe(1);
    await store.close();
  });

  it('finds the head from the events alone when the heads summary lags or is missing', async () => {
    const doc = uniqueName('doc');
    const writer = await openMongoStore('point');
    await writer.append(
      Array.from({ length: 37 }, (_, i) => ({ ...submission(doc, i + 1), seq: i + 1 })),
    );
    expect(await writer.head(doc)).toBe(37); // waits for the summaries, as above
    const heads = databases.point.collection<HeadRecord>(HEADS);
    const readers = [await openMongoStore('point'), await openMongoStore('point')];

    await heads.updateOne({ _id: doc }, { $set: { v: 5 } });
    const afterLag = await readers[0]!.head(doc);
    await heads.deleteOne({ _id: doc });
    const afterLoss = await readers[1]!.head(doc);

    expect(afterLag).toBe(37);
    expect(afterLoss).toBe(37);
    await Promise.all([writer, ...readers].map((store) => store.close()));
  });
});

describe('SqliteEventStore', () => {
  it('reads after a restart what it wrote before', async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'event-store-'));
    const before = new SqliteEventStore(directory, { logger });
    await before.init();
    const written = [submission('restarted', 1), { ...submission('restarted', 2), seq: 2 }];
    await before.append(written);
    await before.close();

    const after = new SqliteEventStore(directory, { logger });
    await after.init();

    expect(await after.head('restarted')).toBe(2);
    expect(await after.range('restarted', 0)).toEqual(written);
    expect(await after.findBySource('restarted', 'src-a', 2)).toEqual(written[1]);
    await after.close();
    fs.rmSync(directory, { recursive: true, force: true });
  });
});
