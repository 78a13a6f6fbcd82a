/**
 * The text OT type the SDK uses: `ot-text-unicode` over plain strings, with the invertibility
 * helpers its type declarations leave out. Positions and lengths are Unicode code points.
 */
import { type as textType, insert, remove } from 'ot-text-unicode';
import type { TextOp } from './protocol.ts';

interface InvertibleTextType {
  apply(text: string, op: TextOp): string;
  transform(op: TextOp, other: TextOp, side: 'left' | 'right'): TextOp;
  compose(a: TextOp, b: TextOp): TextOp;
  normalize(op: TextOp): TextOp;
  checkOp(op: TextOp): void;
  transformPosition(position: number, op: TextOp): number;
  /** Replaces delete counts with the deleted text, read from `text`. */
  makeInvertible(op: TextOp, text: string): TextOp;
  /** Turns inserts into deletes and back; needs the deleted text in the operation. */
  invert(op: TextOp): TextOp;
  isInvertible(op: TextOp): boolean;
  /** Replaces deleted text with its length again, for the wire. */
  stripInvertible(op: TextOp): TextOp;
}

export const text = textType as unknown as InvertibleTextType;

export const insertOp = (position: number, inserted: string): TextOp => insert(position, inserted);

export const removeOp = (position: number, count: number): TextOp => remove(position, count);

/** The length of `value` in code points, the unit of every position. */
export function codePoints(value: string): number {
  let length = 0;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit < 0xd800 || unit > 0xdbff) length++;
  }
  return length;
}
