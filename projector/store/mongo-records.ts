/**
 * The records the MongoDB projection store keeps, and their `_id`s. Every key starts with the
 * document id, which never contains `/`, so `${doc}/${v}` keys cannot collide across documents.
 */
import type { DocMetadata, ProjectionState, Revision, Snapshot } from '../model/records.ts';
import type { GenerationPointer } from './generations.ts';

export interface SnapshotRecord extends Snapshot {
  _id: string;
}

export interface RevisionRecord extends Revision {
  _id: string;
}

export interface StateRecord extends ProjectionState {
  _id: string;
}

/** The projector's fields of a `docs` entry; the gateway owns the others. */
export interface DocFieldsRecord {
  _id: string;
  head?: number;
  updatedAt?: number;
  contributors?: string[];
}

export interface PointerRecord extends GenerationPointer {
  _id: string;
}

export const DOCS = 'docs';
export const META = 'projection_meta';
export const POINTER_ID = 'generation';

export const snapshotId = (doc: string, v: number): string => `${doc}/${v}`;
export const revisionId = (doc: string, n: number): string => `${doc}/${n}`;

export function toSnapshotRecord(snapshot: Snapshot): SnapshotRecord {
  const { doc, v, text, ts } = snapshot;
  return { _id: snapshotId(doc, v), doc, v, text, ts };
}

export function fromSnapshotRecord(record: SnapshotRecord): Snapshot {
  const { doc, v, text, ts } = record;
  return { doc, v, text, ts };
}

export function toRevisionRecord(revision: Revision): RevisionRecord {
  return { _id: revisionId(revision.doc, revision.n), ...copyRevision(revision) };
}

export function fromRevisionRecord(record: RevisionRecord): Revision {
  return copyRevision(record);
}

export function toStateRecord(state: ProjectionState): StateRecord {
  return { _id: state.doc, ...copyState(state) };
}

export function fromStateRecord(record: StateRecord): ProjectionState {
  return copyState(record);
}

export function fromDocFields(record: DocFieldsRecord): DocMetadata {
  return {
    doc: record._id,
    head: record.head ?? 0,
    updatedAt: record.updatedAt ?? 0,
    contributors: record.contributors ?? [],
  };
}

/** Only the known fields, so that `_id` and anything a server adds stay out of results. */
function copyRevision(revision: Revision): Revision {
  const { doc, n, from, to, authors, start, end, inserted, deleted } = revision;
  return { doc, n, from, to, authors, start, end, inserted, deleted };
}

function copyState(state: ProjectionState): ProjectionState {
  const { doc, head, updatedAt, snapshots, snapshotTs, closedRevisions, open } = state;
  return {
    doc,
    head,
    updatedAt,
    snapshots,
    snapshotTs,
    closedRevisions,
    open: open ? copyRevision(open) : null,
  };
}
