import { describe, expect, it } from 'vitest';
import { layoutCursors, type CursorMark } from './cursor-layout.ts';

const bob: CursorMark = { id: 'b1', name: 'Bob', color: '#b00', sel: [2, 2] };
const eve: CursorMark = { id: 'e1', name: 'Eve', color: '#0b0', sel: [1, 4] };

describe('layoutCursors: text cut around other people’s cursors', () => {
  it('puts a caret between the characters at its position', () => {
    expect(layoutCursors('hello', [bob])).toEqual([
      { kind: 'text', text: 'he', colors: [] },
      { kind: 'caret', mark: bob },
      { kind: 'text', text: 'llo', colors: [] },
    ]);
  });

  it('highlights a selection and draws its caret at the head', () => {
    const backwards = { ...eve, sel: [4, 1] as const };
    expect(layoutCursors('hello', [backwards])).toEqual([
      { kind: 'text', text: 'h', colors: [] },
      { kind: 'caret', mark: backwards },
      { kind: 'text', text: 'ell', colors: ['#0b0'] },
      { kind: 'text', text: 'o', colors: [] },
    ]);
  });

  it('splits overlapping selections so every run knows who covers it', () => {
    const pieces = layoutCursors('hello', [eve, { ...bob, sel: [0, 2] }]);
    expect(pieces.filter((p) => p.kind === 'text')).toEqual([
      { kind: 'text', text: 'h', colors: ['#b00'] },
      { kind: 'text', text: 'e', colors: ['#0b0', '#b00'] },
      { kind: 'text', text: 'll', colors: ['#0b0'] },
      { kind: 'text', text: 'o', colors: [] },
    ]);
  });

  it('cuts at code points, keeping emoji whole', () => {
    expect(layoutCursors('😀😀', [{ ...bob, sel: [1, 1] }])).toEqual([
      { kind: 'text', text: '😀', colors: [] },
      { kind: 'caret', mark: { ...bob, sel: [1, 1] } },
      { kind: 'text', text: '😀', colors: [] },
    ]);
  });

  it('draws a position past the end at the end, and carets in an empty text', () => {
    const far = { ...bob, sel: [9, 9] as const };
    expect(layoutCursors('hi', [far]).at(-1)).toEqual({ kind: 'caret', mark: far });
    expect(layoutCursors('', [bob])).toEqual([{ kind: 'caret', mark: bob }]);
  });
});
