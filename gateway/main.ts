/**
 * `npm run gateway`: a gateway on Kafka, the MongoDB event and document stores and the Redis
 * adapter. Run several behind a load balancer; they share fan-out through Kafka's consumer
 * group "gateways" and rooms through Redis.
 */
import { loadConfig } from '../common/config.ts';
import { runMain, stopOnSignal } from '../common/lifecycle.ts';
import { createLogger } from '../common/logger.ts';
import { connectKafkaLog } from '../engine/log/connect-log.ts';
import { connectMongoEventStore } from '../engine/store/mongo-event-store.ts';
import { HistoryReads } from '../projector/reads/history-reads.ts';
import { connectMongoProjectionStore } from '../projector/store/mongo-projection-store.ts';
import { MongoDocsStore } from './docs/mongo-docs-store.ts';
import { createGateway } from './gateway.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('gateway', config.LOG_LEVEL);
  const log = connectKafkaLog(config, logger);
  const events = await connectMongoEventStore(config, { logger });
  const docs = new MongoDocsStore({ url: config.MONGO_URL, dbName: config.MONGO_DB });
  const projections = await connectMongoProjectionStore(config, { logger });
  const history = new HistoryReads({ events, projections, logger });
  const gateway = createGateway({
    config,
    log,
    events,
    docs,
    redisUrl: config.REDIS_URL,
    history,
    // Deployments that share a Kafka cluster through a topic prefix share Redis the same way.
    channelPrefix: config.KAFKA_TOPIC_PREFIX || undefined,
    logger,
  });

  // The gateway is the public entry point, so it listens on every interface unless told not to.
  await gateway.start(config.PORT, process.env.HOST ?? '0.0.0.0');

  stopOnSignal(logger, 'gateway', gateway, [log, events, docs, projections]);
}

runMain(main);
