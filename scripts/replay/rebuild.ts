/**
 * `replay rebuild`: snapshots, revisions and `docs` fields rebuilt from the event store (or
 * from the log, then the event store) into a new generation, which is then made live.
 *
 * 1. A staging generation is opened — the one an interrupted rebuild left under the same
 *    policy, so running the command again resumes instead of starting over.
 * 2. With `--from-kafka`, `ops.sequenced` is replayed into it from its oldest record.
 * 3. One scan of the event store projects every document into it (all of them, when coming
 *    from the log: retention may have dropped a document's records entirely).
 * 4. It is published: `docs` fields are set from it and the live pointer moves to it.
 * 5. A live projector may have projected more operations into the old generation after step
 *    3 passed its documents; those would be missing from the new one until the document is
 *    next edited. So every document is brought up to its head once more, in the live
 *    generation now, before the old generation is dropped.
 *
 * With `--doc`, one document is repaired in place instead: its records are deleted and
 * projected again in the live generation.
 */
import { policyKey } from '../../projector/config.ts';
import type { ProjectionTarget } from '../../projector/ports/projection-store.ts';
import { projectDocument } from '../../projector/rebuild/project-document.ts';
import { replayFromKafka } from './kafka-replay.ts';
import { formatCount, printJson, printLine, printTable } from './output.ts';
import { Progress } from './progress.ts';
import type { ReplayContext } from './replay-context.ts';
import { projectScan, type ScannedDocument } from './scan-projection.ts';

export interface RebuildSummary {
  command: 'rebuild';
  source: 'event-store' | 'kafka';
  scope: 'all' | 'document';
  generation: { from: number; to: number } | null;
  documents: ScannedDocument[];
  /** Operations applied from the event store scan, and records read from the log. */
  events: number;
  kafkaRecords: number;
  seconds: number;
  eventsPerSec: number;
  /** False when some document's stored history is damaged (see `damagedAt`). */
  ok: boolean;
}

export interface RebuildOptions {
  doc?: string;
  fromKafka: boolean;
  fresh: boolean;
  topic?: string;
}

export async function runRebuild(
  context: ReplayContext,
  options: RebuildOptions,
): Promise<RebuildSummary> {
  if (options.fromKafka && context.embedded) {
    throw new Error(
      'the embedded mode has no Kafka log to rebuild from; rebuild from its event store',
    );
  }
  const started = performance.now();
  const result = options.doc
    ? await rebuildDocument(context, options.doc)
    : await rebuildAll(context, options);
  const seconds = (performance.now() - started) / 1000;
  const events = result.documents.reduce((sum, d) => sum + d.to - d.from, 0);
  return {
    command: 'rebuild',
    source: options.fromKafka ? 'kafka' : 'event-store',
    scope: options.doc ? 'document' : 'all',
    ...result,
    events,
    seconds,
    eventsPerSec: seconds > 0 ? (events + result.kafkaRecords) / seconds : 0,
    ok: result.documents.every((d) => d.damagedAt === undefined),
  };
}

async function rebuildAll(context: ReplayContext, options: RebuildOptions) {
  const { store, logger } = context;
  const staging = await store.openStaging(policyKey(context.policy), { fresh: options.fresh });
  logger.info({ generation: staging.generation }, 'rebuilding into a staging generation');
  const kafka = options.fromKafka ? await replayFromKafka(context, staging, options.topic) : null;

  const scanned = await scanInto(context, staging, await store.documents());
  const previous = await staging.publish();
  await store.refreshGeneration();

  await catchUp(context, [
    ...new Set([...scanned.map((d) => d.doc), ...(await store.documents())]),
  ]);
  await store.dropGeneration(previous);
  logger.info({ from: previous, to: staging.generation }, 'rebuilt generation is live');
  return {
    generation: { from: previous, to: staging.generation },
    documents: scanned.sort((a, b) => (a.doc < b.doc ? -1 : 1)),
    kafkaRecords: kafka?.records ?? 0,
  };
}

async function rebuildDocument(context: ReplayContext, doc: string) {
  await context.store.removeDocument(doc);
  const documents = await scanInto(context, context.store, [doc], doc);
  return { generation: null, documents, kafkaRecords: 0 };
}

async function scanInto(
  context: ReplayContext,
  target: ProjectionTarget,
  known: string[],
  doc?: string,
): Promise<ScannedDocument[]> {
  const progress = new Progress('rebuild', await context.estimateEvents(known));
  let seen = 0;
  try {
    return await projectScan({
      scan: context.scan,
      events: context.events,
      target,
      policy: context.policy,
      logger: context.logger,
      doc,
      onProgress: (events, at) => {
        progress.grow((seen += events));
        progress.advance(events, at);
      },
    });
  } finally {
    progress.finish();
  }
}

/** Brings every document of the live generation up to the event store's head. */
async function catchUp(context: ReplayContext, docs: string[]): Promise<void> {
  const { store, events, policy } = context;
  for (const doc of docs) {
    const head = (await store.state(doc))?.head ?? 0;
    const [next] = await events.range(doc, head, head + 1);
    if (next) await projectDocument(doc, { events, target: store, policy });
  }
}

export function printRebuild(summary: RebuildSummary, json: boolean): void {
  if (json) return printJson(summary);
  printTable(
    ['document', 'from', 'to', 'events', 'result'],
    summary.documents.map((d) => [
      d.doc,
      d.from,
      d.to,
      d.to - d.from,
      d.damagedAt === undefined ? 'ok' : `DAMAGED history at version ${d.damagedAt}`,
    ]),
  );
  printLine();
  const generation = summary.generation
    ? `generation ${summary.generation.from} → ${summary.generation.to}`
    : 'repaired in place';
  const kafka =
    summary.source === 'kafka' ? `, ${formatCount(summary.kafkaRecords)} log records` : '';
  printLine(
    `${summary.documents.length} documents, ${formatCount(summary.events)} events from the event store${kafka}, ` +
      `${summary.seconds.toFixed(1)} s (${formatCount(Math.round(summary.eventsPerSec))} events/s), ${generation}`,
  );
}
