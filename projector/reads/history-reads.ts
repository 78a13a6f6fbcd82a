/**
 * The reads of a document's history, for the gateway's HTTP API and joins: the text at any
 * version, the latest text, operations in a range and the list of revisions. Texts come from
 * the nearest snapshot plus the stored operations after it, so they never wait for the
 * projector to catch up: a version the event store has is always readable.
 */
import { notFound, unavailable, versionFromFuture } from '../../common/errors.ts';
import { createLogger, type Logger } from '../../common/logger.ts';
import type { SequencedOp } from '../../common/protocol.ts';
import type { EventStore } from '../../engine/ports/event-store.ts';
import { DamagedHistoryError } from '../model/damaged-history.ts';
import {
  revisionCount,
  type ProjectionState,
  type Revision,
  type Snapshot,
} from '../model/records.ts';
import type { ProjectionReader } from '../ports/projection-store.ts';
import {
  checkOperationRange,
  checkPageSize,
  checkRevisionCursor,
  checkVersion,
} from './read-arguments.ts';
import {
  EMPTY_TEXT,
  applyOperations,
  indexAtOrBelow,
  nearestSnapshot,
  readOperations,
  type VersionedText,
} from './text-base.ts';

export type { VersionedText };

export interface HistoryReadsDeps {
  events: Pick<EventStore, 'range'>;
  projections: ProjectionReader;
  /**
   * Whether a document exists (the gateway's documents store knows). Without it, a document
   * with no history reads as empty at version 0, and NOT_FOUND is never answered.
   */
  documentExists?: (doc: string) => Promise<boolean>;
  logger?: Logger;
}

/** One page of a document's revisions, newest first. */
export interface RevisionPage {
  revisions: Revision[];
  /** How many revisions the document has; the newest may still grow. */
  total: number;
  /** The `before` that asks for the next (older) page, or null on the last page. */
  next: number | null;
}

export class HistoryReads {
  private readonly logger: Logger;

  constructor(private readonly deps: HistoryReadsDeps) {
    this.logger = deps.logger ?? createLogger('history-reads');
  }

  /**
   * The text at version `v`; VERSION_FROM_FUTURE when the document has not reached it.
   *
   * @example
   * const { v, text } = await reads.textAt('doc-1', 120);
   */
  async textAt(doc: string, v: number): Promise<VersionedText> {
    checkVersion('v', v);
    return this.guard(doc, async () => {
      const { projections } = this.deps;
      const [state, latest] = await Promise.all([projections.state(doc), projections.latest(doc)]);
      const base = await textBase(projections, doc, state?.snapshots ?? [], latest, v);
      const ops = base.v === v ? [] : await readOperations(this.deps.events, doc, base.v, v);
      if (!state && base.v + ops.length === 0) await this.ensureExists(doc);
      if (base.v + ops.length < v) throw noVersionYet(doc, v, base.v + ops.length);
      return applyOperations(base, ops);
    });
  }

  /**
   * The text at the newest stored version: the projector's latest text and every operation
   * after it — usually one lookup and a handful of operations, whatever the document's length.
   *
   * @example
   * const { v, text } = await reads.latestText('doc-1');
   */
  async latestText(doc: string): Promise<VersionedText> {
    return this.guard(doc, async () => {
      const { projections } = this.deps;
      const latest = await projections.latest(doc);
      const state = latest ? null : await projections.state(doc);
      const base = latest
        ? { v: latest.v, text: latest.text }
        : state
          ? await nearestSnapshot(projections, doc, state.snapshots, state.head)
          : EMPTY_TEXT;
      const ops = await readOperations(this.deps.events, doc, base.v);
      if (!latest && !state && ops.length === 0) await this.ensureExists(doc);
      return applyOperations(base, ops);
    });
  }

  /**
   * The operations that make versions `from + 1 … to`, at most 10,000; without `to`, up to
   * 10,000 from `from` on, as many as exist.
   *
   * @example
   * const ops = await reads.operations('doc-1', 100, 150); // versions 101 … 150
   */
  async operations(doc: string, from: number, to?: number): Promise<SequencedOp[]> {
    const range = checkOperationRange(from, to);
    return this.guard(doc, async () => {
      const ops = await readOperations(this.deps.events, doc, range.from, range.to);
      const reached = range.from + ops.length;
      if (reached === 0) await this.ensureExists(doc);
      if (to !== undefined && reached < to) throw noVersionYet(doc, to, reached);
      if (ops.length === 0 && from > 0) await this.ensureVersion(doc, from);
      return ops;
    });
  }

  /**
   * A page of revisions, newest first; pass `next` back as `before` for older ones.
   *
   * @example
   * const page = await reads.revisions('doc-1', { limit: 20 });
   * const older = await reads.revisions('doc-1', { before: page.next!, limit: 20 });
   */
  async revisions(
    doc: string,
    options: { before?: number; limit?: number } = {},
  ): Promise<RevisionPage> {
    const limit = checkPageSize(options.limit);
    const before = checkRevisionCursor(options.before);
    return this.guard(doc, async () => {
      const state = await this.deps.projections.state(doc);
      if (!state) {
        await this.ensureExists(doc);
        return { revisions: [], total: 0, next: null };
      }
      const total = revisionCount(state);
      const newest = Math.min(before === undefined ? total : before - 1, total);
      const oldest = Math.max(newest - limit + 1, 1);
      const revisions = await this.readRevisions(state, newest, oldest);
      return { revisions, total, next: oldest > 1 ? oldest : null };
    });
  }

  private async readRevisions(
    state: ProjectionState,
    newest: number,
    oldest: number,
  ): Promise<Revision[]> {
    const numbers = Array.from({ length: Math.max(newest - oldest + 1, 0) }, (_, i) => newest - i);
    const found = await Promise.all(
      numbers.map((n) =>
        n > state.closedRevisions ? state.open : this.deps.projections.revision(state.doc, n),
      ),
    );
    const revisions = found.filter((revision): revision is Revision => revision !== null);
    if (revisions.length < numbers.length) {
      this.logger.warn({ doc: state.doc, newest, oldest }, 'listed revisions missing from store');
    }
    return revisions;
  }

  private async ensureExists(doc: string): Promise<void> {
    const exists = this.deps.documentExists;
    if (exists && !(await exists(doc))) throw notFound(`document ${doc} does not exist`);
  }

  /** Version `v` itself exists: an empty answer after it is then the truth, not the future. */
  private async ensureVersion(doc: string, v: number): Promise<void> {
    const [found] = await this.deps.events.range(doc, v - 1, v);
    if (!found) throw versionFromFuture(`document ${doc} has no version ${v} yet`);
  }

  /** Damaged history is logged for a person and answered as UNAVAILABLE. */
  private async guard<T>(doc: string, read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      if (!(error instanceof DamagedHistoryError)) throw error;
      this.logger.error({ doc, v: error.v, err: error }, 'history cannot be read');
      throw unavailable(`the history of document ${doc} cannot be read right now`);
    }
  }
}

/**
 * The closest text at or below `v`: the latest text when no listed snapshot lies between it
 * and `v`, the nearest snapshot otherwise.
 */
async function textBase(
  projections: ProjectionReader,
  doc: string,
  snapshots: readonly number[],
  latest: Snapshot | null,
  v: number,
): Promise<VersionedText> {
  const listed = snapshots[indexAtOrBelow(snapshots, v)] ?? 0;
  if (latest && latest.v <= v && latest.v >= listed) return { v: latest.v, text: latest.text };
  return nearestSnapshot(projections, doc, snapshots, v);
}

function noVersionYet(doc: string, v: number, head: number) {
  return versionFromFuture(`document ${doc} has no version ${v} yet (its latest is ${head})`);
}
