/**
 * Records that cross process boundaries: the payloads of `ops.submit` and `ops.sequenced`,
 * and the event stored for every version. Field names are the wire protocol's.
 */
import type { WireError } from './errors.ts';

/**
 * An `ot-text-unicode` operation: skips (numbers), inserts (strings) and deletes
 * (`{d: count}` or `{d: text}`), all measured in Unicode code points.
 */
export type TextOp = Array<number | string | { d: number | string }>;

/** A client's operation as it travels on `ops.submit`. */
export interface Submission {
  doc: string;
  /** The base version: the server version the operation applies to. */
  v: number;
  src: string;
  seq: number;
  op: TextOp;
  user: string;
}

/** An operation with its version, as stored in `events` and published on `ops.sequenced`. */
export interface SequencedOp {
  doc: string;
  v: number;
  src: string;
  seq: number;
  op: TextOp;
  user: string;
  ts: number;
}

/** A submission refused after it entered the log, published on `ops.sequenced` too. */
export interface Rejection {
  doc: string;
  src: string;
  seq: number;
  user: string;
  error: WireError;
}

/** What the sequencer publishes on `ops.sequenced`, keyed by document. */
export type SequencedMessage = ({ type: 'op' } & SequencedOp) | ({ type: 'reject' } & Rejection);

export const TOPICS = {
  submit: 'ops.submit',
  sequenced: 'ops.sequenced',
} as const;
