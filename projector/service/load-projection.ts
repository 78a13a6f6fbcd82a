/**
 * Picking a document up: its stored state, and its text at the state's head rebuilt from the
 * latest snapshot and the operations after it. This is how the projector resumes after a
 * restart, a rebalance, or an eviction from its cache.
 */
import { CodePointRope } from '../../engine/ot/code-point-rope.ts';
import type { EventStore } from '../../engine/ports/event-store.ts';
import type { ProjectionPolicy } from '../config.ts';
import { DamagedHistoryError } from '../model/damaged-history.ts';
import { DocumentProjection } from '../model/document-projection.ts';
import { emptyState } from '../model/records.ts';
import type { ProjectionReader } from '../ports/projection-store.ts';
import { applyToRope, nearestSnapshot, readOperations } from '../reads/text-base.ts';

export async function loadProjection(
  doc: string,
  store: ProjectionReader,
  events: Pick<EventStore, 'range'>,
  policy: ProjectionPolicy,
): Promise<DocumentProjection> {
  const state = (await store.state(doc)) ?? emptyState(doc);
  const base = await nearestSnapshot(store, doc, state.snapshots, state.head);
  const ops = await readOperations(events, doc, base.v, state.head);
  if (base.v + ops.length !== state.head) {
    const missing = base.v + ops.length + 1;
    throw new DamagedHistoryError(doc, missing, `projected to ${state.head}, but not stored`);
  }
  const rope = new CodePointRope(base.text);
  applyToRope(rope, ops);
  return new DocumentProjection(state, rope, policy);
}
