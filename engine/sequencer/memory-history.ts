/**
 * A history source held in memory, for tests and benchmarks: the events of each document in
 * version order, with the event store's two unique keys enforced on append.
 */
import type { SequencedOp } from '../../common/protocol.ts';
import { CodePointRope } from '../ot/code-point-rope.ts';
import { textType } from '../ot/text-type.ts';
import type { HistorySource, LoadedDocument } from './history-source.ts';

interface DocumentHistory {
  /** `events[i]` is version `i + 1`. */
  events: SequencedOp[];
  bySource: Map<string, SequencedOp>;
  lastSeqs: Map<string, number>;
}

export class MemoryHistory implements HistorySource {
  private readonly documents = new Map<string, DocumentHistory>();

  /**
   * Stores a sequenced event, refusing what the event store's unique keys would refuse.
   *
   * @example
   * const outcome = await sequencer.submit(submission, Date.now());
   * if (outcome.kind === 'sequenced') history.append(outcome.op);
   */
  append(event: SequencedOp): void {
    const history = this.history(event.doc);
    const key = sourceKey(event.src, event.seq);
    if (event.v !== history.events.length + 1) {
      throw new Error(
        `version ${event.v} of ${event.doc} does not follow head ${history.events.length}`,
      );
    }
    if (history.bySource.has(key)) {
      throw new Error(`seq ${event.seq} from ${event.src} is already stored in ${event.doc}`);
    }

    history.events.push(event);
    history.bySource.set(key, event);
    history.lastSeqs.set(event.src, Math.max(event.seq, history.lastSeqs.get(event.src) ?? 0));
  }

  /** The text at the head, replayed from the events. */
  async loadDocument(doc: string): Promise<LoadedDocument> {
    const events = this.history(doc).events;
    const text = new CodePointRope();
    for (const event of events) textType.apply(text, event.op);
    return { head: events.length, text: text.toString(), recent: [...events] };
  }

  async range(doc: string, from: number, to?: number): Promise<SequencedOp[]> {
    const events = this.history(doc).events;
    return events.slice(Math.max(from, 0), to ?? events.length);
  }

  async lastSeq(doc: string, src: string): Promise<number> {
    return this.history(doc).lastSeqs.get(src) ?? 0;
  }

  async findBySource(doc: string, src: string, seq: number): Promise<SequencedOp | null> {
    return this.history(doc).bySource.get(sourceKey(src, seq)) ?? null;
  }

  private history(doc: string): DocumentHistory {
    let history = this.documents.get(doc);
    if (!history) {
      history = { events: [], bySource: new Map(), lastSeqs: new Map() };
      this.documents.set(doc, history);
    }
    return history;
  }
}

function sourceKey(src: string, seq: number): string {
  return `${seq}:${src}`;
}
