/** Prometheus metrics of the sequencer, served on its /metrics endpoint. */
import { Counter, Histogram, Registry } from 'prom-client';
import type { SequencedMessage } from '../../common/protocol.ts';

export class SequencerMetrics {
  readonly registry = new Registry();

  private readonly sequenced = new Counter({
    name: 'engine_ops_published_total',
    help: 'Messages published on ops.sequenced, by type (op or reject).',
    labelNames: ['type'],
    registers: [this.registry],
  });

  private readonly batchSeconds = new Histogram({
    name: 'engine_batch_seconds',
    help: 'Time to sequence, append and publish one batch of one partition.',
    buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2],
    registers: [this.registry],
  });

  recordBatch(_partition: number, messages: SequencedMessage[], seconds: number): void {
    let ops = 0;
    for (const message of messages) if (message.type === 'op') ops++;
    this.sequenced.inc({ type: 'op' }, ops);
    this.sequenced.inc({ type: 'reject' }, messages.length - ops);
    this.batchSeconds.observe(seconds);
  }
}
