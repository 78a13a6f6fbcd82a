/**
 * Positions in two units. The SDK and the wire count Unicode code points; the browser's
 * textarea counts UTF-16 code units, where a character outside the Basic Multilingual Plane
 * (most emoji) takes two. Every position that crosses between them goes through here.
 *
 * A character is counted the way `ot-text-unicode` counts it when it applies operations: any
 * surrogate unit starts a two-unit character. For well-formed text that is exactly the
 * surrogate pairs; following the library also for ill-formed text keeps both sides agreeing.
 */

function isSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdfff;
}

/**
 * True when `index` falls between the two halves of a surrogate pair. Only well-formed pairs
 * count: an edit boundary next to a lone surrogate breaks nothing that was whole.
 */
export function splitsPair(text: string, index: number): boolean {
  const before = text.charCodeAt(index - 1);
  const after = text.charCodeAt(index);
  return before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff;
}

/** The width in UTF-16 units of the character that starts at `index`. */
function unitsAt(text: string, index: number): number {
  return isSurrogate(text.charCodeAt(index)) ? 2 : 1;
}

/** The UTF-16 index of each character boundary at or before `utf16`, rounded down. */
function boundaryAtOrBefore(text: string, utf16: number): { index: number; points: number } {
  const end = Math.min(Math.max(utf16, 0), text.length);
  let index = 0;
  let points = 0;
  while (index < end) {
    const next = index + unitsAt(text, index);
    if (next > end) break;
    index = next;
    points++;
  }
  return { index, points };
}

/** The code point position of a UTF-16 index; an index inside a pair rounds down to its start. */
export function toCodePoints(text: string, utf16: number): number {
  return boundaryAtOrBefore(text, utf16).points;
}

/** The UTF-16 index rounded down to the nearest character boundary. */
export function toBoundary(text: string, utf16: number): number {
  return boundaryAtOrBefore(text, utf16).index;
}

/** The UTF-16 index of a code point position, clamped to the text. */
export function toUtf16(text: string, codePoint: number): number {
  return toUtf16Many(text, [codePoint])[0]!;
}

/**
 * The UTF-16 indexes of many code point positions in one pass over the text, in the order
 * given. Positions past the end map to the end.
 */
export function toUtf16Many(text: string, codePoints: readonly number[]): number[] {
  const order = codePoints.map((_, i) => i).sort((a, b) => codePoints[a]! - codePoints[b]!);
  const result = new Array<number>(codePoints.length);
  let index = 0;
  let point = 0;
  for (const i of order) {
    const target = Math.max(0, codePoints[i]!);
    while (point < target && index < text.length) {
      index = Math.min(text.length, index + unitsAt(text, index));
      point++;
    }
    result[i] = index;
  }
  return result;
}

/** The UTF-16 index `codePoints` characters after `utf16`, clamped to the text. */
export function advance(text: string, utf16: number, codePoints: number): number {
  let index = utf16;
  for (let i = 0; i < codePoints && index < text.length; i++) {
    index = Math.min(text.length, index + unitsAt(text, index));
  }
  return index;
}

/** The length of `text` in code points. */
export function codePointLength(text: string): number {
  return toCodePoints(text, text.length);
}
