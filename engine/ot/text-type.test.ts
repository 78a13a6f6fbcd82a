import fc from 'fast-check';
import { type as stringType, type TextOp } from 'ot-text-unicode';
import { describe, expect, it } from 'vitest';
import { CodePointRope } from './code-point-rope.ts';
import { textType, transformOp } from './text-type.ts';

/** Text pieces that mix ASCII, two-unit BMP characters and astral characters. */
const pieces = ['a', 'bc', 'é', '中', '😀', '👋🏽', '𝒳', '🎉z', '\n'];
const textArbitrary = fc
  .array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 4 })
  .map((parts) => parts.join(''));

/** A random operation that fits a document of `length` code points, normalized by the library. */
function opArbitrary(length: number): fc.Arbitrary<TextOp> {
  const component = fc.oneof(
    fc.record({ kind: fc.constant('skip' as const), n: fc.nat({ max: 5 }) }),
    fc.record({ kind: fc.constant('insert' as const), text: textArbitrary }),
    fc.record({ kind: fc.constant('delete' as const), n: fc.nat({ max: 5 }) }),
  );
  return fc.array(component, { maxLength: 6 }).map((parts) => {
    const op: TextOp = [];
    let remaining = length;
    for (const part of parts) {
      if (part.kind === 'insert') op.push(part.text);
      else {
        const n = Math.min(part.n, remaining);
        remaining -= n;
        if (n > 0) op.push(part.kind === 'skip' ? n : { d: n });
      }
    }
    return stringType.normalize(op);
  });
}

const documentAndOps = textArbitrary
  .chain((text) => fc.tuple(fc.constant(text), fc.nat({ max: 20 })))
  .map(([text, repeat]) => text.repeat(repeat))
  .chain((text) => {
    const length = [...text].length;
    return fc.tuple(fc.constant(text), opArbitrary(length), opArbitrary(length));
  });

describe('the text type over a code point rope', () => {
  it('applies an operation exactly like the plain-string type, astral characters included', () => {
    fc.assert(
      fc.property(documentAndOps, ([text, op]) => {
        const rope = new CodePointRope(text);
        textType.apply(rope, op);
        expect(rope.toString()).toBe(stringType.apply(text, op));
      }),
      { numRuns: 500 },
    );
  });

  it('transforms concurrent operations to the same text as the plain-string type', () => {
    fc.assert(
      fc.property(documentAndOps, ([text, a, b]) => {
        const expected = stringType.apply(
          stringType.apply(text, b),
          stringType.transform(a, b, 'left'),
        );

        const rope = new CodePointRope(text);
        textType.apply(rope, b);
        textType.apply(rope, transformOp(a, b));

        expect(rope.toString()).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('counts positions in code points, so an emoji is one position', () => {
    const rope = new CodePointRope('a😀b');

    textType.apply(rope, [2, '!']);

    expect(rope.toString()).toBe('a😀!b');
    expect(rope.length).toBe(4);
  });

  it('deletes an astral character as one code point', () => {
    const rope = new CodePointRope('x👋🏽y');

    textType.apply(rope, [1, { d: 2 }]);

    expect(rope.toString()).toBe('xy');
  });

  it('edits the rope in place and returns the same rope', () => {
    const rope = new CodePointRope('hello');

    const result = textType.apply(rope, [5, ' world']);

    expect(result).toBe(rope);
    expect(rope.toString()).toBe('hello world');
  });

  it('reads deleted text in code points when making an operation invertible', () => {
    const rope = new CodePointRope('ab😀cd');

    const invertible = textType.makeInvertible([1, { d: 2 }], rope) as TextOp;

    expect(invertible).toEqual([1, { d: 'b😀' }]);
  });
});

describe('the code point rope', () => {
  it('keeps the UTF-8 size of the text current through inserts and deletes', () => {
    fc.assert(
      fc.property(documentAndOps, ([text, op]) => {
        const rope = new CodePointRope(text);
        textType.apply(rope, op);
        expect(rope.utf8Bytes).toBe(Buffer.byteLength(rope.toString(), 'utf8'));
      }),
      { numRuns: 300 },
    );
  });

  it('slices by code point positions', () => {
    const rope = new CodePointRope('a😀b🎉c');

    expect(rope.slice(1, 4)).toBe('😀b🎉');
    expect(rope.slice(3)).toBe('🎉c');
  });

  it('stays exact over text longer than one rope node, with emoji throughout', () => {
    const line = 'line 😀 with é and 🎉 emoji\n';
    const text = line.repeat(200);
    const rope = new CodePointRope(text);
    const lineLength = [...line].length;

    rope.delete(lineLength * 100 + 5, 2);
    rope.insert(lineLength * 150 + 5, '👋');

    const expected = [...text];
    expected.splice(lineLength * 100 + 5, 2);
    expected.splice(lineLength * 150 + 5, 0, '👋');
    expect(rope.toString()).toBe(expected.join(''));
    expect(rope.length).toBe(expected.length);
  });

  it('refuses an edit outside the text instead of corrupting it', () => {
    const rope = new CodePointRope('abc');

    expect(() => rope.delete(2, 2)).toThrow(RangeError);
    expect(() => rope.insert(4, 'x')).toThrow(RangeError);
    expect(rope.toString()).toBe('abc');
  });
});
