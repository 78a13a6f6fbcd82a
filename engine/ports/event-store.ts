/**
 * The event store port: the append-only history of every document. Two adapters implement
 * it — MongoDB (the distributed stack) and SQLite (the embedded mode) — and both pass the
 * same contract tests in `event-store.contract.ts`.
 */
import type { SequencedOp } from '../../common/protocol.ts';

export interface AppendFailure {
  event: SequencedOp;
  /**
   * `conflict`: `(doc, v)` exists — another sequencer advanced the document (fencing).
   * `duplicate`: `(doc, src, seq)` exists — the submission was sequenced before.
   */
  reason: 'conflict' | 'duplicate';
}

/**
 * The outcome of appending a batch. Each document's events are written in version order and
 * writing that document stops at its first failure; documents are independent of each other.
 *
 * Why a document stops at its first failure: a zombie sequencer holding a stale head appends
 * v=5' and v=6'. Another sequencer already stored v=5, so 5' is refused. If 6' were still
 * written, the store would hold 5 followed by an operation built on 5' — a forked history.
 */
export interface AppendResult {
  /** The events written, in the order given. */
  appended: SequencedOp[];
  /** At most one per document: the first event of that document that was not written. */
  failures: AppendFailure[];
}

export interface EventStore {
  /** Creates collections and unique indexes; safe to call more than once. */
  init(): Promise<void>;

  append(events: readonly SequencedOp[]): Promise<AppendResult>;

  /** The highest stored version of a document, 0 when it has no events. */
  head(doc: string): Promise<number>;

  /** Events with `from < v <= to` in ascending order; `to` defaults to the head. */
  range(doc: string, from: number, to?: number): Promise<SequencedOp[]>;

  /** The event a submission became, if `(doc, src, seq)` was sequenced. */
  findBySource(doc: string, src: string, seq: number): Promise<SequencedOp | null>;

  /** The highest `seq` sequenced from `src` in a document, 0 when none. */
  lastSeq(doc: string, src: string): Promise<number>;

  close(): Promise<void>;
}
