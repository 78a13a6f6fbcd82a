/**
 * A client with the standard OT client state, as the SDK keeps it: at most one operation in
 * flight, later local edits composed into one pending operation, and every server operation
 * transformed against both before it is applied locally.
 */
import { type as stringType } from 'ot-text-unicode';
import type { SequencedOp, Submission, TextOp } from '../../../common/protocol.ts';

export class OtClient {
  text = '';
  /** The last server version this client has applied. */
  version = 0;
  private seq = 0;
  private inflight: { seq: number; op: TextOp } | null = null;
  private pending: TextOp | null = null;

  constructor(
    readonly src: string,
    private readonly doc: string,
  ) {}

  /** Applies a local edit and queues it for sending. */
  edit(op: TextOp): void {
    this.text = stringType.apply(this.text, op);
    this.pending = this.pending === null ? op : stringType.compose(this.pending, op);
  }

  /** The next submission to send, when nothing is in flight and an edit is pending. */
  flush(): Submission | null {
    if (this.inflight !== null || this.pending === null) return null;
    this.inflight = { seq: ++this.seq, op: this.pending };
    this.pending = null;
    const { doc, src, version: v } = this;
    return { doc, v, src, seq: this.inflight.seq, op: this.inflight.op, user: src };
  }

  /** Receives the server's next operation: its own acknowledgement or someone else's edit. */
  receive(event: SequencedOp): void {
    if (event.v <= this.version) return;
    if (event.v !== this.version + 1) throw new Error(`${this.src} missed version ${event.v - 1}`);
    this.version = event.v;

    if (event.src === this.src && event.seq === this.inflight?.seq) {
      this.inflight = null;
      return;
    }
    let remote = event.op;
    if (this.inflight !== null) {
      const inflight = this.inflight.op;
      this.inflight.op = stringType.transform(inflight, remote, 'left');
      remote = stringType.transform(remote, inflight, 'right');
    }
    if (this.pending !== null) {
      const pending = this.pending;
      this.pending = stringType.transform(pending, remote, 'left');
      remote = stringType.transform(remote, pending, 'right');
    }
    this.text = stringType.apply(this.text, remote);
  }

  get idle(): boolean {
    return this.inflight === null && this.pending === null;
  }
}
