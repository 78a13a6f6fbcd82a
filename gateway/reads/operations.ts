/**
 * Ranges of stored operations, for catch-up and for `GET …/ops`. Both bound what one read may
 * return and tell a version the document has not reached from one it has.
 */
import { badRequest, tooLarge, versionFromFuture, versionTooOld } from '../../common/errors.ts';
import type { SequencedOp } from '../../common/protocol.ts';
import type { EventStore } from '../../engine/ports/event-store.ts';
import type { WireOp } from '../client/protocol.ts';

/**
 * Every operation after version `v`, for a client that has `v`. VERSION_TOO_OLD when there
 * are more than `max`: the client is better off with the current text.
 *
 * @example
 * const ops = await opsAfter(events, doc, 41, 10_000); // versions 42 … head
 */
export async function opsAfter(
  events: EventStore,
  doc: string,
  v: number,
  max: number,
): Promise<SequencedOp[]> {
  const ops = await events.range(doc, v, v + max + 1);
  if (ops.length > max) {
    throw versionTooOld(
      `version ${v} of document ${doc} is more than ${max} operations behind; ` +
        'join without a version to get the current text',
    );
  }
  if (ops.length === 0) await requireVersion(events, doc, v);
  return ops;
}

/**
 * Operations `from < v <= to`; without `to`, up to `max` of them from `from` on.
 *
 * @example
 * const ops = await opsBetween(events, doc, 0, 10, 1000); // versions 1 … 10
 */
export async function opsBetween(
  events: EventStore,
  doc: string,
  from: number,
  to: number | undefined,
  max: number,
): Promise<SequencedOp[]> {
  if (to !== undefined && to < from) throw badRequest(`to (${to}) is below from (${from})`);
  if (to !== undefined && to - from > max) {
    throw tooLarge(`ask for at most ${max} operations at a time (from ${from} to ${to})`);
  }
  const ops = await events.range(doc, from, to ?? from + max);
  if (to !== undefined && (ops.at(-1)?.v ?? from) < to) await requireVersion(events, doc, to);
  if (ops.length === 0) await requireVersion(events, doc, from);
  return ops;
}

/**
 * VERSION_FROM_FUTURE unless the document has reached version `v`. Versions are stored
 * contiguously from 1, so looking up version `v` alone answers it, where asking for the head
 * may cost many lookups on a store that can only find records by key.
 */
export async function requireVersion(events: EventStore, doc: string, v: number): Promise<void> {
  if (v === 0) return;
  const found = await events.range(doc, v - 1, v);
  if (found.length === 0) {
    throw versionFromFuture(`document ${doc} has not reached version ${v} yet`);
  }
}

/** A stored operation as clients receive it: the document is named by the message. */
export function toWireOp({ v, src, seq, op, user, ts }: SequencedOp): WireOp {
  return { v, src, seq, op, user, ts };
}
