/**
 * The projection store port: where the projector keeps snapshots, revisions, its position in
 * each document, and the fields of `docs` it maintains. Two adapters implement it — MongoDB
 * (the distributed stack) and SQLite (the embedded mode) — and both pass the same contract
 * tests in `projection-store.contract.ts`.
 *
 * Every read names one record by document and number, so that the MongoDB adapter can answer
 * it with a single `_id` lookup (the only query FerretDB serves from an index).
 *
 * Projections live in numbered generations. Readers and the projector use the live one; a
 * rebuild fills a staging generation beside it and then makes it live by moving one pointer,
 * so nobody ever reads a half-rebuilt projection.
 */
import type {
  DocMetadata,
  ProjectionCommit,
  ProjectionState,
  Revision,
  Snapshot,
} from '../model/records.ts';

export interface ProjectionReader {
  /** The projector's position in a document, or null when it has projected nothing there. */
  state(doc: string): Promise<ProjectionState | null>;

  /** The snapshot at exactly version `v`, if one was written. */
  snapshot(doc: string, v: number): Promise<Snapshot | null>;

  /**
   * The latest text the projector wrote, at its head or a little behind it (one record per
   * document, replaced with every batch), or null before the first.
   */
  latest(doc: string): Promise<Snapshot | null>;

  /** Closed revision number `n` (from 1), if it was written. */
  revision(doc: string, n: number): Promise<Revision | null>;

  /** The projector's fields of the document's `docs` entry, if it has any. */
  metadata(doc: string): Promise<DocMetadata | null>;
}

export interface CommitOptions {
  /**
   * The generation the commit was computed against. When it is no longer live the commit is
   * refused with `GenerationChangedError` and nothing is written.
   */
  generation?: number;
}

export interface ProjectionWriter {
  /**
   * Writes the commits of one batch, each document's in this order: snapshots, closed
   * revisions, `docs` fields, and last the state that refers to them. A crash part-way
   * leaves the old state in place, and projecting the same operations again rewrites the same
   * records, so a retry converges on what an uninterrupted run would have stored.
   */
  commit(commits: readonly ProjectionCommit[], options?: CommitOptions): Promise<void>;
}

/** What the projector needs: read its position back and write what it projected. */
export interface ProjectionTarget extends ProjectionReader, ProjectionWriter {}

/** A generation being rebuilt: written like the live one, read by nobody but the rebuild. */
export interface StagingProjection extends ProjectionTarget {
  readonly generation: number;

  /**
   * Makes this generation live. `docs` fields take the staged values exactly (a normal
   * commit only ever raises them), so a rebuild also repairs a `docs` head that ran ahead.
   * Returns the generation that was live before.
   */
  publish(): Promise<number>;
}

export interface ProjectionStore extends ProjectionTarget {
  /** Creates collections, tables and indexes; safe to call more than once. */
  init(): Promise<void>;

  /** The live generation, re-read from the store. */
  refreshGeneration(): Promise<number>;

  /**
   * Every document the projection or `docs` knows of. It scans whole collections, which is
   * fine for operator tools and wrong for anything on a request path.
   */
  documents(): Promise<string[]>;

  /**
   * The staging generation for a rebuild under the policy `policyKey`: the one an
   * interrupted rebuild left, when it was started under the same policy and `fresh` is not
   * set, or else a new empty one.
   */
  openStaging(policyKey: string, options?: { fresh?: boolean }): Promise<StagingProjection>;

  /** Deletes every record of a generation that is not live. */
  dropGeneration(generation: number): Promise<void>;

  /**
   * Deletes one document's state, snapshots and revisions from the live generation, and
   * resets its `docs` head and contributors, so that projecting it again repairs them.
   */
  removeDocument(doc: string): Promise<void>;

  close(): Promise<void>;
}

/** A commit computed against a generation that is no longer live. */
export class GenerationChangedError extends Error {
  override readonly name = 'GenerationChangedError';

  constructor(
    readonly expected: number,
    readonly live: number,
  ) {
    super(`projection generation ${expected} is no longer live (now ${live})`);
  }
}
