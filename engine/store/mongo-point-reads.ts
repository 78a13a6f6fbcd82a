/**
 * Reads built from `_id` lookups, for FerretDB on SQLite, where a lookup by `_id` is the one
 * query that does not decode the whole collection (see `mongo-reads.ts` for the measurements).
 */
import type { Collection } from 'mongodb';
import type { SequencedOp } from '../../common/protocol.ts';
import type { MongoHeads } from './mongo-heads.ts';
import type { IndexedReads } from './mongo-indexed-reads.ts';
import { eventId, fromRecord, type EventRecord } from './mongo-records.ts';
import type { MongoReads } from './mongo-reads.ts';
import type { MongoSources } from './mongo-sources.ts';

/**
 * When `_id` lookups scan the table, each costs as much as a short query, so past this many
 * versions a range is read with one query instead.
 */
export const SCANNING_RANGE_LIMIT = 16;

/** An open range is looked up in chunks that grow from the first to the largest. */
const FIRST_CHUNK = 16;
const LARGEST_CHUNK = 1_024;

/** Documents whose highest known version is remembered, the least recently learnt dropped. */
const KNOWN_HEADS_LIMIT = 10_000;

export class PointReads implements MongoReads {
  /**
   * Versions this store saw stored, per document: valid starts for the head search for as long
   * as events are never deleted, which the event store promises (a database dropped under a
   * running process is the one way to break it).
   */
  private readonly knownHeads = new Map<string, number>();

  constructor(
    private readonly events: Collection<EventRecord>,
    private readonly sources: MongoSources,
    private readonly heads: MongoHeads,
    private readonly fallback: IndexedReads,
    /** Lookups in flight at once for `range`. */
    private readonly concurrency: number,
    /** The longest range read with lookups: unbounded when lookups use the `_id` index. */
    private readonly rangeLimit = Number.POSITIVE_INFINITY,
  ) {}

  /**
   * Starts from the highest version this store has seen for the document, or else from the
   * `heads` entry; either way usually one lookup — the one past the head — settles it.
   */
  async head(doc: string): Promise<number> {
    const known = this.knownHeads.get(doc) ?? (await this.heads.knownVersion(doc));
    const head = await this.gallop(doc, known);
    this.remember(doc, head);
    return head;
  }

  /**
   * Version by version, a chunk of lookups at a time, until `to` or the first missing version
   * (every later one is missing too). An open range starts with a small chunk, since a reader
   * catching up usually finds only a few versions. Past `rangeLimit` versions, one query.
   */
  async range(doc: string, from: number, to: number): Promise<SequencedOp[]> {
    const after = Math.max(from, 0);
    if (Number.isFinite(to) && to - after > this.rangeLimit) {
      return this.fallback.range(doc, after, to);
    }
    const limit = Math.min(to, after + this.rangeLimit);
    let events: SequencedOp[] = [];
    let next = after;
    let chunk = FIRST_CHUNK;
    while (next < limit) {
      const end = Math.min(limit, next + chunk);
      const found = await this.lookupEach(doc, next, end);
      events = events.concat(found);
      if (found.length < end - next) return events;
      next = end;
      chunk = Math.min(chunk * 4, LARGEST_CHUNK);
    }
    if (next >= to) return events;
    return events.concat(await this.fallback.range(doc, next, to));
  }

  /**
   * The source's latest submission answers the common case — a client resubmitting its
   * in-flight operation — with two lookups. An older `seq`, or a `sources` entry that lags
   * behind `events` after a crash, takes the indexed query: a full scan on FerretDB, but only
   * on those rare recovery paths.
   */
  async findBySource(doc: string, src: string, seq: number): Promise<SequencedOp | null> {
    const latest = await this.sources.latest(doc, src);
    if (latest?.seq === seq) {
      const event = await this.lookup(doc, latest.v);
      if (event?.src === src && event.seq === seq) return event;
    }
    return this.fallback.findBySource(doc, src, seq);
  }

  async lastSeq(doc: string, src: string): Promise<number> {
    return (await this.sources.latest(doc, src))?.seq ?? 0;
  }

  noteAppended(events: readonly SequencedOp[]): void {
    for (const { doc, v } of events) this.remember(doc, v);
  }

  /**
   * Versions are appended contiguously from 1 and never deleted, so whether `${doc}/${v}`
   * exists is monotonic in v: every version up to the head exists, none above it does. That
   * makes the head findable by galloping from any version known to exist: double the step
   * until a probe misses, then binary-search between the last hit and the miss — about
   * 2·log2(distance) lookups; from a version near the head, one.
   */
  private async gallop(doc: string, known: number): Promise<number> {
    let step = 1;
    let missing = known + 1;
    while (await this.exists(doc, missing)) {
      known = missing;
      step *= 2;
      missing = known + step;
    }
    while (missing - known > 1) {
      const middle = Math.floor((known + missing) / 2);
      if (await this.exists(doc, middle)) known = middle;
      else missing = middle;
    }
    return known;
  }

  /**
   * Versions `after + 1 … end`, a few lookups in flight at once. The first missing version
   * ends the result, since every later one is missing too.
   */
  private async lookupEach(doc: string, after: number, end: number): Promise<SequencedOp[]> {
    const found: SequencedOp[] = [];
    let stop = end + 1;
    let next = after + 1;
    const worker = async () => {
      while (next < stop) {
        const v = next++;
        const event = await this.lookup(doc, v);
        if (event) found[v - after - 1] = event;
        else stop = Math.min(stop, v);
      }
    };
    await Promise.all(Array.from({ length: this.concurrency }, worker));
    return found.slice(0, Math.max(stop - after - 1, 0));
  }

  private remember(doc: string, v: number): void {
    if (v <= (this.knownHeads.get(doc) ?? 0)) return;
    this.knownHeads.delete(doc);
    this.knownHeads.set(doc, v);
    if (this.knownHeads.size > KNOWN_HEADS_LIMIT) {
      this.knownHeads.delete(this.knownHeads.keys().next().value!);
    }
  }

  private async lookup(doc: string, v: number): Promise<SequencedOp | null> {
    const record = await this.events.findOne({ _id: eventId(doc, v) });
    return record ? fromRecord(record) : null;
  }

  private async exists(doc: string, v: number): Promise<boolean> {
    const record = await this.events.findOne({ _id: eventId(doc, v) }, { projection: { _id: 1 } });
    return record !== null;
  }
}
