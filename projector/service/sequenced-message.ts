/**
 * Reading `ops.sequenced` records. The projector wants only the operations; rejections carry
 * no version and change nothing it keeps.
 */
import type { SequencedMessage, SequencedOp } from '../../common/protocol.ts';
import type { ConsumedMessage } from '../../engine/ports/log.ts';

export type ParsedMessage =
  { kind: 'op'; op: SequencedOp } | { kind: 'ignored' } | { kind: 'malformed'; reason: string };

export function parseSequenced(message: ConsumedMessage): ParsedMessage {
  let value: Partial<SequencedMessage>;
  try {
    value = JSON.parse(message.value) as Partial<SequencedMessage>;
  } catch {
    return { kind: 'malformed', reason: 'not JSON' };
  }
  if (value.type === 'reject') return { kind: 'ignored' };
  if (value.type !== 'op')
    return { kind: 'malformed', reason: `unknown type ${String(value.type)}` };
  const problem = opProblem(value);
  if (problem) return { kind: 'malformed', reason: problem };
  const { doc, v, src, seq, op, user, ts } = value as SequencedOp;
  return { kind: 'op', op: { doc, v, src, seq, op, user, ts } };
}

function opProblem(value: Partial<SequencedOp>): string | null {
  if (typeof value.doc !== 'string' || value.doc === '') return 'no document id';
  if (!Number.isSafeInteger(value.v) || (value.v ?? 0) < 1) return 'no version';
  if (!Array.isArray(value.op)) return 'no operation';
  if (typeof value.user !== 'string') return 'no user';
  if (typeof value.ts !== 'number') return 'no timestamp';
  return null;
}

/** A batch's operations per document, each document's in the order the log gave them. */
export function operationsByDocument(ops: readonly SequencedOp[]): Map<string, SequencedOp[]> {
  const byDoc = new Map<string, SequencedOp[]>();
  for (const op of ops) {
    const list = byDoc.get(op.doc);
    if (list) list.push(op);
    else byDoc.set(op.doc, [op]);
  }
  return byDoc;
}
