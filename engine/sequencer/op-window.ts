/**
 * The most recent sequenced operations of one document, in a ring of fixed capacity. An
 * operation based on a version inside the window is transformed without reading the history,
 * and a recent resubmission is answered from it.
 */
import type { SequencedOp } from '../../common/protocol.ts';

export class OpWindow {
  private readonly ring: (SequencedOp | undefined)[];
  private count = 0;

  /** `head` is the document's version when the window starts, empty. */
  constructor(
    readonly capacity: number,
    private head: number,
  ) {
    this.ring = new Array<SequencedOp | undefined>(capacity);
  }

  /** The oldest version held; `head + 1` while the window is empty. */
  get oldest(): number {
    return this.head - this.count + 1;
  }

  /** Adds the operation that follows the newest one held, evicting the oldest when full. */
  push(event: SequencedOp): void {
    if (event.v !== this.head + 1) {
      throw new Error(`version ${event.v} does not follow the window's head ${this.head}`);
    }
    this.ring[event.v % this.capacity] = event;
    this.head = event.v;
    if (this.count < this.capacity) this.count++;
  }

  /** True when every operation after `base` up to the head is held. */
  holdsAfter(base: number): boolean {
    return base + 1 >= this.oldest;
  }

  /** The operation of version `v`, which must be held. */
  at(v: number): SequencedOp {
    const event = v >= this.oldest && v <= this.head ? this.ring[v % this.capacity] : undefined;
    if (event === undefined) throw new Error(`version ${v} is not in the window`);
    return event;
  }

  /** The operation a submission `(src, seq)` became, if it is still held. */
  findBySource(src: string, seq: number): SequencedOp | undefined {
    for (let v = this.head; v >= this.oldest; v--) {
      const event = this.ring[v % this.capacity]!;
      if (event.seq === seq && event.src === src) return event;
    }
    return undefined;
  }
}
