/**
 * The projector service on Kafka and MongoDB: snapshots, document metadata and revisions from
 * `ops.sequenced`. Run one or several; the consumer group `projector` gives each partition to
 * exactly one of them.
 */
import { loadConfig } from '../common/config.ts';
import { startHealthServer } from '../common/health-server.ts';
import { runMain, stopOnSignal } from '../common/lifecycle.ts';
import { createLogger } from '../common/logger.ts';
import { connectKafkaLog } from '../engine/log/connect-log.ts';
import { connectMongoEventStore } from '../engine/store/mongo-event-store.ts';
import { policyFromEnv } from './config.ts';
import { ProjectorMetrics } from './service/metrics.ts';
import { startProjector } from './service/start-projector.ts';
import { connectMongoProjectionStore } from './store/mongo-projection-store.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const policy = policyFromEnv();
  const logger = createLogger('projector', config.LOG_LEVEL);
  const metrics = new ProjectorMetrics();
  const health = await startHealthServer(config.PROJECTOR_PORT, metrics.registry);

  const events = await connectMongoEventStore(config, { logger });
  const store = await connectMongoProjectionStore(config, { logger });
  const log = connectKafkaLog(config, logger, {
    partitionsConsumedConcurrently: config.KAFKA_PARTITIONS,
  });
  const projector = await startProjector({ log, events, store, policy, logger });
  metrics.observe(projector.counters);
  health.markReady();
  logger.info({ health: health.url }, 'projector ready');

  stopOnSignal(logger, 'projector', projector, [log, events, store, health]);
}

runMain(main);
