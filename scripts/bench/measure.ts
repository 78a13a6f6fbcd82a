/** Measurement helpers shared by the benchmarks: per-operation latency and peak memory. */
import type { LatencyMs } from './report.ts';

/** Per-operation latencies in milliseconds, kept in a preallocated array. */
export class LatencyRecorder {
  private readonly samples: Float64Array;
  private count = 0;

  constructor(capacity: number) {
    this.samples = new Float64Array(capacity);
  }

  record(ms: number): void {
    this.samples[this.count++] = ms;
  }

  /** The median, 99th percentile and maximum, rounded to a tenth of a microsecond. */
  summary(): LatencyMs {
    const sorted = this.samples.subarray(0, this.count).sort();
    const at = (q: number) =>
      round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0, 4);
    return { p50: at(0.5), p99: at(0.99), max: at(1) };
  }
}

/**
 * The highest resident set size seen, sampled on request. A replay loop that never yields
 * leaves no room for a timer, so the loop calls `sample` itself every few thousand ops.
 */
export class PeakRss {
  private peak = process.memoryUsage.rss();

  sample(): void {
    const rss = process.memoryUsage.rss();
    if (rss > this.peak) this.peak = rss;
  }

  get megabytes(): number {
    this.sample();
    return this.peak / (1024 * 1024);
  }
}

/** Rounds for a report: three significant decimals are plenty for timings. */
export function round(value: number, decimals = 3): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}
