/** `replay show --doc ID [--version N]`: the text of a version, through the same reads the API uses. */
import { HistoryReads } from '../../projector/reads/history-reads.ts';
import { printJson } from './output.ts';
import type { ReplayContext } from './replay-context.ts';

export async function runShow(
  context: ReplayContext,
  options: { doc: string; version?: number; json: boolean },
): Promise<void> {
  const reads = new HistoryReads({
    events: context.events,
    projections: context.store,
    logger: context.logger,
  });
  const { doc, version } = options;
  const text =
    version === undefined ? await reads.latestText(doc) : await reads.textAt(doc, version);
  if (options.json) printJson({ doc, ...text });
  else
    process.stdout.write(
      text.text.endsWith('\n') || text.text === '' ? text.text : `${text.text}\n`,
    );
}
