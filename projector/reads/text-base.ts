/**
 * Rebuilding a document's text at a version: the nearest snapshot at or below it, then the
 * stored operations after that snapshot, applied on a rope. Readers and the projector (when
 * it picks a document up again) both start this way.
 */
import type { SequencedOp } from '../../common/protocol.ts';
import { CodePointRope } from '../../engine/ot/code-point-rope.ts';
import { textType } from '../../engine/ot/text-type.ts';
import type { EventStore } from '../../engine/ports/event-store.ts';
import { DamagedHistoryError } from '../model/damaged-history.ts';
import type { ProjectionReader } from '../ports/projection-store.ts';

export interface VersionedText {
  v: number;
  text: string;
}

export const EMPTY_TEXT: VersionedText = { v: 0, text: '' };

/** The position of the highest entry of an ascending list that is at most `v`, or -1. */
export function indexAtOrBelow(versions: readonly number[], v: number): number {
  let low = 0;
  let high = versions.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    if (versions[middle]! <= v) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  return found;
}

/**
 * The latest snapshot at or below `v` among `versions` (a state's list): a binary search and,
 * normally, one lookup. A listed snapshot can be missing for a moment — a reader that still
 * follows the generation a rebuild has just replaced — so a miss falls back to the one below.
 */
export async function nearestSnapshot(
  reader: Pick<ProjectionReader, 'snapshot'>,
  doc: string,
  versions: readonly number[],
  v: number,
): Promise<VersionedText> {
  for (let i = indexAtOrBelow(versions, v); i >= 0; i--) {
    const snapshot = await reader.snapshot(doc, versions[i]!);
    if (snapshot) return { v: snapshot.v, text: snapshot.text };
  }
  return EMPTY_TEXT;
}

/**
 * The stored operations `from + 1 … to`, in order. Fewer come back when the document has not
 * reached `to`; a gap inside the range means the store is damaged and is thrown.
 */
export async function readOperations(
  events: Pick<EventStore, 'range'>,
  doc: string,
  from: number,
  to?: number,
): Promise<SequencedOp[]> {
  const ops = await events.range(doc, from, to);
  ops.forEach((op, i) => {
    if (op.v !== from + 1 + i) {
      throw new DamagedHistoryError(
        doc,
        from + 1 + i,
        `the event store returns ${op.v} in its place`,
      );
    }
  });
  return ops;
}

/** Applies `ops`, which follow `base` without a gap, and returns the text they lead to. */
export function applyOperations(base: VersionedText, ops: readonly SequencedOp[]): VersionedText {
  if (ops.length === 0) return base;
  const rope = new CodePointRope(base.text);
  applyToRope(rope, ops);
  return { v: ops[ops.length - 1]!.v, text: rope.toString() };
}

export function applyToRope(rope: CodePointRope, ops: readonly SequencedOp[]): void {
  for (const op of ops) {
    try {
      textType.apply(rope, op.op);
    } catch (error) {
      throw new DamagedHistoryError(
        op.doc,
        op.v,
        `the operation does not apply: ${(error as Error).message}`,
      );
    }
  }
}
