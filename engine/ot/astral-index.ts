/**
 * Where the astral characters (code points above U+FFFF, such as most emoji) sit in a text.
 *
 * `jumprope` measures text in UTF-16 code units, while operations measure it in code points.
 * The two agree until the text holds an astral character, which takes two code units. This
 * index keeps the code point positions of those characters in ascending order, so a code point
 * position converts to a code unit offset with one binary search.
 *
 * Text without astral characters, the common case, costs nothing: the list stays empty and
 * every conversion is the identity. An edit shifts the positions after it, so its cost grows
 * with the number of astral characters that follow the edit; that is a loop over plain
 * numbers, far cheaper than rebuilding the text, but a document made mostly of emoji pays it.
 */
import { isHighSurrogate } from './unicode.ts';

export class AstralIndex {
  /** Code point positions of astral characters, ascending. */
  private positions: number[] = [];

  /** The number of astral characters in the text. */
  get size(): number {
    return this.positions.length;
  }

  /** The UTF-16 offset of code point position `position`. */
  unitOffset(position: number): number {
    if (this.positions.length === 0) return position;
    return position + this.countBefore(position);
  }

  /** Records `text`, of `codePoints` code points, inserted at code point `position`. */
  insert(position: number, text: string, codePoints: number): void {
    const hasAstral = codePoints !== text.length;
    if (this.positions.length === 0 && !hasAstral) return;

    const at = this.countBefore(position);
    this.shift(at, codePoints);
    if (hasAstral) this.insertAt(at, astralPositions(text, position));
  }

  /** Records the deletion of `count` code points at code point `position`. */
  delete(position: number, count: number): void {
    if (this.positions.length === 0) return;

    const from = this.countBefore(position);
    const to = this.countBefore(position + count);
    if (to > from) this.positions.splice(from, to - from);
    this.shift(from, -count);
  }

  /** How many astral characters start before code point `position`. */
  private countBefore(position: number): number {
    let low = 0;
    let high = this.positions.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.positions[middle]! < position) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private insertAt(at: number, added: number[]): void {
    // Spreading a long paste into splice's arguments would overflow the stack.
    if (added.length === 1) this.positions.splice(at, 0, added[0]!);
    else this.positions = this.positions.slice(0, at).concat(added, this.positions.slice(at));
  }

  private shift(from: number, delta: number): void {
    const positions = this.positions;
    for (let i = from; i < positions.length; i++) positions[i]! += delta;
  }
}

/** The code point positions of the astral characters in `text`, offset by `start`. */
function astralPositions(text: string, start: number): number[] {
  const found: number[] = [];
  let position = start;
  for (let i = 0; i < text.length; i++, position++) {
    if (isHighSurrogate(text.charCodeAt(i))) {
      found.push(position);
      i++;
    }
  }
  return found;
}
