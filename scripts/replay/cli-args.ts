/** The replay tool's command line: a command, then `--name value` or `--flag` options. */
import { parseArgs } from 'node:util';

export const COMMANDS = ['verify', 'rebuild', 'show', 'log'] as const;
export type Command = (typeof COMMANDS)[number];

export interface ReplayArgs {
  command: Command;
  doc?: string;
  version?: number;
  limit?: number;
  json: boolean;
  fromKafka: boolean;
  fresh: boolean;
  embedded: boolean;
  allowLag: boolean;
  /** The topic of sequenced operations for `--from-kafka`. */
  topic?: string;
}

export const USAGE = `usage: npx tsx scripts/replay.ts <command> [options]

commands:
  verify [--doc ID] [--allow-lag]   rebuild every version from the event store and compare it
                                    with the snapshots, revisions and docs head; exits 1 on any
                                    mismatch, naming the document and its first bad version
  rebuild [--doc ID] [--from-kafka] [--fresh]
                                    rebuild snapshots, revisions and docs fields from the event
                                    store (or from ops.sequenced, filling gaps from the store)
                                    into a new generation, then make it live; interrupted, it
                                    resumes; with --doc, repairs one document in place
  show --doc ID [--version N]       print the text of a version (default: the latest)
  log --doc ID [--limit N]          print the document's revisions, newest first

options:
  --json        one JSON object on stdout instead of a table
  --embedded    the embedded mode's SQLite files under DATA_DIR instead of MongoDB
  --allow-lag   verify: a projection behind the event store is not a mismatch
  --fresh       rebuild: start over instead of resuming an interrupted rebuild
  --topic NAME  rebuild --from-kafka: the topic of sequenced operations (ops.sequenced)
`;

/** Parses the arguments after the script name; throws with a message for the user. */
export function parseReplayArgs(argv: string[]): ReplayArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      doc: { type: 'string' },
      version: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean', default: false },
      'from-kafka': { type: 'boolean', default: false },
      fresh: { type: 'boolean', default: false },
      embedded: { type: 'boolean', default: false },
      'allow-lag': { type: 'boolean', default: false },
      topic: { type: 'string' },
    },
  });
  const command = positionals[0] as Command | undefined;
  if (!command || !COMMANDS.includes(command)) {
    throw new Error(`unknown command ${JSON.stringify(command ?? '')}`);
  }
  if ((command === 'show' || command === 'log') && !values.doc) {
    throw new Error(`${command} needs --doc ID`);
  }
  return {
    command,
    doc: values.doc,
    version: wholeNumber('--version', values.version),
    limit: wholeNumber('--limit', values.limit),
    json: values.json,
    fromKafka: values['from-kafka'],
    fresh: values.fresh,
    embedded: values.embedded,
    allowLag: values['allow-lag'],
    topic: values.topic,
  };
}

function wholeNumber(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a whole number`);
  return n;
}
