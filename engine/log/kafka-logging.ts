/**
 * Routes KafkaJS's own log lines into the project's structured logger. KafkaJS is chatty at
 * `info` (every join, every connection), so only its warnings and errors come through unless
 * the project logger itself is at `debug`.
 */
import { logLevel, type logCreator } from 'kafkajs';
import type { Logger } from '../../common/logger.ts';

/** The least severe KafkaJS level worth passing on, given the project's log level. */
export function kafkaLogLevel(logger: Logger): logLevel {
  return logger.isLevelEnabled('debug') ? logLevel.DEBUG : logLevel.WARN;
}

export function kafkaLogCreator(logger: Logger): logCreator {
  const kafkaLogger = logger.child({ component: 'kafkajs' });
  return () =>
    ({ namespace, level, log }) => {
      const { message, timestamp: _timestamp, logger: _logger, ...fields } = log;
      const entry = { namespace, ...fields };
      if (level === logLevel.ERROR) kafkaLogger.error(entry, message);
      else if (level === logLevel.WARN) kafkaLogger.warn(entry, message);
      else if (level === logLevel.INFO) kafkaLogger.info(entry, message);
      else kafkaLogger.debug(entry, message);
    };
}
