/**
 * The newest text the projector wrote of a document, for the sequencer: when it picks up a
 * document it does not hold, it starts from this text and applies only the events after it.
 */
import type { SnapshotSource } from '../../engine/service/store-history.ts';
import type { ProjectionReader } from '../ports/projection-store.ts';
import { nearestSnapshot } from './text-base.ts';

/**
 * @example
 * const history = new StoreHistory(events, latestSnapshots(projections));
 */
export function latestSnapshots(
  reader: Pick<ProjectionReader, 'state' | 'snapshot' | 'latest'>,
): SnapshotSource {
  return {
    async latestSnapshot(doc) {
      const latest = await reader.latest(doc);
      if (latest && latest.v > 0) return { v: latest.v, text: latest.text };
      const state = await reader.state(doc);
      if (!state || state.snapshots.length === 0) return null;
      const snapshot = await nearestSnapshot(reader, doc, state.snapshots, state.head);
      return snapshot.v === 0 ? null : snapshot;
    },
  };
}
