/**
 * The `heads` collection: for every document, a version known to be stored — the highest one
 * recorded after an append — keyed by the document id, so that it is read with one `_id`
 * lookup in a collection of one entry per document. On servers where no query uses an index,
 * it gives the head search a start near the head instead of at version 1. It is written after
 * the events and may lag behind them, never run ahead: the search goes on from it.
 */
import type { AnyBulkWriteOperation, Collection } from 'mongodb';
import type { SequencedOp } from '../../common/protocol.ts';
import type { HeadRecord } from './mongo-records.ts';

export class MongoHeads {
  constructor(private readonly heads: Collection<HeadRecord>) {}

  /** A stored version of the document, 0 when none was recorded. */
  async knownVersion(doc: string): Promise<number> {
    return (await this.heads.findOne({ _id: doc }))?.v ?? 0;
  }

  /** Raises each document's entry to the highest of the versions just appended. */
  async record(appended: readonly SequencedOp[]): Promise<void> {
    const highest = new Map<string, number>();
    for (const { doc, v } of appended) highest.set(doc, Math.max(v, highest.get(doc) ?? 0));
    const updates: AnyBulkWriteOperation<HeadRecord>[] = [...highest].map(([_id, v]) => ({
      updateOne: { filter: { _id }, update: { $max: { v } }, upsert: true },
    }));
    if (updates.length === 0) return;
    try {
      await this.heads.bulkWrite(updates, { ordered: false });
    } catch {
      // As in `sources`: a concurrent upsert of the same new `_id` may lose with a duplicate
      // key, and the retry then updates the entry the other store created.
      await this.heads.bulkWrite(updates, { ordered: false });
    }
  }
}
