/** Small, valid projection records for tests of the stores and readers. */
import type { ProjectionCommit, ProjectionState, Revision, Snapshot } from '../model/records.ts';

let next = 0;

/** A document id no other test in the run uses. */
export function testDocId(prefix = 'doc'): string {
  next += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${next}`;
}

export function revisionOf(doc: string, n: number, fields: Partial<Revision> = {}): Revision {
  return {
    doc,
    n,
    from: n * 10 - 9,
    to: n * 10,
    authors: ['ann'],
    start: 1_000 * n,
    end: 1_000 * n + 500,
    inserted: 10,
    deleted: 0,
    ...fields,
  };
}

export function snapshotOf(doc: string, v: number, text = `text at ${v}`): Snapshot {
  return { doc, v, text, ts: 1_000 + v };
}

/** A commit that brings `doc` to `head`, with the given snapshots and closed revisions. */
export function commitOf(
  doc: string,
  head: number,
  records: {
    snapshots?: Snapshot[];
    revisions?: Revision[];
    contributors?: string[];
    latest?: Snapshot;
  } = {},
  state: Partial<ProjectionState> = {},
): ProjectionCommit {
  const snapshots = records.snapshots ?? [];
  const revisions = records.revisions ?? [];
  return {
    snapshots,
    revisions,
    contributors: records.contributors ?? ['ann'],
    ...(records.latest ? { latest: records.latest } : {}),
    state: {
      doc,
      head,
      updatedAt: 1_000 + head,
      snapshots: snapshots.map((s) => s.v),
      snapshotTs: snapshots.at(-1)?.ts ?? 0,
      closedRevisions: revisions.at(-1)?.n ?? 0,
      open: revisionOf(doc, (revisions.at(-1)?.n ?? 0) + 1, { to: head }),
      ...state,
    },
  };
}
