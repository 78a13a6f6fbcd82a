/**
 * The `sources` collection: for every `(doc, src)`, the latest `seq` sequenced and its version,
 * keyed `${doc}/${src}` so that it is read with one `_id` point lookup. It turns `lastSeq` and
 * the common `findBySource` into point lookups on servers that cannot use the `(doc, src, seq)`
 * index for queries. It is a summary written after the events, never the guard: the unique
 * indexes of `events` are.
 */
import type { AnyBulkWriteOperation, Collection } from 'mongodb';
import type { SequencedOp } from '../../common/protocol.ts';
import { sourceId, type SourceRecord } from './mongo-records.ts';

export interface LatestSubmission {
  seq: number;
  v: number;
}

export class MongoSources {
  constructor(private readonly sources: Collection<SourceRecord>) {}

  async latest(doc: string, src: string): Promise<LatestSubmission | null> {
    return this.sources.findOne({ _id: sourceId(doc, src) });
  }

  /**
   * Raises each source's entry to the latest of the events just appended. `$max` keeps the
   * entry correct when two stores record the same source out of order. It is applied to `seq`
   * and `v` separately, which is sound because one source's submissions to one document are
   * sequenced in `seq` order: the highest `seq` always has the highest version.
   */
  async record(appended: readonly SequencedOp[]): Promise<void> {
    const updates = upserts(latestPerSource(appended));
    if (updates.length === 0) return;
    try {
      await this.sources.bulkWrite(updates, { ordered: false });
    } catch {
      // Two stores upserting the same new `_id` at once can make one of them fail with a
      // duplicate key; the entry exists now, so the second attempt updates it.
      await this.sources.bulkWrite(updates, { ordered: false });
    }
  }
}

function latestPerSource(events: readonly SequencedOp[]): Map<string, LatestSubmission> {
  const latest = new Map<string, LatestSubmission>();
  for (const { doc, src, seq, v } of events) {
    const id = sourceId(doc, src);
    const known = latest.get(id);
    if (!known || seq > known.seq) latest.set(id, { seq, v });
  }
  return latest;
}

function upserts(latest: Map<string, LatestSubmission>): AnyBulkWriteOperation<SourceRecord>[] {
  return [...latest].map(([_id, { seq, v }]) => ({
    updateOne: { filter: { _id }, update: { $max: { seq, v } }, upsert: true },
  }));
}
