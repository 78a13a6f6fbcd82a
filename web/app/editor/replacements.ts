/**
 * An operation as replacements of UTF-16 ranges, the unit `textarea.setRangeText` takes.
 * Replacing only the ranges an operation touches, instead of the whole value, keeps large
 * documents cheap and leaves the rest of the textarea (scroll position, spell-check marks)
 * alone.
 */
import type { TextOp } from '../../../gateway/client/index.ts';
import { advance, codePointLength } from './offsets.ts';

/** Replace `from … to` (UTF-16 indexes into the text before the operation) with `text`. */
export interface Replacement {
  from: number;
  to: number;
  text: string;
}

/**
 * The replacements an operation makes, ascending and not overlapping; apply them from the
 * last to the first so that the earlier indexes stay valid.
 *
 * @example
 * replacementsOf('hello', [1, { d: 3 }, 'ipp']); // [{ from: 1, to: 4, text: 'ipp' }]
 */
export function replacementsOf(before: string, op: TextOp): Replacement[] {
  const replacements: Replacement[] = [];
  const add = (from: number, to: number, text: string) => {
    const last = replacements.at(-1);
    if (last && last.to === from) {
      last.to = to;
      last.text += text;
    } else {
      replacements.push({ from, to, text });
    }
  };

  let index = 0;
  for (const component of op) {
    if (typeof component === 'number') {
      index = advance(before, index, component);
    } else if (typeof component === 'string') {
      add(index, index, component);
    } else {
      const count = typeof component.d === 'number' ? component.d : codePointLength(component.d);
      const end = advance(before, index, count);
      add(index, end, '');
      index = end;
    }
  }
  return replacements;
}
