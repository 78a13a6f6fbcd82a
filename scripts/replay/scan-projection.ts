/**
 * Projecting a scan of the event store into a projection target: every document the scan
 * meets is picked up from the target's state (so an interrupted rebuild resumes), advanced
 * through its events, and written after each batch of the scan.
 */
import type { Logger } from '../../common/logger.ts';
import type { SequencedOp } from '../../common/protocol.ts';
import type { EventStore } from '../../engine/ports/event-store.ts';
import type { ProjectionPolicy } from '../../projector/config.ts';
import { DamagedHistoryError } from '../../projector/model/damaged-history.ts';
import type { DocumentProjection } from '../../projector/model/document-projection.ts';
import type { ProjectionCommit } from '../../projector/model/records.ts';
import type { ProjectionTarget } from '../../projector/ports/projection-store.ts';
import { loadProjection } from '../../projector/service/load-projection.ts';
import type { EventScan } from './event-scan.ts';

export interface ScannedDocument {
  doc: string;
  /** The version the target had projected before, and the one it reached. */
  from: number;
  to: number;
  /** The version at which the stored history stopped making sense, if it did. */
  damagedAt?: number;
}

export interface ScanProjectionOptions {
  scan: EventScan;
  events: Pick<EventStore, 'range'>;
  target: ProjectionTarget;
  policy: ProjectionPolicy;
  logger: Logger;
  doc?: string;
  onProgress?(events: number, doc: string): void;
}

interface Entry {
  projection: DocumentProjection;
  result: ScannedDocument;
}

export async function projectScan(options: ScanProjectionOptions): Promise<ScannedDocument[]> {
  const entries = new Map<string, Entry>();
  for await (const batch of options.scan.batches(options.doc)) {
    const touched = new Set<Entry>();
    for (const event of batch) {
      const entry = entries.get(event.doc) ?? (await pickUp(event.doc, options, entries));
      if (advance(entry, event, options.logger)) touched.add(entry);
    }
    const commits = [...touched].map((e) => e.projection.takeCommit());
    await options.target.commit(commits.filter((c): c is ProjectionCommit => c !== null));
    options.onProgress?.(batch.length, batch[batch.length - 1]!.doc);
  }
  return [...entries.values()].map((entry) => entry.result);
}

async function pickUp(doc: string, options: ScanProjectionOptions, entries: Map<string, Entry>) {
  const projection = await loadProjection(doc, options.target, options.events, options.policy);
  const entry = { projection, result: { doc, from: projection.head, to: projection.head } };
  entries.set(doc, entry);
  return entry;
}

/** Applies one scanned event; true when it changed the projection. */
function advance(entry: Entry, event: SequencedOp, logger: Logger): boolean {
  const { projection, result } = entry;
  if (result.damagedAt !== undefined || event.v <= projection.head) return false;
  try {
    if (event.v !== projection.head + 1) {
      throw new DamagedHistoryError(
        event.doc,
        projection.head + 1,
        `the store has no such version`,
      );
    }
    projection.apply(event);
    result.to = event.v;
    return true;
  } catch (error) {
    if (!(error instanceof DamagedHistoryError)) throw error;
    result.damagedAt = error.v;
    logger.error(
      { doc: event.doc, v: error.v, err: error },
      'stored history is damaged; projected up to the version before',
    );
    return false;
  }
}
