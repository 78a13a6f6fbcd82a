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
   * Filled lazily: a client seen for the first time since the load has its last `seq` read
   * from the history once, and from then on every sequenced operation keeps it current.
   */
  private readonly lastSeqs = new Map<string, number>();

  constructor(
    readonly doc: string,
    loaded: LoadedDocument,
    windowCapacity: number,
  ) {
    this.head = loaded.head;
    this.text = new CodePointRope(loaded.text);
    this.window = new OpWindow(windowCapacity, loaded.head);
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
