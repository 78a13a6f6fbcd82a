/** An event store's `range` over events held in memory, for feeding tests and benchmarks. */
import type { SequencedOp } from '../../common/protocol.ts';
import type { EventStore } from '../../engine/ports/event-store.ts';

/** `events` must be one document's, with versions 1, 2, 3 … in order. */
export function arrayHistory(events: readonly SequencedOp[]): Pick<EventStore, 'range'> {
  return {
    async range(_doc, from, to = Number.POSITIVE_INFINITY) {
      return events.slice(Math.max(from, 0), Math.min(to, events.length));
    },
  };
}
