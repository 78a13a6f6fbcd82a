/**
 * How the MongoDB event store reads, chosen once at `init()` from the server it talks to.
 *
 * A real MongoDB answers every read through the unique `(doc, v)` and `(doc, src, seq)`
 * indexes in one query. FerretDB 1.24 on SQLite enforces those indexes but answers no query
 * from them. Only a filter of exactly `{_id}` reaches SQLite at all, and even that one scans
 * the table, because the SQL it generates does not match the expression of FerretDB's own
 * `_id` index. Such a scan runs in SQLite at about 150,000 rows a second and stops at the first
 * match; every other query decodes the whole collection in Go at about 10,000 documents a
 * second. So there a lookup by `_id` costs about a fifteenth of any other query, and the store
 * uses point lookups where a few of them answer, and one query where many would be needed.
 * Both strategies return the same results; only their cost differs.
 */
import type { Db } from 'mongodb';
import type { SequencedOp } from '../../common/protocol.ts';

export type ReadStrategy = 'point' | 'indexed';

export interface MongoReads {
  head(doc: string): Promise<number>;
  range(doc: string, from: number, to: number): Promise<SequencedOp[]>;
  findBySource(doc: string, src: string, seq: number): Promise<SequencedOp | null>;
  lastSeq(doc: string, src: string): Promise<number>;
  /** Learns of events just written; a strategy may use them to shorten later reads. */
  noteAppended(events: readonly SequencedOp[]): void;
}

/**
 * FerretDB adds `ferretdbVersion` to `buildInfo`; MongoDB does not. Point lookups are correct
 * on any server, so anything that looks like FerretDB gets them.
 */
export async function detectReadStrategy(db: Db): Promise<ReadStrategy> {
  const info = await db.admin().command({ buildInfo: 1 });
  return 'ferretdbVersion' in info ? 'point' : 'indexed';
}
