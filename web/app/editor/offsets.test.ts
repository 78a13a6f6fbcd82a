import { describe, expect, it } from 'vitest';
import {
  advance,
  codePointLength,
  splitsPair,
  toCodePoints,
  toUtf16,
  toUtf16Many,
} from './offsets.ts';

const text = 'a😀b𝄞c'; // UTF-16: a, 😀 (2), b, 𝄞 (2), c → 7 units, 5 code points

describe('positions between UTF-16 and code points', () => {
  it('counts a surrogate pair as one code point', () => {
    expect(text.length).toBe(7);
    expect(codePointLength(text)).toBe(5);
    expect([0, 1, 3, 4, 6, 7].map((i) => toCodePoints(text, i))).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('rounds an index inside a pair down to the start of the pair', () => {
    expect(toCodePoints(text, 2)).toBe(1);
    expect(toCodePoints(text, 5)).toBe(3);
  });

  it('maps code points back to UTF-16 indexes, clamped to the text', () => {
    expect([0, 1, 2, 3, 4, 5, 9].map((p) => toUtf16(text, p))).toEqual([0, 1, 3, 4, 6, 7, 7]);
  });

  it('maps many positions in one pass, in the order given', () => {
    expect(toUtf16Many(text, [5, 0, 2, 2, 4])).toEqual([7, 0, 3, 3, 6]);
  });

  it('advances by code points from a UTF-16 index', () => {
    expect(advance(text, 1, 1)).toBe(3);
    expect(advance(text, 3, 2)).toBe(6);
    expect(advance(text, 6, 10)).toBe(7);
  });

  it('knows when an index would tear a pair apart', () => {
    expect(splitsPair(text, 2)).toBe(true);
    expect(splitsPair(text, 1)).toBe(false);
    expect(splitsPair(text, 3)).toBe(false);
    expect(splitsPair('\ud83d', 1)).toBe(false);
  });
});
