/**
 * Projecting one document's stored history into a projection target, from wherever the
 * target's state says it got to. The rebuild runs it per document; since it resumes from the
 * stored state, an interrupted rebuild continues where it stopped.
 */
import type { EventStore } from '../../engine/ports/event-store.ts';
import type { ProjectionPolicy } from '../config.ts';
import type { ProjectionTarget } from '../ports/projection-store.ts';
import { readOperations } from '../reads/text-base.ts';
import { loadProjection } from '../service/load-projection.ts';

export interface ProjectDocumentOptions {
  events: Pick<EventStore, 'range'>;
  target: ProjectionTarget;
  policy: ProjectionPolicy;
  /** Operations read and written per step; 2,000 by default. */
  chunk?: number;
  /** Stop at this version rather than at the newest stored one. */
  to?: number;
  /** Called after each step is written, with the number of operations it applied. */
  onProgress?(applied: number): void;
}

/** Returns the versions it projected: from the target's head before to its head after. */
export async function projectDocument(
  doc: string,
  options: ProjectDocumentOptions,
): Promise<{ from: number; to: number }> {
  const { events, target, policy } = options;
  const chunk = options.chunk ?? 2_000;
  const last = options.to ?? Number.POSITIVE_INFINITY;
  const projection = await loadProjection(doc, target, events, policy);
  const from = projection.head;

  const read = (after: number) => {
    const ops = readOperations(events, doc, after, Math.min(after + chunk, last));
    // Marked as handled now: if applying the previous chunk throws, nobody awaits this one.
    ops.catch(() => undefined);
    return ops;
  };

  let next = read(projection.head);
  for (;;) {
    const ops = await next;
    if (ops.length === 0) break;
    const head = ops[ops.length - 1]!.v;
    // The next chunk is read while this one is applied and written: on FerretDB both are
    // round trips, and overlapping them saves most of the waiting.
    const more = ops.length === chunk && head < last;
    if (more) next = read(head);
    for (const op of ops) projection.apply(op);
    const commit = projection.takeCommit();
    if (commit) await target.commit([commit]);
    options.onProgress?.(ops.length);
    if (!more) break;
  }
  return { from, to: projection.head };
}
