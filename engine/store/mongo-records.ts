/**
 * The documents the MongoDB event store keeps, and the string keys it looks them up by.
 *
 * `heads` is keyed by the document id alone. The keys of `events` and `sources` put the
 * document id first and rely on document ids never containing `/` (see `append-rules.ts`), so
 * `${doc}/${v}` and `${doc}/${src}` cannot collide across documents even when a client-chosen
 * `src` contains slashes.
 */
import type { SequencedOp } from '../../common/protocol.ts';

/** One stored version in `events`. */
export interface EventRecord extends SequencedOp {
  _id: string;
}

/** A version known to be stored for one document, in `heads`. */
export interface HeadRecord {
  _id: string;
  v: number;
}

/** The latest submission sequenced from one source in one document, in `sources`. */
export interface SourceRecord {
  _id: string;
  seq: number;
  v: number;
}

export const EVENTS = 'events';
export const SOURCES = 'sources';
export const HEADS = 'heads';

export const eventId = (doc: string, v: number): string => `${doc}/${v}`;

export const sourceId = (doc: string, src: string): string => `${doc}/${src}`;

export function toRecord(event: SequencedOp): EventRecord {
  const { doc, v, src, seq, op, user, ts } = event;
  return { _id: eventId(doc, v), doc, v, src, seq, op, user, ts };
}

/** Strips `_id` and anything else a server may add, so callers get exactly a `SequencedOp`. */
export function fromRecord(record: EventRecord): SequencedOp {
  const { doc, v, src, seq, op, user, ts } = record;
  return { doc, v, src, seq, op, user, ts };
}
