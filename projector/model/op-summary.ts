/**
 * What an operation did, in the units of the revision summary: code points inserted and
 * deleted. Counting needs only the operation, not the text it applies to.
 */
import type { TextOp } from '../../common/protocol.ts';
import { codePointLength } from '../../engine/ot/unicode.ts';

export interface OpSummary {
  inserted: number;
  deleted: number;
}

/**
 * @example
 * summarizeOp([3, 'hi', { d: 2 }]); // { inserted: 2, deleted: 2 }
 */
export function summarizeOp(op: TextOp): OpSummary {
  let inserted = 0;
  let deleted = 0;
  for (const component of op) {
    if (typeof component === 'string') inserted += codePointLength(component);
    else if (typeof component === 'object') {
      const removed = component.d;
      deleted += typeof removed === 'number' ? removed : codePointLength(removed);
    }
  }
  return { inserted, deleted };
}
