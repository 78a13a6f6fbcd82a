/**
 * What the sequencer reads from the stored history: how to load a document it does not hold,
 * older operations than its window keeps, and what each client last had sequenced. The event
 * store port provides all of it but the load, which an adapter adds (from the latest snapshot
 * and the events after it, or by replaying the events).
 */
import type { SequencedOp } from '../../common/protocol.ts';
import type { EventStore } from '../ports/event-store.ts';

/** A document as the history holds it: `{head: 0, text: ''}` when it has no events. */
export interface LoadedDocument {
  head: number;
  text: string;
  /**
   * The events the load replayed to build the text, in version order and ending at `head`
   * (those after the snapshot it started from); none when it replayed nothing. They are read
   * from the events themselves, so they are exact where a summary such as `lastSeq` may lag.
   */
  recent?: readonly SequencedOp[];
}

export interface HistorySource extends Pick<EventStore, 'range' | 'lastSeq' | 'findBySource'> {
  /** The head version and the text at that version; a document without events is new. */
  loadDocument(doc: string): Promise<LoadedDocument>;
}
