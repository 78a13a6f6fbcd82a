/** Sequenced operations for tests: typed by people at chosen times. */
import type { SequencedOp, TextOp } from '../../common/protocol.ts';

export interface TypedEdit {
  op: TextOp;
  user?: string;
  /** Milliseconds after the previous edit; 100 by default. */
  after?: number;
}

/** Numbers the edits as versions 1, 2, … of `doc`, starting the clock at `start`. */
export function eventsOf(
  doc: string,
  edits: readonly TypedEdit[],
  start = 1_000_000,
): SequencedOp[] {
  let ts = start;
  return edits.map((edit, i) => {
    ts += edit.after ?? 100;
    const user = edit.user ?? 'ann';
    return { doc, v: i + 1, src: `${user}-client`, seq: i + 1, op: edit.op, user, ts };
  });
}

/** One person typing `text` one character at a time, starting at code point `at`. */
export function typing(text: string, user = 'ann', after = 100, at = 0): TypedEdit[] {
  return [...text].map((char, i) => ({ op: at + i === 0 ? [char] : [at + i, char], user, after }));
}
