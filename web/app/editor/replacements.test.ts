import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TextOp } from '../../../gateway/client/index.ts';
import { text as type } from '../../../gateway/client/text-type.ts';
import { replacementsOf } from './replacements.ts';

function applyReplacements(before: string, op: TextOp): string {
  let text = before;
  for (const { from, to, text: inserted } of replacementsOf(before, op).reverse()) {
    text = text.slice(0, from) + inserted + text.slice(to);
  }
  return text;
}

describe('replacementsOf: an operation as UTF-16 range replacements', () => {
  it('merges a delete and an insert at the same place into one replacement', () => {
    expect(replacementsOf('hello', [1, { d: 3 }, 'ipp'])).toEqual([
      { from: 1, to: 4, text: 'ipp' },
    ]);
    expect(replacementsOf('hello', [1, 'ipp', { d: 3 }])).toEqual([
      { from: 1, to: 4, text: 'ipp' },
    ]);
  });

  it('keeps separate places apart, in ascending order', () => {
    expect(replacementsOf('abcdef', ['X', 2, { d: 1 }, 2, 'Y'])).toEqual([
      { from: 0, to: 0, text: 'X' },
      { from: 2, to: 3, text: '' },
      { from: 5, to: 5, text: 'Y' },
    ]);
  });

  it('measures skips and deletes in code points', () => {
    expect(replacementsOf('😀a😀b', [2, { d: 1 }, 'x'])).toEqual([{ from: 3, to: 5, text: 'x' }]);
    expect(replacementsOf('😀a😀b', [2, { d: '😀' }])).toEqual([{ from: 3, to: 5, text: '' }]);
  });

  it('reproduces what the operation does to the text', () => {
    const unit = fc.constantFrom('a', 'b', '😀', '\n');
    const textOf = fc.array(unit, { maxLength: 10 }).map((units) => units.join(''));
    fc.assert(
      fc.property(
        textOf,
        fc.array(fc.tuple(fc.nat(12), fc.nat(3), textOf), { maxLength: 3 }),
        (start, edits) => {
          let before = start;
          for (const [at, removed, inserted] of edits) {
            const length = [...before].length;
            const position = Math.min(at, length);
            const count = Math.min(removed, length - position);
            const op = type.normalize([position, { d: count }, inserted]);
            expect(applyReplacements(before, op)).toBe(type.apply(before, op));
            before = type.apply(before, op);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
