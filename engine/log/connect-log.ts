/** The Kafka log as every distributed service connects to it, honouring KAFKA_TOPIC_PREFIX. */
import type { Config } from '../../common/config.ts';
import type { Logger } from '../../common/logger.ts';
import type { Log } from '../ports/log.ts';
import { KafkaLog, type KafkaLogOptions } from './kafka-log.ts';
import { NamespacedLog } from './namespaced-log.ts';

export function connectKafkaLog(
  config: Config,
  logger: Logger,
  options: Omit<KafkaLogOptions, 'logger'> = {},
): Log {
  const log = new KafkaLog({ ...options, logger });
  return config.KAFKA_TOPIC_PREFIX ? new NamespacedLog(log, config.KAFKA_TOPIC_PREFIX) : log;
}
