/**
 * How the MongoDB event store reads, chosen once at `init()` from the server it talks to.
 *
 * A real MongoDB answers every read through the unique `(doc, v)` and `(doc, src, seq)`
 * indexes in one query. FerretDB 1.24 on SQLite enforces those indexes but answers no query
 * from them: only a filter of exactly `{_id}` reaches SQLite, and every other query decodes
 * the whole collection in Go, at about 5,000–7,000 documents a second here. A lookup by `_id`
 * costs about 0.7 ms once it uses the `_id` index, which the FerretDB the project builds does
 * (see `scripts/infra/ferretdb.ts`); the release as shipped scans the table for it too. So on
 * FerretDB the store reads with point lookups, and keeps to short ranges of them when the
 * server's `_id` lookups scan. Both strategies return the same results; only their cost differs.
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
 * Whether a lookup by `_id` is answered from an index, from the server's own query plan:
 * MongoDB's names IXSCAN or IDHACK, FerretDB's on SQLite names a SEARCH … USING INDEX or a SCAN.
 */
export async function idLookupsUseIndex(db: Db, collection: string): Promise<boolean> {
  const explained = await db.command({ explain: { find: collection, filter: { _id: 'probe' } } });
  const plan = JSON.stringify(explained);
  return !/SCAN [^"]*"|COLLSCAN/.test(plan.replace(/SEARCH [^"]*"/g, ''));
}

/**
 * FerretDB adds `ferretdbVersion` to `buildInfo`; MongoDB does not. Point lookups are correct
 * on any server, so anything that looks like FerretDB gets them.
 */
export async function detectReadStrategy(db: Db): Promise<ReadStrategy> {
  const info = await db.admin().command({ buildInfo: 1 });
  return 'ferretdbVersion' in info ? 'point' : 'indexed';
}
