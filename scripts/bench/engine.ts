/**
 * `npx tsx scripts/bench/engine.ts [--json] [--only core,sharedb] [--trace automerge-paper]
 * [--sharedb-limit N]`
 *
 * The engine benchmark: the same editing trace replayed through the sequencer core alone,
 * through ShareDB 7 in one process, and, once a stack benchmark is wired in, through the full
 * service path. Prints each result and how they compare.
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import {
  TRACE_NAMES,
  loadTrace,
  traceAvailable,
  traceMissingReason,
  type Trace,
  type TraceName,
} from '../../common/traces.ts';
import { benchCore } from './core.ts';
import { log, printReport, type BenchResult } from './report.ts';
import { benchSharedb } from './sharedb.ts';
import { benchStack } from './stack.ts';

export const ENGINE_BENCH_NAMES = ['core', 'sharedb', 'stack'] as const;
export type EngineBenchName = (typeof ENGINE_BENCH_NAMES)[number];

/** Replays a trace and measures one configuration. */
export type EngineBench = (trace: Trace) => Promise<BenchResult>;

/**
 * The full service path — client SDK, gateway, Kafka, sequencer service, event store and
 * fan-out — replaying the same trace. Its result must be named `stack`. This command runs it
 * only when one is passed to `runEngineBench`; without one, no stack figure is printed.
 */
export type StackBench = EngineBench;

export interface EngineBenchOptions {
  json: boolean;
  /** Which results to produce; all available ones when empty. */
  only: EngineBenchName[];
  trace: TraceName;
  /** Replays only the first N ops through ShareDB, whose full replay takes minutes. */
  sharedbLimit?: number;
  stack?: StackBench;
}

/**
 * Runs the selected benchmarks on one trace and prints the report with their ratios.
 *
 * @example
 * await runEngineBench({ json: true, only: [], trace: 'automerge-paper', stack: benchStack });
 */
export async function runEngineBench(options: EngineBenchOptions): Promise<BenchResult[]> {
  if (!traceAvailable(options.trace)) throw new Error(traceMissingReason(options.trace));
  const trace = loadTrace(options.trace);
  const benches: Record<EngineBenchName, EngineBench | undefined> = {
    core: benchCore,
    sharedb: (t) => benchSharedb(t, { limit: options.sharedbLimit }),
    stack: options.stack,
  };

  const results: BenchResult[] = [];
  for (const name of selected(options.only)) {
    const bench = benches[name];
    if (bench === undefined) {
      log(`${name}: no ${name} benchmark is wired into this command; no figure reported`);
      continue;
    }
    results.push({ ...(await bench(trace)), trace: options.trace });
  }

  const notes = [...describeVariants(results), ...addRatios(results)];
  printReport('engine', results, { json: options.json, notes });
  return results;
}

function selected(only: EngineBenchName[]): readonly EngineBenchName[] {
  return only.length === 0
    ? ENGINE_BENCH_NAMES
    : ENGINE_BENCH_NAMES.filter((n) => only.includes(n));
}

/**
 * Adds to each result its throughput relative to ShareDB and, for the stack, to the core, and
 * returns the same comparisons as readable lines.
 */
function addRatios(results: BenchResult[]): string[] {
  const byName = new Map(results.map((r) => [r.name, r]));
  const notes: string[] = [];
  const compare = (result: BenchResult, baseline: BenchResult | undefined, field: string) => {
    if (baseline === undefined || baseline === result) return;
    const ratio = Number((result.opsPerSec / baseline.opsPerSec).toPrecision(3));
    result[field] = ratio;
    notes.push(`${result.name} / ${baseline.name} throughput: ${ratio}×`);
  };
  for (const result of results) {
    compare(result, byName.get('sharedb'), 'vsSharedb');
    if (result.name === 'stack') compare(result, byName.get('core'), 'vsCore');
  }
  return notes;
}

/** Says how each result was obtained where the table cannot: repeated runs, variants, limits. */
function describeVariants(results: BenchResult[]): string[] {
  const notes: string[] = [];
  for (const result of results) {
    if (typeof result.variant === 'string') notes.push(`${result.name}: ${result.variant}`);
    if (Array.isArray(result.throughputRuns)) {
      const runs = result.throughputRuns.map((r) => Number(r).toLocaleString('en-US'));
      notes.push(`${result.name}: median of ${runs.length} replays (${runs.join(', ')} ops/s)`);
    }
    const other = result.otherVariant as { variant: string; opsPerSec: number } | undefined;
    if (other)
      notes.push(`${result.name}, slower variant: ${other.variant}, ${other.opsPerSec} ops/s`);
    if (typeof result.opsReplayed === 'string') {
      notes.push(
        `${result.name} replayed only the ${result.opsReplayed} ops, on a shorter document ` +
          'than the full trace reaches, so its ratios flatter it',
      );
    }
  }
  return notes;
}

function parseOptions(argv: string[]): EngineBenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      json: { type: 'boolean', default: false },
      only: { type: 'string', default: '' },
      trace: { type: 'string', default: 'automerge-paper' },
      'sharedb-limit': { type: 'string' },
    },
  });
  const only = values.only.split(',').filter(Boolean);
  const unknown = only.filter((n) => !(ENGINE_BENCH_NAMES as readonly string[]).includes(n));
  if (unknown.length) throw new Error(`--only takes ${ENGINE_BENCH_NAMES.join(', ')}`);
  if (!(TRACE_NAMES as readonly string[]).includes(values.trace)) {
    throw new Error(`--trace takes one of ${TRACE_NAMES.join(', ')}`);
  }
  const limit = values['sharedb-limit'];
  return {
    json: values.json,
    only: only as EngineBenchName[],
    trace: values.trace as TraceName,
    sharedbLimit: limit === undefined ? undefined : Number(limit),
    stack: benchStack,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runEngineBench(parseOptions(process.argv.slice(2))).catch((error: unknown) => {
    log(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  });
}
