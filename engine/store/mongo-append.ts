/**
 * Writes one document's events to `events` with a single ordered `insertMany`, and turns a
 * duplicate-key refusal into the port's `conflict` or `duplicate`.
 */
import { MongoBulkWriteError, type Collection } from 'mongodb';
import type { SequencedOp } from '../../common/protocol.ts';
import type { AppendFailure } from '../ports/event-store.ts';
import { classifyRefusal } from './append-rules.ts';
import { eventId, toRecord, type EventRecord } from './mongo-records.ts';

const DUPLICATE_KEY = 11000;

export interface DocumentAppend {
  appended: SequencedOp[];
  failure?: AppendFailure;
}

/**
 * An ordered insert stops at its first error and keeps everything before it, which is exactly
 * the port's rule for one document: the events before the refused one are written, the refused
 * one and everything after it are not. (FerretDB 1.24.2 as released went on after a refusal
 * with its next batch of documents; the build in `scripts/infra/ferretdb.ts` fixes that.)
 *
 * The server's duplicate-key error does not say which unique index refused the event (FerretDB
 * reports no key pattern), so the refused event is classified by what is stored at its `_id`.
 * Any other failure is thrown: the caller cannot tell which events were written, and retrying
 * the whole batch is safe because the unique indexes refuse whatever is already there.
 */
export async function appendDocument(
  events: Collection<EventRecord>,
  batch: readonly SequencedOp[],
): Promise<DocumentAppend> {
  try {
    await events.insertMany(batch.map(toRecord), { ordered: true });
    return { appended: [...batch] };
  } catch (error) {
    const index = refusedIndex(error);
    if (index === null) throw error;
    const event = batch[index]!;
    const stored = await events.findOne({ _id: eventId(event.doc, event.v) });
    return {
      appended: batch.slice(0, index),
      failure: { event, reason: classifyRefusal(event, stored) },
    };
  }
}

/** The position of the event a unique index refused, or null for any other failure. */
function refusedIndex(error: unknown): number | null {
  if (!(error instanceof MongoBulkWriteError)) return null;
  const { writeErrors } = error;
  const first = Array.isArray(writeErrors) ? writeErrors[0] : writeErrors;
  return first?.code === DUPLICATE_KEY ? first.index : null;
}
