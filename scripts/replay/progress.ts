/**
 * A progress bar on stderr for long runs, counting events, with rate and time left. On a
 * terminal it redraws in place; elsewhere (a log file, CI) cli-progress stays silent and the
 * summary at the end says everything.
 */
import cliProgress from 'cli-progress';

export class Progress {
  private readonly bar: cliProgress.SingleBar;
  private readonly started = performance.now();
  private done = 0;

  constructor(label: string, total: number) {
    this.bar = new cliProgress.SingleBar(
      {
        stream: process.stderr,
        format: `${label} {bar} {percentage}% | {value}/{total} events | {rate} events/s | ETA {eta_formatted} | {doc}`,
        etaBuffer: 50,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(total, 0, { rate: 0, doc: '' });
  }

  /** Counts `events` more done, while working on `doc`. */
  advance(events: number, doc: string): void {
    this.done += events;
    this.bar.update(this.done, { rate: Math.round(this.rate()), doc });
  }

  /** Raises the total when more turned up than counted at the start. */
  grow(total: number): void {
    if (total > this.bar.getTotal()) this.bar.setTotal(total);
  }

  finish(): void {
    this.bar.stop();
  }

  rate(): number {
    const seconds = (performance.now() - this.started) / 1000;
    return seconds > 0 ? this.done / seconds : 0;
  }
}
