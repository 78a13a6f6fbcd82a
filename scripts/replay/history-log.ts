/** `replay log --doc ID [--limit N]`: a document's revisions, newest first. */
import { HistoryReads } from '../../projector/reads/history-reads.ts';
import { MAX_REVISIONS_PER_PAGE } from '../../projector/reads/read-arguments.ts';
import type { Revision } from '../../projector/model/records.ts';
import { formatTime, printJson, printLine, printTable } from './output.ts';
import type { ReplayContext } from './replay-context.ts';

export async function runLog(
  context: ReplayContext,
  options: { doc: string; limit?: number; json: boolean },
): Promise<void> {
  const reads = new HistoryReads({
    events: context.events,
    projections: context.store,
    logger: context.logger,
  });
  const wanted = options.limit ?? Number.POSITIVE_INFINITY;
  const { revisions, total } = await readPages(reads, options.doc, wanted);

  if (options.json) return printJson({ doc: options.doc, total, revisions });
  printTable(
    ['#', 'versions', 'authors', 'from', 'to', 'inserted', 'deleted'],
    revisions.map((r) => [
      r.n,
      `${r.from}–${r.to}`,
      r.authors.join(', '),
      formatTime(r.start),
      formatTime(r.end),
      r.inserted,
      r.deleted,
    ]),
  );
  printLine();
  printLine(`${revisions.length} of ${total} revisions of ${options.doc}`);
}

/** Pages through the revisions, newest first, until `wanted` are read or none are left. */
async function readPages(reads: HistoryReads, doc: string, wanted: number) {
  const revisions: Revision[] = [];
  let before: number | undefined;
  for (;;) {
    const limit = Math.min(MAX_REVISIONS_PER_PAGE, wanted - revisions.length);
    const page = await reads.revisions(doc, { before, limit });
    revisions.push(...page.revisions);
    before = page.next ?? undefined;
    if (before === undefined || revisions.length >= wanted) return { revisions, total: page.total };
  }
}
