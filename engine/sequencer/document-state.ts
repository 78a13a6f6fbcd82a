/**
 * Everything the sequencer holds for one document: the head version, the text at the head,
 * the window of recent operations and the last `seq` sequenced from each client.
 */
import type { SequencedOp } from '../../common/protocol.ts';
import { CodePointRope } from '../ot/code-point-rope.ts';
import type { LoadedDocument } from './history-source.ts';
import { OpWindow } from './op-window.ts';

export class DocumentState {
  head: number;
  readonly text: CodePointRope;
  readonly window: OpWindow;

  /**
   * Seeded from the events the load replayed, then filled lazily: any other client seen for
   * the first time since the load has its last `seq` read from the history once, and from
   * then on every sequenced operation keeps it current.
   */
  private readonly lastSeqs = new Map<string, number>();

  /**
   * The loaded events fill the window, so a resubmission of one of them is answered from
   * memory. They also settle the last `seq` of every client among them, without asking the
   * history, whose answer may lag behind its events:
   *   1. A sequencer stores versions 57–62 and is killed before it records them in the
   *      summary that answers `lastSeq`, which still says seq 28 for client A.
   *   2. The partition's next owner is handed the same submissions again, from A's seq 29 on.
   *   3. Trusting the summary, it would sequence each one anew and learn only from the store's
   *      refusal that it was a duplicate, reloading the document once per resubmission.
   * A client's submissions are sequenced in `seq` order, so its latest loaded event carries
   * its highest `seq`.
   */
  constructor(
    readonly doc: string,
    loaded: LoadedDocument,
    windowCapacity: number,
  ) {
    const recent = loaded.recent ?? [];
    const kept = recent.slice(Math.max(recent.length - windowCapacity, 0));
    this.head = loaded.head;
    this.text = new CodePointRope(loaded.text);
    this.window = new OpWindow(windowCapacity, loaded.head - kept.length);
    for (const event of kept) this.window.push(event);
    for (const { src, seq } of recent) this.lastSeqs.set(src, seq);
  }

  /** The last `seq` sequenced from `src`, or undefined when the history must be asked. */
  lastSeq(src: string): number | undefined {
    return this.lastSeqs.get(src);
  }

  /** Caches what the history says `src` last had sequenced. */
  learnLastSeq(src: string, seq: number): void {
    if (!this.lastSeqs.has(src)) this.lastSeqs.set(src, seq);
  }

  /** Records an operation that has just been applied to the text as the next version. */
  record(event: SequencedOp): void {
    this.window.push(event);
    this.head = event.v;
    this.lastSeqs.set(event.src, event.seq);
  }
}
