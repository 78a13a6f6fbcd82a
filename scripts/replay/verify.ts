/**
 * `replay verify`: one scan of the event store, every document's events checked against its
 * projection as they pass; documents the projection knows but the scan never met are checked
 * too, as documents without history.
 */
import { formatCount, printJson, printLine, printTable } from './output.ts';
import { Progress } from './progress.ts';
import type { ReplayContext } from './replay-context.ts';
import { DocumentVerifier, type DocumentCheck } from './verify-document.ts';

export interface VerifySummary {
  command: 'verify';
  ok: boolean;
  documents: DocumentCheck[];
  events: number;
  seconds: number;
}

export async function runVerify(
  context: ReplayContext,
  options: { doc?: string; allowLag: boolean },
): Promise<VerifySummary> {
  const started = performance.now();
  const known = options.doc ? [options.doc] : await context.store.documents();
  const progress = new Progress('verify', await context.estimateEvents(known));
  const verifiers = new Map<string, DocumentVerifier>();
  let events = 0;
  try {
    for await (const batch of context.scan.batches(options.doc)) {
      for (const op of batch) {
        const verifier = verifiers.get(op.doc) ?? (await start(context, op.doc, verifiers));
        await verifier.accept(op);
      }
      events += batch.length;
      progress.grow(events);
      progress.advance(batch.length, batch[batch.length - 1]!.doc);
    }
    for (const doc of known) if (!verifiers.has(doc)) await start(context, doc, verifiers);
  } finally {
    progress.finish();
  }
  const documents = [...verifiers.values()]
    .map((verifier) => verifier.finish(options.allowLag))
    .sort((a, b) => (a.doc < b.doc ? -1 : 1));
  for (const d of documents) {
    if (d.firstBadVersion === null) continue;
    context.logger.error(
      { doc: d.doc, v: d.firstBadVersion, mismatches: d.mismatches },
      'projection mismatch',
    );
  }
  return {
    command: 'verify',
    ok: documents.every((d) => d.firstBadVersion === null),
    documents,
    events,
    seconds: (performance.now() - started) / 1000,
  };
}

async function start(
  context: ReplayContext,
  doc: string,
  verifiers: Map<string, DocumentVerifier>,
) {
  const verifier = await DocumentVerifier.start(doc, context.store);
  verifiers.set(doc, verifier);
  return verifier;
}

export function printVerify(summary: VerifySummary, json: boolean): void {
  if (json) return printJson(summary);
  printTable(
    ['document', 'events', 'projected', 'docs head', 'snapshots', 'revisions', 'result'],
    summary.documents.map((d) => [
      d.doc,
      d.eventHead,
      d.projectedHead,
      d.docsHead ?? '–',
      d.snapshots,
      d.revisions,
      d.firstBadVersion === null ? 'ok' : `MISMATCH from version ${d.firstBadVersion}`,
    ]),
  );
  for (const d of summary.documents) {
    for (const m of d.mismatches) printLine(`  ${d.doc} version ${m.v} (${m.kind}): ${m.detail}`);
  }
  const bad = summary.documents.filter((d) => d.firstBadVersion !== null).length;
  printLine();
  printLine(
    `${summary.documents.length} documents, ${formatCount(summary.events)} events, ` +
      `${summary.seconds.toFixed(1)} s: ${bad === 0 ? 'all match' : `${bad} with mismatches`}`,
  );
}
