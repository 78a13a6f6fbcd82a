/**
 * The shared output of every benchmark command: a readable table by default, or with `--json`
 * one JSON object `{bench, machine, results}` on stdout. Progress and notes go to stderr, so
 * stdout stays machine-readable.
 */
import os from 'node:os';

export interface LatencyMs {
  p50: number;
  p99: number;
  max: number;
}

/** One measured configuration. Names are fixed per benchmark; further fields may be added. */
export interface BenchResult {
  name: string;
  ops: number;
  seconds: number;
  opsPerSec: number;
  latencyMs?: LatencyMs;
  peakRssMb?: number;
  [extra: string]: unknown;
}

export interface ReportOptions {
  json: boolean;
  /** Lines printed under the table; in JSON mode the results carry the same facts. */
  notes?: string[];
}

export function machine(): { cpus: number; node: string } {
  return { cpus: os.availableParallelism(), node: process.version };
}

/**
 * Prints a benchmark's results.
 *
 * @example
 * printReport('engine', [await benchCore(trace)], { json: process.argv.includes('--json') });
 */
export function printReport(bench: string, results: BenchResult[], options: ReportOptions): void {
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ bench, machine: machine(), results }, null, 2)}\n`);
    return;
  }
  const { cpus, node } = machine();
  const lines = [`${bench} benchmark — ${cpus} CPUs, Node ${node}`, '', ...table(results)];
  if (options.notes?.length) lines.push('', ...options.notes);
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Progress and diagnostics, kept off stdout. */
export function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

const COLUMNS: Array<[title: string, cell: (result: BenchResult) => string]> = [
  ['name', (r) => r.name],
  ['ops', (r) => r.ops.toLocaleString('en-US')],
  ['seconds', (r) => r.seconds.toFixed(2)],
  ['ops/s', (r) => Math.round(r.opsPerSec).toLocaleString('en-US')],
  ['p50 ms', (r) => formatMs(r.latencyMs?.p50)],
  ['p99 ms', (r) => formatMs(r.latencyMs?.p99)],
  ['max ms', (r) => formatMs(r.latencyMs?.max)],
  ['peak RSS MB', (r) => (r.peakRssMb === undefined ? '–' : String(Math.round(r.peakRssMb)))],
];

function table(results: BenchResult[]): string[] {
  const rows = [
    COLUMNS.map(([title]) => title),
    ...results.map((r) => COLUMNS.map(([, c]) => c(r))),
  ];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const render = (row: string[]) =>
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ');
  const [header, ...body] = rows;
  return [render(header!), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(render)];
}

function formatMs(ms: number | undefined): string {
  if (ms === undefined) return '–';
  return ms < 1 ? ms.toFixed(4) : ms.toFixed(2);
}
