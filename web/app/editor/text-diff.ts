/**
 * What one input event did to the text. The textarea reports only its new value, so the edit
 * is recovered by comparing it with the value before: the common prefix and suffix stay, the
 * middle was replaced. Typing, deleting, pasting, cutting, dropping, undo and spell-check
 * corrections all come out as one replacement.
 */
import type { TextOp } from '../../../gateway/client/index.ts';
import { splitsPair, toCodePoints } from './offsets.ts';

/** One replacement, in code points: at `position`, `removed` characters gave way to `inserted`. */
export interface TextEdit {
  position: number;
  removed: number;
  inserted: string;
}

/**
 * The edit that turns `before` into `after`, or null when they are equal.
 *
 * Where the answer is ambiguous — typing `a` into `aa` could have inserted at 0, 1 or 2 — the
 * caret decides: after an edit the caret sits at the end of what was inserted, so the text
 * after the caret (`caret` is a UTF-16 index into `after`) is taken as unchanged.
 *
 * @example
 * diffText('aa', 'aaa', 1); // { position: 0, removed: 0, inserted: 'a' }
 */
export function diffText(before: string, after: string, caret?: number): TextEdit | null {
  if (before === after) return null;
  const shorter = Math.min(before.length, after.length);
  const caretLimit = caret === undefined ? shorter : Math.max(0, after.length - caret);

  let suffix = 0;
  while (
    suffix < Math.min(shorter, caretLimit) &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  ) {
    suffix++;
  }
  let prefix = 0;
  while (prefix < shorter - suffix && before.charCodeAt(prefix) === after.charCodeAt(prefix)) {
    prefix++;
  }

  // Neither end of the replacement may fall inside a surrogate pair, or the edit would tear
  // an emoji in two.
  if (splitsPair(before, prefix) || splitsPair(after, prefix)) prefix--;
  while (
    suffix > 0 &&
    (splitsPair(before, before.length - suffix) || splitsPair(after, after.length - suffix))
  ) {
    suffix--;
  }

  const position = toCodePoints(before, prefix);
  return {
    position,
    removed: toCodePoints(before, before.length - suffix) - position,
    inserted: after.slice(prefix, after.length - suffix),
  };
}

/**
 * The edit as an `ot-text-unicode` operation.
 *
 * @example
 * editToOp({ position: 3, removed: 1, inserted: 'x' }); // [3, { d: 1 }, 'x']
 */
export function editToOp(edit: TextEdit): TextOp {
  const op: TextOp = [];
  if (edit.position > 0) op.push(edit.position);
  if (edit.removed > 0) op.push({ d: edit.removed });
  if (edit.inserted.length > 0) op.push(edit.inserted);
  return op;
}
