/**
 * Where other people's cursors fall in the text, as a flat list of pieces the overlay turns
 * into elements: runs of text (highlighted by the selections that cover them) and carets
 * between them. Overlapping selections split the text at every boundary, so each run is
 * covered by a fixed set of selections.
 */
import { codePointLength, toUtf16Many } from './offsets.ts';

export interface CursorMark {
  id: string;
  name: string;
  color: string;
  /** `[anchor, head]` in code points; the caret is drawn at the head. */
  sel: readonly [number, number];
}

export type Piece =
  { kind: 'text'; text: string; colors: string[] } | { kind: 'caret'; mark: CursorMark };

/**
 * The text cut into pieces around the marks. Positions beyond the text are drawn at its end;
 * carets at the same position keep the order of `marks`.
 *
 * @example
 * layoutCursors('hello', [{ id: 'b', name: 'Bob', color: '#c00', sel: [1, 3] }]);
 * // 'h', 'el' highlighted in #c00, Bob's caret, 'lo'
 */
export function layoutCursors(text: string, marks: readonly CursorMark[]): Piece[] {
  const length = codePointLength(text);
  const clamp = (position: number) => Math.min(Math.max(0, position), length);
  const spans = marks.map((mark) => {
    const [anchor, head] = [clamp(mark.sel[0]), clamp(mark.sel[1])];
    return { mark, start: Math.min(anchor, head), end: Math.max(anchor, head), head };
  });

  const boundaries = [...new Set([0, length, ...spans.flatMap((s) => [s.start, s.end])])].sort(
    (a, b) => a - b,
  );
  const offsets = toUtf16Many(text, boundaries);

  const pieces: Piece[] = [];
  boundaries.forEach((position, i) => {
    for (const span of spans) {
      if (span.head === position) pieces.push({ kind: 'caret', mark: span.mark });
    }
    if (i + 1 === boundaries.length) return;
    const colors = spans
      .filter((s) => s.start <= position && s.end > position)
      .map((s) => s.mark.color);
    pieces.push({ kind: 'text', text: text.slice(offsets[i], offsets[i + 1]), colors });
  });
  return pieces;
}
