/**
 * Reading the whole event store in one pass, for the commands that cover every document.
 *
 * Rebuilding or verifying everything must read every event anyway, and one sequential scan
 * of the events is far cheaper than a lookup per version: on FerretDB each lookup is a
 * separate query, and a per-document query scans the whole collection. A scan also finds
 * every document that has history, whether or not `docs` lists it.
 *
 * The scans read the storage layout the event store adapters document
 * (`{doc, v, src, seq, op, user, ts}`), not the port, which has no such operation.
 */
import type { SequencedOp } from '../../common/protocol.ts';

export interface EventScan {
  /**
   * Every stored event, or only `doc`'s, in batches. Documents interleave; within one
   * document versions ascend.
   */
  batches(doc?: string): AsyncIterable<SequencedOp[]>;
}

/**
 * Puts each document's events back in version order where a scan returns them otherwise
 * (a server's natural order is insertion order in practice, but not by contract). An event
 * ahead of its turn waits until the versions before it have come; whatever still waits at
 * the end is released in order, and the consumer finds the gap.
 */
export class VersionOrder {
  private readonly next = new Map<string, number>();
  private readonly waiting = new Map<string, Map<number, SequencedOp>>();

  /** The events that can go on now, in order. */
  accept(event: SequencedOp): SequencedOp[] {
    const expected = this.next.get(event.doc) ?? 1;
    if (event.v !== expected) {
      if (event.v > expected) this.wait(event);
      return event.v < expected ? [event] : [];
    }
    const ready = [event];
    const waiting = this.waiting.get(event.doc);
    let v = event.v + 1;
    for (let held = waiting?.get(v); held; held = waiting?.get(v)) {
      ready.push(held);
      waiting!.delete(v);
      v++;
    }
    this.next.set(event.doc, v);
    return ready;
  }

  /** Everything still waiting, each document's in version order. */
  leftovers(): SequencedOp[] {
    const rest = [...this.waiting.values()].flatMap((held) => [...held.values()]);
    this.waiting.clear();
    return rest.sort((a, b) => (a.doc === b.doc ? a.v - b.v : a.doc < b.doc ? -1 : 1));
  }

  private wait(event: SequencedOp): void {
    let held = this.waiting.get(event.doc);
    if (!held) this.waiting.set(event.doc, (held = new Map()));
    held.set(event.v, event);
  }
}

/** Batches of `size` from a stream of events, kept in each document's version order. */
export async function* orderedBatches(
  events: AsyncIterable<SequencedOp>,
  size: number,
): AsyncIterable<SequencedOp[]> {
  const order = new VersionOrder();
  let batch: SequencedOp[] = [];
  for await (const event of events) {
    batch.push(...order.accept(event));
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  batch.push(...order.leftovers());
  if (batch.length > 0) yield batch;
}
