/**
 * Measuring JavaScript strings in the units the product uses: Unicode code points for
 * positions (the unit of `ot-text-unicode`) and UTF-8 bytes for size limits.
 */

/** True for the first half of a surrogate pair (U+D800 to U+DBFF). */
export function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

/** True for the second half of a surrogate pair (U+DC00 to U+DFFF). */
export function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/** The number of code points in well-formed text (no unpaired surrogates). */
export function codePointLength(text: string): number {
  let pairs = 0;
  for (let i = 0; i < text.length; i++) {
    if (isHighSurrogate(text.charCodeAt(i))) pairs++;
  }
  return text.length - pairs;
}

/** The UTF-8 encoded size of well-formed text, without encoding it. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (isHighSurrogate(unit)) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * The index of the first unpaired surrogate in `text`, or -1 when the text is well-formed.
 * Code point counting treats every surrogate as half of a pair, so text with an unpaired
 * one would be measured wrongly everywhere downstream.
 */
export function unpairedSurrogateAt(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0xd800 || unit > 0xdfff) continue;
    if (isHighSurrogate(unit) && isLowSurrogate(text.charCodeAt(i + 1))) i++;
    else return i;
  }
  return -1;
}
