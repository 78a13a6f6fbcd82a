/**
 * The replay tool, for operators: verify projections against the event store, rebuild them,
 * and look at any version or the revision history of a document. Run it with
 * `npx tsx scripts/replay.ts <command>`; `--help` lists the commands.
 *
 * Exit codes: 0 when everything matched or was done, 1 when `verify` found a mismatch or
 * `rebuild` met a damaged history,
 * 2 for a usage error or a refused read (a version not reached yet), 3 for a failure (a store or the log could not be reached).
 */
import { ProtocolError } from '../common/errors.ts';
import { createLogger } from '../common/logger.ts';
import { parseReplayArgs, USAGE, type ReplayArgs } from './replay/cli-args.ts';
import { runLog } from './replay/history-log.ts';
import { printRebuild, runRebuild } from './replay/rebuild.ts';
import { openReplayContext } from './replay/replay-context.ts';
import { runShow } from './replay/show.ts';
import { printVerify, runVerify } from './replay/verify.ts';

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.length === 0) {
    process.stdout.write(USAGE);
    return argv.length === 0 ? 2 : 0;
  }
  let args: ReplayArgs;
  try {
    args = parseReplayArgs(argv);
  } catch (error) {
    process.stderr.write(`replay: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }

  const logger = createLogger('replay', process.env.LOG_LEVEL ?? 'warn');
  const context = await openReplayContext(args.embedded, logger);
  try {
    return await run(args, context);
  } finally {
    await context.close();
  }
}

async function run(args: ReplayArgs, context: Awaited<ReturnType<typeof openReplayContext>>) {
  switch (args.command) {
    case 'verify': {
      const summary = await runVerify(context, { doc: args.doc, allowLag: args.allowLag });
      printVerify(summary, args.json);
      return summary.ok ? 0 : 1;
    }
    case 'rebuild': {
      const { doc, fromKafka, fresh, topic } = args;
      const summary = await runRebuild(context, { doc, fromKafka, fresh, topic });
      printRebuild(summary, args.json);
      return summary.ok ? 0 : 1;
    }
    case 'show':
      await runShow(context, { doc: args.doc!, version: args.version, json: args.json });
      return 0;
    case 'log':
      await runLog(context, { doc: args.doc!, limit: args.limit, json: args.json });
      return 0;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ProtocolError) {
      process.stderr.write(`replay: ${error.code}: ${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`replay: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(3);
  },
);
