/**
 * The projector's work on one batch of `ops.sequenced`: bring every document in it up to its
 * newest operation, then write what changed. The batch's offsets are committed only after the
 * write, so a crash at any point means the batch comes again — and projecting it again is
 * harmless, because the state written last says how far each document really got.
 */
import type { Logger } from '../../common/logger.ts';
import type { SequencedOp } from '../../common/protocol.ts';
import type { EventStore } from '../../engine/ports/event-store.ts';
import type { LogBatch } from '../../engine/ports/log.ts';
import type { ProjectionPolicy } from '../config.ts';
import { DamagedHistoryError } from '../model/damaged-history.ts';
import type { DocumentProjection } from '../model/document-projection.ts';
import type { ProjectionCommit } from '../model/records.ts';
import { GenerationChangedError, type ProjectionTarget } from '../ports/projection-store.ts';
import { readOperations } from '../reads/text-base.ts';
import { DocumentCache } from './document-cache.ts';
import { loadProjection } from './load-projection.ts';
import { operationsByDocument, parseSequenced } from './sequenced-message.ts';

/** The store the projector writes to; a live store also names its live generation. */
export type ProjectorStore = ProjectionTarget & { refreshGeneration?(): Promise<number> };

export interface ProjectorCounters {
  batches: number;
  /** Operations applied, whether they came from the log or filled a gap from the store. */
  applied: number;
  /** Operations at or below a document's projected head: redelivered, skipped. */
  skipped: number;
  /** Operations read from the event store to fill a gap the log left. */
  filled: number;
}

export interface ProjectorOptions {
  events: Pick<EventStore, 'range'>;
  store: ProjectorStore;
  policy: ProjectionPolicy;
  logger: Logger;
  maxCachedDocuments: number;
}

export class Projector {
  readonly counters: ProjectorCounters = { batches: 0, applied: 0, skipped: 0, filled: 0 };
  private readonly cache: DocumentCache;
  private readonly damaged = new Set<string>();
  private generation: number | undefined;

  constructor(private readonly options: ProjectorOptions) {
    this.cache = new DocumentCache(options.maxCachedDocuments);
  }

  /**
   * Projects one batch and writes the result; rejects, leaving the batch to be delivered
   * again, when anything could not be read or written.
   */
  async project(batch: LogBatch): Promise<void> {
    const generation = await this.followGeneration();
    const byDoc = operationsByDocument(this.parse(batch));
    const commits: ProjectionCommit[] = [];
    try {
      for (const [doc, ops] of byDoc) {
        const commit = await this.projectDocument(doc, batch.partition, ops);
        if (commit) commits.push(commit);
      }
      await this.options.store.commit(commits, { generation });
    } catch (error) {
      this.forgetAfterFailure([...byDoc.keys()], error);
      throw error;
    }
    this.cache.trim();
    this.counters.batches++;
  }

  /** Forgets documents of partitions this process no longer owns. */
  release(partitions: readonly number[]): void {
    this.cache.evictPartitions(partitions);
  }

  private async projectDocument(
    doc: string,
    partition: number,
    ops: SequencedOp[],
  ): Promise<ProjectionCommit | null> {
    if (this.damaged.has(doc)) return null;
    try {
      const projection = await this.documentFor(doc, partition);
      for (const op of ops) await this.advance(projection, op);
      return projection.takeCommit();
    } catch (error) {
      if (!(error instanceof DamagedHistoryError)) throw error;
      this.stopProjecting(doc, partition, error);
      return null;
    }
  }

  /**
   * 1. A rebalance or restart delivers again operations that were already projected and
   *    stored; their version is at or below the head, and they are skipped.
   * 2. Offsets can also run ahead of the stored state — a rebuild reset the state, or the
   *    log lost old records to retention — so the next operation lies beyond head + 1.
   *    The event store has every version, and the gap is filled from it first.
   */
  private async advance(projection: DocumentProjection, op: SequencedOp): Promise<void> {
    if (op.v <= projection.head) {
      this.counters.skipped++;
      return;
    }
    if (op.v > projection.head + 1) await this.fillGap(projection, op.v - 1);
    projection.apply(op);
    this.counters.applied++;
  }

  private async fillGap(projection: DocumentProjection, to: number): Promise<void> {
    const { doc, head } = projection;
    const missing = await readOperations(this.options.events, doc, head, to);
    if (head + missing.length < to) {
      throw new DamagedHistoryError(doc, head + missing.length + 1, 'sequenced but not stored');
    }
    for (const op of missing) projection.apply(op);
    this.counters.filled += missing.length;
    this.counters.applied += missing.length;
  }

  private async documentFor(doc: string, partition: number): Promise<DocumentProjection> {
    const cached = this.cache.get(doc);
    if (cached) return cached;
    const { store, events, policy } = this.options;
    const projection = await loadProjection(doc, store, events, policy);
    this.cache.set(doc, partition, projection);
    return projection;
  }

  /**
   * A rebuild may have made another generation live since the last batch; everything held in
   * memory then describes collections nobody reads, and documents are picked up afresh.
   */
  private async followGeneration(): Promise<number | undefined> {
    const generation = await this.options.store.refreshGeneration?.();
    if (generation !== this.generation) {
      this.cache.clear();
      this.damaged.clear();
      this.generation = generation;
    }
    return generation;
  }

  /**
   * Documents of a failed batch have advanced in memory past what is stored. Were they kept,
   * the batch's redelivery would be skipped as already projected and its records never
   * written, so they are dropped and picked up again from the store.
   */
  private forgetAfterFailure(docs: string[], error: unknown): void {
    if (error instanceof GenerationChangedError) this.cache.clear();
    for (const doc of docs) this.cache.evict(doc);
  }

  private stopProjecting(doc: string, partition: number, error: DamagedHistoryError): void {
    this.damaged.add(doc);
    this.cache.evict(doc);
    this.options.logger.error(
      { doc, partition, v: error.v, err: error },
      'document history is damaged; its projection stops here until a person repairs it',
    );
  }

  private parse(batch: LogBatch): SequencedOp[] {
    const ops: SequencedOp[] = [];
    for (const message of batch.messages) {
      const parsed = parseSequenced(message);
      if (parsed.kind === 'op') ops.push(parsed.op);
      else if (parsed.kind === 'malformed') {
        this.options.logger.warn(
          {
            partition: batch.partition,
            offset: message.offset,
            key: message.key,
            reason: parsed.reason,
          },
          'skipped a malformed record on ops.sequenced',
        );
      }
    }
    return ops;
  }
}
