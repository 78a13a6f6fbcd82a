/**
 * `npm run engine`: the sequencer service on Kafka and the MongoDB event store. Run several;
 * Kafka's consumer group gives each partition of `ops.submit` to exactly one of them.
 */
import { loadConfig } from '../common/config.ts';
import { startHealthServer } from '../common/health-server.ts';
import { runMain, stopOnSignal } from '../common/lifecycle.ts';
import { createLogger } from '../common/logger.ts';
import { connectKafkaLog } from './log/connect-log.ts';
import { Sequencer, sequencerOptionsFromEnv } from './sequencer/sequencer.ts';
import { SequencerMetrics } from './service/metrics.ts';
import { startSequencerService } from './service/sequencer-service.ts';
import { StoreHistory } from './service/store-history.ts';
import { connectMongoEventStore } from './store/mongo-event-store.ts';
import { latestSnapshots } from '../projector/reads/latest-snapshot.ts';
import { connectMongoProjectionStore } from '../projector/store/mongo-projection-store.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('engine');
  const metrics = new SequencerMetrics();
  const health = await startHealthServer(config.ENGINE_PORT, metrics.registry);

  const store = await connectMongoEventStore(config, { logger });
  const log = connectKafkaLog(config, logger, {
    partitionsConsumedConcurrently: config.KAFKA_PARTITIONS,
  });
  // Loads start from the projector's newest snapshot, so a takeover replays only its tail.
  const projections = await connectMongoProjectionStore(config, { logger });
  const core = new Sequencer(
    new StoreHistory(store, latestSnapshots(projections)),
    sequencerOptionsFromEnv(),
  );
  const service = await startSequencerService({ log, store, core, logger, metrics });
  health.markReady();
  logger.info({ health: health.url }, 'engine ready');

  stopOnSignal(logger, 'engine', service, [log, store, projections, health]);
}

runMain(main);
