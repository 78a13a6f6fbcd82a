/**
 * The event store on MongoDB or any server that speaks its wire protocol (FerretDB locally).
 *
 * `events` holds one document per version, `{_id: "doc/v", doc, v, src, seq, op, user, ts}`,
 * unique on `(doc, v)` (the `_id`) and on `(doc, src, seq)`: those two keys are the final guard
 * of fencing and exactly-once effects, whatever any process believes. `sources` summarises the
 * latest submission of every source per document (see `mongo-sources.ts`). Nothing here needs
 * transactions or change streams.
 */
import { MongoClient, type Db } from 'mongodb';
import { loadConfig } from '../../common/config.ts';
import { createLogger, type Logger } from '../../common/logger.ts';
import type { SequencedOp } from '../../common/protocol.ts';
import type { AppendFailure, AppendResult, EventStore } from '../ports/event-store.ts';
import { splitByDocument } from './append-rules.ts';
import { appendDocument } from './mongo-append.ts';
import { IndexedReads } from './mongo-indexed-reads.ts';
import { PointReads, SCANNING_RANGE_LIMIT } from './mongo-point-reads.ts';
import {
  detectReadStrategy,
  idLookupsUseIndex,
  type MongoReads,
  type ReadStrategy,
} from './mongo-reads.ts';
import { MongoHeads } from './mongo-heads.ts';
import {
  EVENTS,
  HEADS,
  SOURCES,
  type EventRecord,
  type HeadRecord,
  type SourceRecord,
} from './mongo-records.ts';
import { MongoSources } from './mongo-sources.ts';

export interface MongoEventStoreOptions {
  /** `auto` (the default) picks point lookups on FerretDB and indexed queries elsewhere. */
  reads?: ReadStrategy | 'auto';
  /** Point lookups in flight at once when reading a range; 8 by default. */
  lookupConcurrency?: number;
  /** A client the store closes on `close()`, when the store was the one to connect it. */
  client?: MongoClient;
  logger?: Logger;
}

export class MongoEventStore implements EventStore {
  private readonly events;
  private readonly sources;
  private readonly heads;
  private readonly logger: Logger;
  private strategy: ReadStrategy | null = null;
  private reads: MongoReads | null = null;
  private closed = false;
  /** Summary writes still in flight; reads that use the summaries wait for them. */
  private summaries: Promise<unknown> = Promise.resolve();

  /**
   * Takes a database handle and touches nothing until `init()`.
   *
   * @example
   * const store = new MongoEventStore(client.db('collab'));
   * await store.init();
   * const { appended, failures } = await store.append(events);
   */
  constructor(
    private readonly db: Db,
    private readonly options: MongoEventStoreOptions = {},
  ) {
    this.events = db.collection<EventRecord>(EVENTS);
    this.sources = new MongoSources(db.collection<SourceRecord>(SOURCES));
    this.heads = new MongoHeads(db.collection<HeadRecord>(HEADS));
    this.logger = options.logger ?? createLogger('event-store');
  }

  async init(): Promise<void> {
    const strategy = (this.strategy ??= await this.chooseStrategy());
    await this.createIndexes(strategy);
    if (this.reads) return;
    const indexed = new IndexedReads(this.events);
    const lookupsIndexed = strategy === 'point' && (await idLookupsUseIndex(this.db, EVENTS));
    if (strategy === 'point' && !lookupsIndexed) {
      this.logger.warn(
        'the server scans its table for every _id lookup (FerretDB 1.24 as released does); ' +
          'reads will slow down as the event store grows. `npm run services -- up` builds a ' +
          'FerretDB that uses its _id index',
      );
    }
    this.reads =
      strategy === 'indexed'
        ? indexed
        : new PointReads(
            this.events,
            this.sources,
            this.heads,
            indexed,
            this.options.lookupConcurrency ?? 8,
            lookupsIndexed ? Number.POSITIVE_INFINITY : SCANNING_RANGE_LIMIT,
          );
    this.logger.info(
      { db: this.db.databaseName, reads: strategy, lookupsIndexed },
      'event store ready',
    );
  }

  /**
   * Documents are written in parallel, each with one ordered insert (see `mongo-append.ts`).
   * The `sources` and `heads` summaries are updated after the events are stored, without
   * holding up the caller, which publishes meanwhile: their `$max` updates may land in any
   * order, and this store's own reads of them wait until they have (`settled`).
   */
  async append(events: readonly SequencedOp[]): Promise<AppendResult> {
    const reads = this.ready();
    const byDoc = splitByDocument(events);
    const outcomes = await Promise.all(
      [...byDoc.values()].map((batch) => appendDocument(this.events, batch)),
    );

    const written = new Set(outcomes.flatMap((outcome) => outcome.appended));
    const appended = events.filter((event) => written.has(event));
    const failures = outcomes.flatMap((o): AppendFailure[] => (o.failure ? [o.failure] : []));
    reads.noteAppended(appended);
    this.summaries = Promise.all([this.summaries, this.recordSummaries(appended)]);
    return { appended, failures };
  }

  async head(doc: string): Promise<number> {
    await this.settled();
    return this.ready().head(doc);
  }

  async range(doc: string, from: number, to?: number): Promise<SequencedOp[]> {
    return this.ready().range(doc, from, to ?? Number.POSITIVE_INFINITY);
  }

  async findBySource(doc: string, src: string, seq: number): Promise<SequencedOp | null> {
    await this.settled();
    return this.ready().findBySource(doc, src, seq);
  }

  async lastSeq(doc: string, src: string): Promise<number> {
    await this.settled();
    return this.ready().lastSeq(doc, src);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.settled();
    await this.options.client?.close();
  }

  /**
   * A stale `heads` entry only makes the head search start further back. A failure here leaves
   * `sources` behind `events`, which the unique indexes make safe:
   *
   * 1. The events insert succeeds; the process crashes (or this update fails) before `sources`
   *    records seq 7 of source A, so `lastSeq(doc, A)` still answers 6.
   * 2. Client A reconnects and resubmits seq 7. The sequencer believes it new, transforms it
   *    and appends it at a fresh version.
   * 3. The unique `(doc, src, seq)` index refuses it, and `append` reports it as `duplicate`.
   * 4. The caller reloads: `findBySource` misses the `sources` shortcut, falls back to the
   *    indexed query and finds the stored event, so the client learns its original version.
   */
  private async recordSummaries(appended: SequencedOp[]): Promise<void> {
    const summaries = await Promise.allSettled([
      this.sources.record(appended),
      this.heads.record(appended),
    ]);
    for (const summary of summaries) {
      if (summary.status === 'fulfilled') continue;
      this.logger.warn({ err: summary.reason, events: appended.length }, 'summary not updated');
    }
  }

  /**
   * The unique key `(doc, v)` is the `_id` itself (`doc/v`, see `mongo-records.ts`), which
   * every server enforces. Where reads query by `(doc, v)` (MongoDB) it gets its own unique
   * index as well. FerretDB answers no query from a secondary index, so there that index would
   * only repeat the `_id` check; dropping it there raised `npm run bench:engine -- --only stack`
   * by about a tenth (23,796 and 24,487 ops/s with it, 26,014 and 27,177 without).
   *
   * One index per command: FerretDB 1.24 drops the connection when a single createIndexes
   * names several indexes that all exist already, which every init() after the first does.
   */
  private async createIndexes(strategy: ReadStrategy): Promise<void> {
    if (strategy === 'indexed')
      await this.events.createIndex({ doc: 1, v: 1 }, { name: 'doc_v', unique: true });
    await this.events.createIndex(
      { doc: 1, src: 1, seq: 1 },
      { name: 'doc_src_seq', unique: true },
    );
  }

  /** Never rejects: `recordSummaries` logs its failures. */
  private async settled(): Promise<void> {
    await this.summaries;
  }

  private async chooseStrategy(): Promise<ReadStrategy> {
    const wanted = this.options.reads ?? 'auto';
    return wanted === 'auto' ? detectReadStrategy(this.db) : wanted;
  }

  private ready(): MongoReads {
    this.ensureOpen();
    if (!this.reads) throw new Error('the event store is not initialised: call init() first');
    return this.reads;
  }

  private ensureOpen(): void {
    if (this.closed) throw new Error('the event store is closed');
  }
}

/**
 * Connects to `MONGO_URL`, opens `MONGO_DB` and initialises the store, which owns the
 * connection from then on and closes it with `close()`.
 *
 * @example
 * const store = await connectMongoEventStore();
 */
export async function connectMongoEventStore(
  config: { MONGO_URL: string; MONGO_DB: string } = loadConfig(),
  options: Omit<MongoEventStoreOptions, 'client'> = {},
): Promise<MongoEventStore> {
  const client = await MongoClient.connect(config.MONGO_URL);
  const store = new MongoEventStore(client.db(config.MONGO_DB), { ...options, client });
  try {
    await store.init();
  } catch (error) {
    await client.close();
    throw error;
  }
  return store;
}
