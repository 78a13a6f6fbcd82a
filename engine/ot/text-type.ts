/**
 * The operational-transform type for plain text: `ot-text-unicode` built over a code point
 * rope, so applying an operation costs O(log n) in the document length instead of O(n).
 *
 * Operations are exactly `ot-text-unicode`'s, measured in code points, so they transform and
 * compose identically to the library's plain-string type that clients use.
 *
 * Unlike the library's string type, `apply` edits the rope in place and returns the same
 * object: the sequencer owns one rope per document and never needs the old version. An
 * operation that does not fit the document would be half-applied before the rope refused it,
 * so callers run `checkOpFits` first.
 */
import { makeType, type Rope, type TextOp, type TextType } from 'ot-text-unicode';
import { CodePointRope } from './code-point-rope.ts';
import { codePointLength } from './unicode.ts';

export type { TextOp };

/**
 * Walks the rope along an operation: skips move the cursor, inserts and deletes edit. A class
 * rather than an object of closures, because one is made for every operation applied.
 */
class InPlaceEditor {
  private position = 0;

  constructor(private readonly text: CodePointRope) {}

  skip(count: number): void {
    this.position += count;
    if (this.position > this.text.length) throw new RangeError('the operation skips past the end');
  }

  append(inserted: string): void {
    this.text.insert(this.position, inserted);
    this.position += codePointLength(inserted);
  }

  del(count: number): void {
    this.text.delete(this.position, count);
  }

  build(): CodePointRope {
    return this.text;
  }
}

const codePointRopeFunctions = {
  create: (text: string) => new CodePointRope(text),
  toString: (text: CodePointRope) => text.toString(),
  builder: (text: CodePointRope) => new InPlaceEditor(text),
  // The library's makeInvertible reads deleted text through this.
  slice: (text: CodePointRope, start: number, end?: number) => text.slice(start, end),
} satisfies Rope<CodePointRope>;

/**
 * The text type over a rope.
 *
 * @example
 * const text = new CodePointRope('héllo 👋');
 * textType.apply(text, [6, { d: 1 }, 'world']);
 * text.toString(); // 'héllo world'
 */
export const textType: TextType<CodePointRope> = makeType(codePointRopeFunctions);

/**
 * Transforms `op` so that it applies after `other`, both written against the same version.
 * The sequencer always passes the submitted operation as `op` on the `left`, so at the same
 * position its insert lands before the insert that was sequenced first.
 */
export function transformOp(op: TextOp, other: TextOp): TextOp {
  return textType.transform(op, other, 'left');
}
