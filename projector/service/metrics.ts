/** Prometheus metrics of the projector, served on its /metrics endpoint. */
import { Counter, Registry } from 'prom-client';
import type { ProjectorCounters } from './projector.ts';

const NAMES: Record<keyof ProjectorCounters, string> = {
  batches: 'Batches of ops.sequenced projected and written.',
  applied: 'Operations applied to projected documents.',
  skipped: 'Redelivered operations skipped as already projected.',
  filled: 'Operations read from the event store to fill gaps in the log.',
};

export class ProjectorMetrics {
  readonly registry = new Registry();
  private counters: ProjectorCounters | null = null;

  constructor() {
    for (const [name, help] of Object.entries(NAMES))
      this.describe(name as keyof ProjectorCounters, help);
  }

  /** Starts reporting a running projector's counters. */
  observe(counters: ProjectorCounters): void {
    this.counters = counters;
  }

  private describe(name: keyof ProjectorCounters, help: string): void {
    const source = () => this.counters?.[name] ?? 0;
    new Counter({
      name: `projector_${name}_total`,
      help,
      registers: [this.registry],
      // Read at scrape time from the projector's own counters, which only ever grow.
      collect() {
        this.reset();
        this.inc(source());
      },
    });
  }
}
