/**
 * The gateway's Prometheus metrics, in a registry of its own so that two gateways in one
 * process (as in the tests) do not collide.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export class GatewayMetrics {
  readonly registry = new Registry();

  readonly opsSubmitted = new Counter({
    name: 'gateway_ops_submitted_total',
    help: 'Operations accepted from clients and written to the log',
    registers: [this.registry],
  });

  readonly opsDelivered = new Counter({
    name: 'gateway_ops_delivered_total',
    help: 'Sequenced operations emitted to document rooms',
    registers: [this.registry],
  });

  readonly rejectsDelivered = new Counter({
    name: 'gateway_rejects_delivered_total',
    help: 'Rejections emitted to document rooms',
    registers: [this.registry],
  });

  readonly submitToFanout = new Histogram({
    name: 'gateway_submit_to_fanout_seconds',
    help: 'From accepting a submission to emitting its sequenced operation (same gateway only)',
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly sequencedToFanout = new Histogram({
    name: 'gateway_sequenced_to_fanout_seconds',
    help: "From the sequencer's timestamp to emitting the operation",
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  constructor(connectedSockets: () => number) {
    new Gauge({
      name: 'gateway_connected_sockets',
      help: 'Sockets connected to this gateway',
      registers: [this.registry],
      collect() {
        this.set(connectedSockets());
      },
    });
    collectDefaultMetrics({ register: this.registry });
  }
}
