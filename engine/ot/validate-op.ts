/**
 * Validation of text operations: the shape `ot-text-unicode` accepts, the fit to the document
 * and the size limits. It runs on every operation the sequencer accepts, so each check is a
 * single pass over the operation and never reads the document text unless a limit is at
 * stake.
 */
import { invalidOp, tooLarge } from '../../common/errors.ts';
import type { TextOp } from '../../common/protocol.ts';
import { codePointLength, unpairedSurrogateAt, utf8Length } from './unicode.ts';

export interface OpLimits {
  /** UTF-8 bytes one operation may insert, summed over its inserts. */
  maxOpInsertBytes: number;
  /** UTF-8 bytes a document may hold after the operation. */
  maxDocBytes: number;
}

/** What one pass over a well-formed operation learns, so later checks need no second pass. */
export interface OpMeasure {
  /** Code points of the document the operation walks over: its skips plus its deletes. */
  consumed: number;
  /** UTF-8 bytes of all inserted text. */
  insertedBytes: number;
}

/** The document as validation sees it; `CodePointRope` is one. */
export interface MeasuredText {
  /** Length in code points. */
  readonly length: number;
  readonly utf8Bytes: number;
  slice(start: number, end: number): string;
}

/**
 * Checks that `op` is a well-formed `ot-text-unicode` operation and measures it. Throws
 * `INVALID_OP` naming the first offending component.
 *
 * @example
 * checkOp([5, 'hi', { d: 2 }]); // { consumed: 7, insertedBytes: 2 }
 */
export function checkOp(op: unknown): OpMeasure {
  if (!Array.isArray(op)) {
    throw invalidOp(`an operation must be an array of components, got ${describeValue(op)}`);
  }
  const measure: OpMeasure = { consumed: 0, insertedBytes: 0 };
  for (let i = 0; i < op.length; i++) {
    const component: unknown = op[i];
    if (typeof component === 'number') measure.consumed += checkSkip(op, i, component);
    else if (typeof component === 'string') measure.insertedBytes += checkInsert(i, component);
    else measure.consumed += checkDelete(i, component);
  }
  return measure;
}

function checkSkip(op: unknown[], i: number, skip: number): number {
  if (!Number.isSafeInteger(skip) || skip <= 0) {
    throw invalidOp(
      `component ${i}: a skip must be a positive integer, got ${describeValue(skip)}`,
    );
  }
  if (i > 0 && typeof op[i - 1] === 'number') {
    throw invalidOp(`components ${i - 1} and ${i} are adjacent skips; combine them into one`);
  }
  if (i === op.length - 1) {
    throw invalidOp(
      `component ${i}: an operation must not end with a skip; drop it ` +
        '(ot-text-unicode normalizes operations that way)',
    );
  }
  return skip;
}

/** Returns the inserted text's UTF-8 size. */
function checkInsert(i: number, text: string): number {
  if (text.length === 0) throw invalidOp(`component ${i}: an insert must not be empty`);
  checkWellFormed(i, 'inserted', text);
  return utf8Length(text);
}

/** Returns the deleted length in code points. */
function checkDelete(i: number, component: unknown): number {
  if (typeof component !== 'object' || component === null || Array.isArray(component)) {
    throw invalidOp(
      `component ${i}: expected a skip (number), an insert (string) or a delete ({d}), ` +
        `got ${describeValue(component)}`,
    );
  }
  for (const field in component) {
    if (field !== 'd') {
      throw invalidOp(
        `component ${i}: a delete has only the field "d" (a count or the deleted text), ` +
          `got field "${field}"`,
      );
    }
  }
  const d: unknown = (component as { d?: unknown }).d;
  if (typeof d === 'number' && Number.isSafeInteger(d) && d > 0) return d;
  if (typeof d === 'string' && d.length > 0) {
    checkWellFormed(i, 'deleted', d);
    return codePointLength(d);
  }
  throw invalidOp(
    `component ${i}: a delete's "d" must be a positive integer count or non-empty text, ` +
      `got ${describeValue(d)}`,
  );
}

function checkWellFormed(i: number, role: string, text: string): void {
  const at = unpairedSurrogateAt(text);
  if (at !== -1) {
    throw invalidOp(
      `component ${i}: the ${role} text has an unpaired UTF-16 surrogate at index ${at}; ` +
        'send well-formed Unicode',
    );
  }
}

/** Throws `TOO_LARGE` when the operation inserts more text than one operation may carry. */
export function checkOpSize(measure: OpMeasure, limits: OpLimits): void {
  if (measure.insertedBytes > limits.maxOpInsertBytes) {
    throw tooLarge(
      `the operation inserts ${measure.insertedBytes} bytes, more than the limit of ` +
        `${limits.maxOpInsertBytes} bytes per operation; split the text over several operations`,
    );
  }
}

/**
 * Throws `INVALID_OP` when the operation skips or deletes past the end of a document of
 * `length` code points; the message names the first component that does.
 */
export function checkOpFits(op: TextOp, measure: OpMeasure, length: number): void {
  if (measure.consumed <= length) return;

  let position = 0;
  for (const component of op) {
    if (typeof component === 'number') {
      position += component;
      if (position > length) {
        throw invalidOp(
          `the operation skips past the end of the document (length ${length}, skip to ${position})`,
        );
      }
    } else if (typeof component === 'object') {
      const end = position + deleteLength(component.d);
      if (end > length) {
        throw invalidOp(
          `the operation deletes past the end of the document (length ${length}, ` +
            `delete from ${position} to ${end})`,
        );
      }
      position = end;
    }
  }
}

/**
 * Throws `TOO_LARGE` when applying the operation would make the document larger than the
 * limit. The deleted text is read only when the inserts alone would cross the limit.
 */
export function checkResultSize(
  op: TextOp,
  measure: OpMeasure,
  text: MeasuredText,
  limits: OpLimits,
): void {
  const withoutDeletes = text.utf8Bytes + measure.insertedBytes;
  if (withoutDeletes <= limits.maxDocBytes) return;

  const resulting = withoutDeletes - deletedBytes(op, text);
  if (resulting > limits.maxDocBytes) {
    throw tooLarge(
      `the operation would make the document ${resulting} bytes, more than the limit of ` +
        `${limits.maxDocBytes} bytes; delete some text or continue in a new document`,
    );
  }
}

/**
 * Runs every check an operation must pass before it is applied to `text`: its shape, its
 * insert size, its fit and the resulting document size.
 *
 * @example
 * validateOp([3, { d: 2 }], new CodePointRope('hello'), limits); // fits: 'hel'
 */
export function validateOp(op: unknown, text: MeasuredText, limits: OpLimits): OpMeasure {
  const measure = checkOp(op);
  checkOpSize(measure, limits);
  checkOpFits(op as TextOp, measure, text.length);
  checkResultSize(op as TextOp, measure, text, limits);
  return measure;
}

function deletedBytes(op: TextOp, text: MeasuredText): number {
  let bytes = 0;
  let position = 0;
  for (const component of op) {
    if (typeof component === 'number') position += component;
    else if (typeof component === 'object') {
      const end = position + deleteLength(component.d);
      bytes += utf8Length(text.slice(position, end));
      position = end;
    }
  }
  return bytes;
}

function deleteLength(d: number | string): number {
  return typeof d === 'number' ? d : codePointLength(d);
}

/** A short description of an unexpected value for an error message. */
function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'number':
      return String(value);
    case 'string':
      return value.length === 0 ? 'an empty string' : 'a string';
    case 'object':
      return 'an object';
    case 'undefined':
      return 'nothing';
    default:
      return `a ${typeof value}`;
  }
}
