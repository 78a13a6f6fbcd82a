/**
 * The transform step: an operation written against its base version is brought up to the
 * head by transforming it against every operation sequenced after the base, one at a time.
 *
 * Never against their composition: every client transforms its own pending operation against
 * the server's operations one at a time, so doing exactly the same here makes the server break
 * each tie the way the clients do by construction, instead of relying on composition and
 * transform commuting for every pair of operations.
 */
import { unavailable } from '../../common/errors.ts';
import type { SequencedOp, TextOp } from '../../common/protocol.ts';
import { transformOp } from '../ot/text-type.ts';
import type { DocumentState } from './document-state.ts';
import type { HistorySource } from './history-source.ts';

/** No operations older than the window are needed. */
export const NO_OLDER_OPS: readonly SequencedOp[] = [];

/**
 * Transforms `op`, based on version `base`, up to the document's head: first against `older`
 * (the operations after `base` that the window no longer holds), then against the window.
 */
export function transformToHead(
  op: TextOp,
  base: number,
  state: DocumentState,
  older: readonly SequencedOp[],
): TextOp {
  for (const other of older) op = transformOp(op, other.op);
  const window = state.window;
  for (let v = Math.max(base + 1, window.oldest); v <= state.head; v++) {
    op = transformOp(op, window.at(v).op);
  }
  return op;
}

/**
 * Reads from the history the operations after `base` that are older than the window.
 *
 * The range must be complete, because transforming across a gap corrupts the operation
 * silently:
 *   1. The service sequences a large batch for one document in memory and appends the
 *      events to the store only after the batch.
 *   2. The window keeps the newest operations only, so the batch's first ones leave it.
 *   3. A later submission in the same batch, based on a version before the window, asks the
 *      store for events that are not written yet.
 * The sequencer then refuses to guess, and the caller retries once its appends are stored.
 */
export async function readOlderOps(
  history: HistorySource,
  state: DocumentState,
  base: number,
): Promise<readonly SequencedOp[]> {
  const to = state.window.oldest - 1;
  const older = await history.range(state.doc, base, to);
  if (older.length !== to - base || older[0]?.v !== base + 1 || older.at(-1)?.v !== to) {
    throw unavailable(
      `the history of ${state.doc} does not hold versions ${base + 1} to ${to} yet; ` +
        'retry once the pending events are stored',
      100,
    );
  }
  return older;
}
