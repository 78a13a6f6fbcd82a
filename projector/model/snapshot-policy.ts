/**
 * When the projector writes a snapshot: after `snapshotEvery` operations, or at the first
 * operation `snapshotSeconds` after the last snapshot's version, whichever comes first. Both
 * bound the events a reader applies on top of the nearest snapshot — the count for busy
 * documents, the time for documents typed slowly over a long while.
 */
import type { SequencedOp } from '../../common/protocol.ts';
import type { ProjectionPolicy } from '../config.ts';
import type { ProjectionState } from './records.ts';

type SnapshotPolicy = Pick<ProjectionPolicy, 'snapshotEvery' | 'snapshotSeconds'>;

/** Whether the version `event` creates gets a snapshot; `state` is before the event. */
export function snapshotDue(
  state: ProjectionState,
  event: SequencedOp,
  policy: SnapshotPolicy,
): boolean {
  const last = state.snapshots[state.snapshots.length - 1] ?? 0;
  if (event.v - last >= policy.snapshotEvery) return true;
  // Before the first operation there is no time to measure from.
  if (state.head === 0) return false;
  return event.ts - state.snapshotTs >= policy.snapshotSeconds * 1000;
}
