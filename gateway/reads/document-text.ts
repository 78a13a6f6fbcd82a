/**
 * The text of a document at a version. This is the only place the gateway reads whole
 * documents: from the projector's snapshots plus the operations after them when the
 * projector's reads are wired in, by replaying the event store otherwise.
 *
 * The most recent text of busy documents is kept in memory (least recently used first out,
 * bounded in bytes), so that a thousand people opening the same document cost one replay and
 * a thousand small reads of what changed since, not a thousand replays.
 */
import { unavailable, versionFromFuture } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import type { SequencedOp } from '../../common/protocol.ts';
import { CodePointRope } from '../../engine/ot/code-point-rope.ts';
import { textType } from '../../engine/ot/text-type.ts';
import type { EventStore } from '../../engine/ports/event-store.ts';
import { Coalescer } from './coalescer.ts';

export interface VersionedText {
  v: number;
  text: string;
}

const EMPTY: VersionedText = { v: 0, text: '' };

/** Texts built from snapshots: the projector's `HistoryReads` is one. */
export interface SnapshotTexts {
  latestText(doc: string): Promise<VersionedText>;
  textAt(doc: string, v: number): Promise<VersionedText>;
}

export class DocumentTexts {
  private readonly cache = new Map<string, VersionedText>();
  private cachedBytes = 0;
  private readonly refreshes = new Coalescer<VersionedText>();

  constructor(
    private readonly events: EventStore,
    private readonly logger: Logger,
    private readonly maxCachedBytes: number,
    private readonly snapshots?: SnapshotTexts,
  ) {}

  /**
   * The text at the head version. The read of the event store starts after this call, so an
   * operation stored before the call is always included.
   *
   * @example
   * const { v, text } = await texts.head(doc);
   */
  head(doc: string): Promise<VersionedText> {
    return this.refreshes.run(doc, () => this.readAhead(doc));
  }

  /**
   * The text at version `v`; VERSION_FROM_FUTURE when the document has not reached it.
   *
   * @example
   * const { text } = await texts.at(doc, 12);
   */
  async at(doc: string, v: number): Promise<VersionedText> {
    const cached = this.cache.get(doc);
    if (cached?.v === v) return cached;
    if (this.snapshots && !(cached && cached.v < v)) return this.snapshots.textAt(doc, v);

    const base = cached && cached.v < v ? cached : EMPTY;
    const ops = await this.events.range(doc, base.v, v);
    const result = this.replay(doc, base, ops);
    if (result.v !== v) {
      throw versionFromFuture(`document ${doc} has no version ${v} yet (head ${result.v})`);
    }
    if (!cached || cached.v < v) this.remember(doc, result);
    return result;
  }

  private async readAhead(doc: string): Promise<VersionedText> {
    const cached = this.cache.get(doc);
    if (!cached && this.snapshots) {
      const latest = await this.snapshots.latestText(doc);
      this.remember(doc, latest);
      return latest;
    }
    const base = cached ?? EMPTY;
    const ops = await this.events.range(doc, base.v);
    if (ops.length === 0) return base;
    const result = this.replay(doc, base, ops);
    this.remember(doc, result);
    return result;
  }

  /** Applies stored operations in order; a gap or a misfit means the store is damaged. */
  private replay(doc: string, base: VersionedText, ops: readonly SequencedOp[]): VersionedText {
    if (ops.length === 0) return base;
    const rope = new CodePointRope(base.text);
    let v = base.v;
    for (const event of ops) {
      if (event.v !== v + 1) {
        this.logger.error({ doc, expected: v + 1, found: event.v }, 'gap in stored history');
        throw unavailable(`the history of document ${doc} cannot be read right now`);
      }
      try {
        textType.apply(rope, event.op);
      } catch (error) {
        this.logger.error({ doc, v: event.v, err: error }, 'stored operation does not apply');
        throw unavailable(`the history of document ${doc} cannot be read right now`);
      }
      v = event.v;
    }
    return { v, text: rope.toString() };
  }

  private remember(doc: string, text: VersionedText): void {
    this.forget(doc);
    const bytes = text.text.length * 2;
    if (bytes > this.maxCachedBytes) return;
    this.cache.set(doc, text);
    this.cachedBytes += bytes;
    for (const [oldest, entry] of this.cache) {
      if (this.cachedBytes <= this.maxCachedBytes) break;
      this.cache.delete(oldest);
      this.cachedBytes -= entry.text.length * 2;
    }
  }

  private forget(doc: string): void {
    const entry = this.cache.get(doc);
    if (!entry) return;
    this.cache.delete(doc);
    this.cachedBytes -= entry.text.length * 2;
  }
}
