/**
 * Groups a batch of `ops.sequenced` messages by document, so that each document gets one
 * `doc:ops` message per batch instead of one per operation: a room of ten thousand sockets
 * then costs ten thousand writes per batch, not per keystroke.
 */
import type { Rejection, SequencedMessage, SequencedOp } from '../../common/protocol.ts';

export interface DocumentBatch {
  /** Runs of contiguous versions, ascending, without duplicates. */
  runs: SequencedOp[][];
  rejections: Rejection[];
}

/**
 * Groups messages by document. Versions are sorted and deduplicated (a redelivered batch
 * repeats them) and split where they are not contiguous, because a `doc:ops` message
 * promises contiguous versions; clients fetch what falls between two runs.
 *
 * @example
 * groupByDocument(messages).get('doc1'); // { runs: [[v5, v6]], rejections: [] }
 */
export function groupByDocument(messages: readonly SequencedMessage[]): Map<string, DocumentBatch> {
  const ops = new Map<string, SequencedOp[]>();
  const rejections = new Map<string, Rejection[]>();
  for (const message of messages) {
    if (message.type === 'op') {
      const { type: _type, ...op } = message;
      push(ops, op.doc, op);
    } else {
      const { type: _type, ...rejection } = message;
      push(rejections, rejection.doc, rejection);
    }
  }

  const batches = new Map<string, DocumentBatch>();
  for (const doc of new Set([...ops.keys(), ...rejections.keys()])) {
    batches.set(doc, {
      runs: contiguousRuns(ops.get(doc) ?? []),
      rejections: rejections.get(doc) ?? [],
    });
  }
  return batches;
}

function contiguousRuns(ops: SequencedOp[]): SequencedOp[][] {
  const sorted = [...ops].sort((a, b) => a.v - b.v);
  const runs: SequencedOp[][] = [];
  let run: SequencedOp[] = [];
  for (const op of sorted) {
    const last = run.at(-1);
    if (last && op.v === last.v) continue;
    if (last && op.v !== last.v + 1) {
      runs.push(run);
      run = [];
    }
    run.push(op);
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
