/**
 * The document text held by the sequencer: a `jumprope` skip-list rope addressed in Unicode
 * code points, so that an edit costs O(log n) instead of a copy of the whole text.
 *
 * The rope itself counts UTF-16 code units; the astral index converts between the two. The
 * rope also keeps the text's UTF-8 size current, so the document size limit can be checked
 * without measuring the text.
 */
import JumpRope from 'jumprope';
import { AstralIndex } from './astral-index.ts';
import { codePointLength, utf8Length } from './unicode.ts';

export class CodePointRope {
  private readonly rope: JumpRope;
  private readonly astral = new AstralIndex();
  private codePoints = 0;
  private bytes = 0;

  constructor(text = '') {
    this.rope = new JumpRope();
    if (text !== '') this.insert(0, text);
  }

  /** The length in code points. */
  get length(): number {
    return this.codePoints;
  }

  /** The size of the text encoded as UTF-8. */
  get utf8Bytes(): number {
    return this.bytes;
  }

  /**
   * Inserts well-formed text at a code point position.
   *
   * @example
   * const text = new CodePointRope('hi 👋');
   * text.insert(4, '!'); // 'hi 👋!'
   */
  insert(position: number, text: string): void {
    this.checkPosition(position, 0);
    const codePoints = codePointLength(text);

    this.rope.insert(this.astral.unitOffset(position), text);
    this.astral.insert(position, text, codePoints);
    this.codePoints += codePoints;
    this.bytes += utf8Length(text);
  }

  /**
   * Deletes `count` code points at a code point position.
   *
   * @example
   * const text = new CodePointRope('a😀b');
   * text.delete(1, 1); // 'ab'
   */
  delete(position: number, count: number): void {
    this.checkPosition(position, count);
    const start = this.astral.unitOffset(position);
    const units = this.astral.unitOffset(position + count) - start;

    // In ASCII text a code point is a byte, so the deleted text need not be read back.
    if (this.isAscii()) {
      this.rope.del(start, units);
      this.bytes -= count;
    } else {
      this.rope.del(start, units, (deleted) => {
        this.bytes -= utf8Length(deleted);
      });
    }

    this.astral.delete(position, count);
    this.codePoints -= count;
  }

  /** The text between two code point positions, like `String.prototype.slice` without negatives. */
  slice(start: number, end = this.codePoints): string {
    const from = this.astral.unitOffset(Math.min(start, this.codePoints));
    const to = this.astral.unitOffset(Math.min(end, this.codePoints));
    return to > from ? this.rope.substring(from, to - from) : '';
  }

  toString(): string {
    return this.rope.toString();
  }

  /** Every code point is one byte exactly when the text is ASCII. */
  private isAscii(): boolean {
    return this.bytes === this.codePoints;
  }

  private checkPosition(position: number, count: number): void {
    if (position < 0 || count < 0 || position + count > this.codePoints) {
      throw new RangeError(
        `position ${position}+${count} is outside the text (length ${this.codePoints})`,
      );
    }
  }
}
