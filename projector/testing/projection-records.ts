/** Everything a projection holds for one document, read back through the port, for comparing. */
import type { DocMetadata, ProjectionState, Revision, Snapshot } from '../model/records.ts';
import type { ProjectionReader } from '../ports/projection-store.ts';

export interface ProjectionRecords {
  state: ProjectionState | null;
  snapshots: Array<Snapshot | null>;
  revisions: Array<Revision | null>;
  metadata: DocMetadata | null;
}

export async function projectionRecords(
  reader: ProjectionReader,
  doc: string,
): Promise<ProjectionRecords> {
  const state = await reader.state(doc);
  const snapshots = await Promise.all((state?.snapshots ?? []).map((v) => reader.snapshot(doc, v)));
  const closed = Array.from({ length: state?.closedRevisions ?? 0 }, (_, i) => i + 1);
  const revisions = await Promise.all(closed.map((n) => reader.revision(doc, n)));
  return { state, snapshots, revisions, metadata: await reader.metadata(doc) };
}
