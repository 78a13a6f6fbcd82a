import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { text as type } from '../../../gateway/client/text-type.ts';
import { diffText, editToOp } from './text-diff.ts';

describe('diffText: one input event as one edit', () => {
  it('finds nothing when the value did not change', () => {
    expect(diffText('same', 'same', 2)).toBeNull();
  });

  it('finds a typed character', () => {
    expect(diffText('helo', 'hello', 4)).toEqual({ position: 3, removed: 0, inserted: 'l' });
  });

  it('finds a backspace and a forward delete', () => {
    expect(diffText('hello', 'helo', 3)).toEqual({ position: 3, removed: 1, inserted: '' });
    expect(diffText('hello', 'hllo', 1)).toEqual({ position: 1, removed: 1, inserted: '' });
  });

  it('finds a selection replaced by typing or pasting', () => {
    expect(diffText('abcdef', 'abXYef', 4)).toEqual({ position: 2, removed: 2, inserted: 'XY' });
  });

  it('lets the caret decide where a repeated character was typed', () => {
    expect(diffText('aa', 'aaa', 1)).toEqual({ position: 0, removed: 0, inserted: 'a' });
    expect(diffText('aa', 'aaa', 2)).toEqual({ position: 1, removed: 0, inserted: 'a' });
    expect(diffText('aa', 'aaa', 3)).toEqual({ position: 2, removed: 0, inserted: 'a' });
  });

  it('lets the caret decide which of repeated characters a backspace removed', () => {
    expect(diffText('abab', 'bab', 0)).toEqual({ position: 0, removed: 1, inserted: '' });
    expect(diffText('abab', 'aab', 1)).toEqual({ position: 1, removed: 1, inserted: '' });
  });

  it('counts positions in code points and never splits an emoji', () => {
    expect(diffText('a😀b', 'a😀xb', 4)).toEqual({ position: 2, removed: 0, inserted: 'x' });
    // 😀 and 😁 share their first UTF-16 unit; the edit still replaces the whole character.
    expect(diffText('a😀b', 'a😁b', 3)).toEqual({ position: 1, removed: 1, inserted: '😁' });
    expect(diffText('😀', '', 0)).toEqual({ position: 0, removed: 1, inserted: '' });
  });

  it('turns any change into an operation that reproduces it', () => {
    const unit = fc.constantFrom('a', 'b', '😀', '\n', 'é');
    const textOf = fc.array(unit, { maxLength: 12 }).map((units) => units.join(''));
    fc.assert(
      fc.property(textOf, textOf, fc.nat(), (before, after, caretSeed) => {
        const caret = caretSeed % (after.length + 1);
        const edit = diffText(before, after, caret);
        if (before === after) expect(edit).toBeNull();
        else expect(type.apply(before, type.normalize(editToOp(edit!)))).toBe(after);
      }),
      { numRuns: 500 },
    );
  });
});

describe('editToOp', () => {
  it('skips, deletes, then inserts', () => {
    expect(editToOp({ position: 3, removed: 1, inserted: 'x' })).toEqual([3, { d: 1 }, 'x']);
    expect(editToOp({ position: 0, removed: 0, inserted: 'x' })).toEqual(['x']);
    expect(editToOp({ position: 2, removed: 4, inserted: '' })).toEqual([2, { d: 4 }]);
  });
});
