/**
 * The client side of operational transform, without any networking: the local text, the
 * server version it rests on, one operation in flight and the local edits made since
 * (composed into one pending operation).
 *
 *   local text = server text at `version` ∘ inflight ∘ pending
 *
 * An incoming operation is transformed against the in-flight operation and then against the
 * pending one, the same way the sequencer will transform them against it, so both sides end
 * with the same text. Local operations are kept invertible (deletes carry the deleted text),
 * so that a rejected in-flight operation can be taken back without losing later edits.
 *
 * The text is kept in a code point rope, as the sequencer keeps it: an edit costs O(log n) in
 * the document's length, where `ot-text-unicode` on a plain string walks and copies the whole
 * text (about half a millisecond per edit at 28 KB), which a client in a busy document would
 * pay for every edit anyone makes. The plain string is made only when someone asks for it.
 */
import { CodePointRope } from '../../engine/ot/code-point-rope.ts';
import { textType as ropeType } from '../../engine/ot/text-type.ts';
import { codePointLength } from '../../engine/ot/unicode.ts';
import type { TextOp, WireOp } from './protocol.ts';
import { text as type } from './text-type.ts';

export interface Submission {
  v: number;
  src: string;
  seq: number;
  op: TextOp;
}

export type Incoming =
  /** Our in-flight operation, now sequenced as version `v`. */
  | { kind: 'ack'; seq: number; v: number }
  /** Someone else's operation, transformed to apply to the local text. */
  | { kind: 'remote'; op: TextOp; v: number }
  /** A version we already have. */
  | { kind: 'duplicate' }
  /** A version beyond the next: the ones between are missing. */
  | { kind: 'gap'; expected: number };

interface InFlight {
  seq: number;
  op: TextOp;
}

/** Server operations kept to place cursors sent at slightly older versions. */
const RECENT_OPS = 200;

export class OtClient {
  private inflight: InFlight | null = null;
  private pending: TextOp | null = null;
  /** Recent server operations, `recent[i]` turning version `recentBase + i` into the next. */
  private recent: TextOp[] = [];
  private recentBase: number;
  private current: CodePointRope;
  /** `current` as a string, until the next change. */
  private currentText: string | null;

  constructor(
    text: string,
    private serverVersion: number,
    readonly src: string,
    private nextSeq: number,
  ) {
    this.recentBase = serverVersion;
    this.current = new CodePointRope(text);
    this.currentText = text;
  }

  get text(): string {
    this.currentText ??= this.current.toString();
    return this.currentText;
  }

  /** The length of the local text in code points. */
  get length(): number {
    return this.current.length;
  }

  get version(): number {
    return this.serverVersion;
  }

  /** The `seq` the next submission will carry. */
  get upcomingSeq(): number {
    return this.nextSeq;
  }

  get inflightSeq(): number | null {
    return this.inflight?.seq ?? null;
  }

  /** True while some local edit is not yet sequenced. */
  get hasUnconfirmed(): boolean {
    return this.inflight !== null || this.pending !== null;
  }

  /**
   * Applies a local edit and queues it for submission; throws when it does not fit the text.
   * Returns the operation as applied (normalised).
   */
  applyLocal(op: TextOp): TextOp {
    const normalized = type.normalize(op);
    type.checkOp(normalized);
    checkFits(normalized, this.current.length);
    const invertible = ropeType.makeInvertible!(normalized, this.current);
    this.applyToText(normalized);
    this.pending = this.pending ? type.compose(this.pending, invertible) : invertible;
    return normalized;
  }

  /** Moves the pending edits in flight when nothing is; returns what to send, if anything. */
  takeSubmission(): Submission | null {
    if (this.inflight || !this.pending) return null;
    this.inflight = { seq: this.nextSeq++, op: this.pending };
    this.pending = null;
    return this.inflightSubmission();
  }

  /** The in-flight operation as it applies to the current version, for a resubmission. */
  inflightSubmission(): Submission | null {
    if (!this.inflight) return null;
    const op = type.stripInvertible(this.inflight.op);
    return { v: this.serverVersion, src: this.src, seq: this.inflight.seq, op };
  }

  /** Takes in the next operation from the server. */
  receive(incoming: WireOp): Incoming {
    if (incoming.v <= this.serverVersion) return { kind: 'duplicate' };
    if (incoming.v > this.serverVersion + 1) {
      return { kind: 'gap', expected: this.serverVersion + 1 };
    }
    this.remember(incoming.op);
    this.serverVersion = incoming.v;

    if (this.inflight && incoming.src === this.src && incoming.seq === this.inflight.seq) {
      const seq = this.inflight.seq;
      this.inflight = null;
      return { kind: 'ack', seq, v: incoming.v };
    }
    return { kind: 'remote', op: this.transformIncoming(incoming.op), v: incoming.v };
  }

  /**
   * Takes back the in-flight operation the server refused, keeping later edits. Returns the
   * operation that undoes it on the local text, or null when it cannot be undone locally
   * (then the caller reloads the document).
   */
  rollback(seq: number): TextOp | null {
    if (!this.inflight || this.inflight.seq !== seq) return null;
    if (!type.isInvertible(this.inflight.op)) return null;
    const undo = type.invert(this.inflight.op);
    this.inflight = null;
    if (!this.pending) {
      this.applyToText(undo);
      return undo;
    }
    const undoAfterPending = type.transform(undo, this.pending, 'right');
    this.pending = type.transform(this.pending, undo, 'left');
    this.applyToText(undoAfterPending);
    return undoAfterPending;
  }

  /** Replaces everything with the server's text, dropping unconfirmed edits. */
  reset(text: string, version: number): void {
    this.current = new CodePointRope(text);
    this.currentText = text;
    this.serverVersion = version;
    this.inflight = null;
    this.pending = null;
    this.recent = [];
    this.recentBase = version;
  }

  /**
   * Maps a position at server version `v` (at most the current version) into the local
   * text; null when `v` is older than the operations kept for this.
   */
  positionFromServer(position: number, v: number): number | null {
    if (v < this.recentBase || v > this.serverVersion) return null;
    let mapped = position;
    for (let i = v - this.recentBase; i < this.recent.length; i++) {
      mapped = type.transformPosition(mapped, this.recent[i]!);
    }
    if (this.inflight) mapped = type.transformPosition(mapped, this.inflight.op);
    if (this.pending) mapped = type.transformPosition(mapped, this.pending);
    return mapped;
  }

  /** Maps a position in the local text to the server text at the current version. */
  positionToServer(position: number): number {
    let mapped = position;
    for (const op of [this.pending, this.inflight?.op]) {
      if (op && type.isInvertible(op)) mapped = type.transformPosition(mapped, type.invert(op));
    }
    return mapped;
  }

  /**
   * Transforms a server operation past the local edits the server has not seen. The
   * sequencer will transform those edits past this operation with the submission on the
   * left, so the incoming operation goes on the right here.
   */
  private transformIncoming(op: TextOp): TextOp {
    let result = op;
    if (this.inflight) {
      const inflightOp = this.inflight.op;
      this.inflight.op = type.transform(inflightOp, result, 'left');
      result = type.transform(result, inflightOp, 'right');
    }
    if (this.pending) {
      const pendingOp = this.pending;
      this.pending = type.transform(pendingOp, result, 'left');
      result = type.transform(result, pendingOp, 'right');
    }
    this.applyToText(result);
    return result;
  }

  /**
   * Edits the rope in place. Local operations were checked to fit before; everything else
   * here is derived from operations that fit, by transforms that keep them fitting.
   */
  private applyToText(op: TextOp): void {
    ropeType.apply(this.current, op);
    this.currentText = null;
  }

  private remember(op: TextOp): void {
    this.recent.push(op);
    if (this.recent.length > RECENT_OPS) {
      this.recent.shift();
      this.recentBase++;
    }
  }
}

/** Throws, before anything is changed, when `op` reaches past a text of `length` code points. */
function checkFits(op: TextOp, length: number): void {
  let consumed = 0;
  for (const component of op) {
    if (typeof component === 'number') consumed += component;
    else if (typeof component === 'object') {
      consumed += typeof component.d === 'number' ? component.d : codePointLength(component.d);
    }
  }
  if (consumed > length) {
    throw new RangeError(`the operation reaches code point ${consumed} of a ${length}-long text`);
  }
}
