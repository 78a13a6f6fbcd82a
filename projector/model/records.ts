/**
 * What the projector derives from the event store and keeps: snapshots, revisions, the
 * projector's own position in each document, and the document fields it maintains in `docs`.
 * All of it can be thrown away and rebuilt from the events.
 */

/** The full text of a document at a version. */
export interface Snapshot {
  doc: string;
  v: number;
  text: string;
  /** The time the version was sequenced, in milliseconds since the epoch. */
  ts: number;
}

/**
 * One entry of the history a person browses: a run of consecutive versions `from … to` that
 * one author, or several people working together, typed without pausing. Revision `n` of a
 * document (counted from 1) turns version `from − 1` into version `to`.
 */
export interface Revision {
  doc: string;
  n: number;
  from: number;
  to: number;
  /** Everyone who edited in the revision, in the order they first did. */
  authors: string[];
  /** The times of the first and last operation, in milliseconds since the epoch. */
  start: number;
  end: number;
  /** Code points inserted and deleted, summed over the revision's operations. */
  inserted: number;
  deleted: number;
}

/**
 * The projector's position in one document, written after everything it describes. After a
 * crash the projector resumes from here, and readers find snapshots and revisions through it.
 */
export interface ProjectionState {
  doc: string;
  /** The last version projected; 0 before the first. */
  head: number;
  /** When the head version was sequenced (0 before the first). */
  updatedAt: number;
  /** Every version that has a snapshot, ascending. Version 0 (empty text) never needs one. */
  snapshots: number[];
  /** The time of the latest snapshot's version, or of version 1 while there is none. */
  snapshotTs: number;
  /** How many revisions are closed and stored; the open one, if any, is number `closed + 1`. */
  closedRevisions: number;
  /** The revision still growing: the next operation may extend it. */
  open: Revision | null;
}

/** The fields of a document's `docs` entry that the projector maintains. */
export interface DocMetadata {
  doc: string;
  head: number;
  updatedAt: number;
  contributors: string[];
}

/** Everything one batch changed in one document, written in the order the fields appear. */
export interface ProjectionCommit {
  snapshots: Snapshot[];
  /** Revisions that closed during the batch. */
  revisions: Revision[];
  /** Authors of the batch's operations, added to the document's contributors. */
  contributors: string[];
  /**
   * The text at the state's head, replacing the document's previous latest text: joins start
   * from it and read only the operations the projector has not reached yet.
   */
  latest?: Snapshot;
  state: ProjectionState;
}

export function emptyState(doc: string): ProjectionState {
  return {
    doc,
    head: 0,
    updatedAt: 0,
    snapshots: [],
    snapshotTs: 0,
    closedRevisions: 0,
    open: null,
  };
}

/** The revisions a state makes visible: the closed ones, then the open one. */
export function revisionCount(state: ProjectionState): number {
  return state.closedRevisions + (state.open ? 1 : 0);
}
