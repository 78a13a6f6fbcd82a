/** Editing-trace patches as text operations. */
import type { TextOp } from '../../common/protocol.ts';
import type { Patch } from '../../common/traces.ts';

/**
 * The operation for one trace patch: skip to the position, delete, then insert, all in code
 * points, normalized the way `ot-text-unicode` expects (no empty components, no trailing skip).
 *
 * @example
 * patchToOp([5, 1, 'x']); // [5, { d: 1 }, 'x']
 */
export function patchToOp([position, deleteCount, inserted]: Patch): TextOp {
  const op: TextOp = [];
  if (position > 0 && (deleteCount > 0 || inserted !== '')) op.push(position);
  if (deleteCount > 0) op.push({ d: deleteCount });
  if (inserted !== '') op.push(inserted);
  return op;
}
