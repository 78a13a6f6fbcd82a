/** The replay tool's output: a table for people, or one JSON object with `--json`. */

export type Cell = string | number;

/** Prints rows under a header, numbers right-aligned, to stdout. */
export function printTable(header: string[], rows: Cell[][]): void {
  const text = [header, ...rows].map((row) => row.map((cell) => cellText(cell)));
  const widths = header.map((_, i) => Math.max(...text.map((row) => row[i]!.length)));
  const numeric = header.map((_, i) => rows.every((row) => typeof row[i] === 'number'));
  const render = (row: string[]) =>
    row
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const [head, ...body] = text;
  const lines = [render(head!), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(render)];
  process.stdout.write(`${lines.join('\n')}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLine(line = ''): void {
  process.stdout.write(`${line}\n`);
}

function cellText(cell: Cell): string {
  return typeof cell === 'number' ? cell.toLocaleString('en-US') : cell;
}

/** A time in milliseconds since the epoch, as an ISO date and time to the second. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
