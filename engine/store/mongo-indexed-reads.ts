/**
 * Reads answered by the unique `(doc, v)` and `(doc, src, seq)` indexes: one query each on a
 * real MongoDB. On FerretDB the same queries are correct but scan the whole collection, so
 * there they serve only as the point-lookup strategy's rare fallback.
 */
import type { Collection, Filter } from 'mongodb';
import type { SequencedOp } from '../../common/protocol.ts';
import { fromRecord, type EventRecord } from './mongo-records.ts';
import type { MongoReads } from './mongo-reads.ts';

export class IndexedReads implements MongoReads {
  constructor(private readonly events: Collection<EventRecord>) {}

  async head(doc: string): Promise<number> {
    const latest = await this.events.findOne({ doc }, { sort: { v: -1 }, projection: { v: 1 } });
    return latest?.v ?? 0;
  }

  async range(doc: string, from: number, to: number): Promise<SequencedOp[]> {
    const versions: Filter<EventRecord>['v'] = Number.isFinite(to)
      ? { $gt: from, $lte: to }
      : { $gt: from };
    const records = await this.events.find({ doc, v: versions }).sort({ v: 1 }).toArray();
    return records.map(fromRecord);
  }

  async findBySource(doc: string, src: string, seq: number): Promise<SequencedOp | null> {
    const record = await this.events.findOne({ doc, src, seq });
    return record ? fromRecord(record) : null;
  }

  noteAppended(): void {
    // Every read is one indexed query already; there is nothing to shorten.
  }

  async lastSeq(doc: string, src: string): Promise<number> {
    const latest = await this.events.findOne(
      { doc, src },
      { sort: { seq: -1 }, projection: { seq: 1 } },
    );
    return latest?.seq ?? 0;
  }
}
