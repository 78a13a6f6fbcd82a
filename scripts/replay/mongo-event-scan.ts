/**
 * The MongoDB event store's `events` collection, read with one cursor. On FerretDB a filter
 * on `doc` is evaluated in FerretDB itself, so even one document costs a pass over the
 * collection — still one pass, where lookups per version cost one query each.
 */
import type { Db } from 'mongodb';
import type { SequencedOp } from '../../common/protocol.ts';
import { EVENTS, fromRecord, type EventRecord } from '../../engine/store/mongo-records.ts';
import { orderedBatches, type EventScan } from './event-scan.ts';

const BATCH = 2_000;

export class MongoEventScan implements EventScan {
  constructor(private readonly db: Db) {}

  batches(doc?: string): AsyncIterable<SequencedOp[]> {
    const cursor = this.db
      .collection<EventRecord>(EVENTS)
      .find(doc === undefined ? {} : { doc }, { batchSize: BATCH });
    return orderedBatches(records(cursor), BATCH);
  }
}

async function* records(cursor: AsyncIterable<EventRecord>): AsyncIterable<SequencedOp> {
  for await (const record of cursor) yield fromRecord(record);
}
