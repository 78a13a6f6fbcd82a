/**
 * The sequencer's history source over the event store: a document not in memory is loaded from
 * its latest snapshot (when a snapshot source is given) and the events after it.
 */
import type { SequencedOp } from '../../common/protocol.ts';
import { CodePointRope } from '../ot/code-point-rope.ts';
import { textType } from '../ot/text-type.ts';
import type { EventStore } from '../ports/event-store.ts';
import type { HistorySource, LoadedDocument } from '../sequencer/history-source.ts';

/** The newest snapshot of a document, if any: its version and the text at that version. */
export interface SnapshotSource {
  latestSnapshot(doc: string): Promise<{ v: number; text: string } | null>;
}

export class StoreHistory implements HistorySource {
  constructor(
    private readonly store: EventStore,
    private readonly snapshots?: SnapshotSource,
  ) {}

  async loadDocument(doc: string): Promise<LoadedDocument> {
    const head = await this.store.head(doc);
    if (head === 0) return { head, text: '' };

    const snapshot = (await this.snapshots?.latestSnapshot(doc)) ?? null;
    // A snapshot ahead of the event store cannot be trusted: the store is the source of truth.
    const base = snapshot && snapshot.v <= head ? snapshot : { v: 0, text: '' };
    const rope = new CodePointRope(base.text);
    const events = await this.store.range(doc, base.v, head);
    if (events.length !== head - base.v) {
      throw new Error(
        `${doc}: the event store returned ${events.length} of versions ${base.v + 1}…${head}`,
      );
    }
    for (const event of events) textType.apply(rope, event.op);
    return { head, text: rope.toString(), recent: events };
  }

  range(doc: string, from: number, to?: number): Promise<SequencedOp[]> {
    return this.store.range(doc, from, to);
  }

  lastSeq(doc: string, src: string): Promise<number> {
    return this.store.lastSeq(doc, src);
  }

  findBySource(doc: string, src: string, seq: number): Promise<SequencedOp | null> {
    return this.store.findBySource(doc, src, seq);
  }
}
