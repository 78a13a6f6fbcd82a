/**
 * The log on Apache Kafka through KafkaJS, for the distributed stack.
 *
 * Producing waits for every in-sync replica (`acks: -1`) and keys each message by document id,
 * so one document's messages share a partition and keep their order. Consumers are tuned for
 * latency rather than throughput: a fetch returns as soon as one byte is there, or after a few
 * tens of milliseconds — KafkaJS's default of five seconds would stall every idle partition.
 */
import { Kafka, type Admin, type ITopicMetadata, type Producer, type RetryOptions } from 'kafkajs';
import { kafkaBrokers, loadConfig } from '../../common/config.ts';
import { unavailable } from '../../common/errors.ts';
import { createLogger, type Logger } from '../../common/logger.ts';
import type { ConsumerOptions, Log, LogConsumer, LogMessage } from '../ports/log.ts';
import { KafkaLogConsumer, type KafkaConsumerSettings } from './kafka-consumer.ts';
import { kafkaLogCreator, kafkaLogLevel } from './kafka-logging.ts';
import { createPartitioner, partitionForKey } from './partitioner.ts';
import { withTimeout } from '../../common/with-timeout.ts';

export interface KafkaLogOptions {
  /** KAFKA_BROKERS by default. */
  brokers?: string[];
  clientId?: string;
  /** Partitions of topics that `init` creates; KAFKA_PARTITIONS (12) by default. */
  partitions?: number;
  /** Partitions whose batches are handled at the same time by one member; 4 by default. */
  partitionsConsumedConcurrently?: number;
  /** 10 s by default: how long a silent member keeps its partitions. */
  sessionTimeoutMs?: number;
  /** 1 s by default; a member learns of a rebalance at its next heartbeat. */
  heartbeatIntervalMs?: number;
  /** How long a fetch waits for data; 25 ms by default. */
  maxWaitTimeMs?: number;
  /** KafkaJS's retries of one request before it gives up; 5 by default. */
  retries?: number;
  /** The longest a `produce` may take, retries included; 15 s by default. */
  produceTimeoutMs?: number;
  /** The pause before a rejected batch is fetched again, doubling from `initial` to `max`. */
  retryBackoffMs?: { initial: number; max: number };
  logger?: Logger;
}

const METADATA_TIMEOUT_MS = 30_000;

export class KafkaLog implements Log {
  private readonly kafka: Kafka;
  private readonly logger: Logger;
  private readonly partitions: number;
  private readonly retry: RetryOptions;
  private readonly partitionCounts = new Map<string, number>();
  private readonly consumers = new Set<KafkaLogConsumer>();
  private producer: Promise<Producer> | null = null;

  /**
   * @example
   * const log = new KafkaLog({ partitionsConsumedConcurrently: 12 });
   * await log.init([TOPICS.submit, TOPICS.sequenced]);
   */
  constructor(private readonly options: KafkaLogOptions = {}) {
    // The environment is read only for what the options leave out.
    this.logger = options.logger ?? createLogger('log');
    this.partitions = options.partitions ?? loadConfig().KAFKA_PARTITIONS;
    this.retry = { retries: options.retries ?? 5, initialRetryTime: 100, maxRetryTime: 2_000 };
    this.kafka = new Kafka({
      clientId: options.clientId ?? 'ot-collab',
      brokers: options.brokers ?? kafkaBrokers(loadConfig()),
      retry: this.retry,
      logLevel: kafkaLogLevel(this.logger),
      logCreator: kafkaLogCreator(this.logger),
    });
  }

  /** Creates the missing topics and waits until every partition of every topic has a leader. */
  async init(topics: string[]): Promise<void> {
    const admin = this.kafka.admin({ retry: this.retry });
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const missing = topics.filter((topic) => !existing.has(topic));
      if (missing.length > 0) {
        const created = missing.map((topic) => ({ topic, numPartitions: this.partitions }));
        await admin.createTopics({ topics: created, waitForLeaders: true });
        this.logger.info({ topics: missing, partitions: this.partitions }, 'topics created');
      }
      for (const topic of await waitForLeaders(admin, topics)) this.remember(topic);
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * Resolves once all in-sync replicas have the messages. A call's messages go out as one
   * request and keep their order; separate concurrent calls may land in either order, so a
   * caller that needs an order publishes in one call. A failure after the bounded retries, or
   * no acknowledgement within `produceTimeoutMs`, rejects with `UNAVAILABLE`; the messages may
   * still have been written then, which the exactly-once rules (`src`, `seq`) make harmless.
   */
  async produce(topic: string, messages: LogMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const timeoutMs = this.options.produceTimeoutMs ?? 15_000;
    try {
      // One request per chunk, in order: a broker refuses a record batch above its
      // message.max.bytes (1 MiB by default), and a big batch of sequenced ops exceeds it.
      for (const chunk of requestChunks(messages)) {
        const send = this.connectedProducer().then((producer) =>
          producer.send({ topic, acks: -1, messages: chunk }),
        );
        await withTimeout(send, timeoutMs, `no acknowledgement within ${timeoutMs} ms`);
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn({ err: error, topic, messages: messages.length }, 'produce failed');
      throw unavailable(
        `the log did not take ${messages.length} message(s) for ${topic}: ${reason}`,
        1_000,
      );
    }
  }

  async consume(options: ConsumerOptions): Promise<LogConsumer> {
    const consumer = new KafkaLogConsumer(this.kafka, options, this.consumerSettings());
    this.consumers.add(consumer);
    try {
      await consumer.start();
    } catch (error) {
      await consumer.stop().catch(() => undefined);
      this.consumers.delete(consumer);
      throw error;
    }
    this.logger.info({ group: options.groupId, topics: options.topics }, 'consumer started');
    return {
      stop: async () => {
        await consumer.stop();
        this.consumers.delete(consumer);
      },
    };
  }

  /** Agrees with the producer's partitioner for every topic this log has initialised. */
  partitionOf(topic: string, key: string): number {
    const count = this.partitionCounts.get(topic);
    if (count === undefined) throw new Error(`unknown topic ${topic}: call init([${topic}]) first`);
    return partitionForKey(topic, key, count);
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((consumer) => consumer.stop()));
    this.consumers.clear();
    const producer = this.producer;
    this.producer = null;
    await producer?.then((p) => p.disconnect()).catch(() => undefined);
  }

  private remember(topic: ITopicMetadata): void {
    const count = topic.partitions.length;
    this.partitionCounts.set(topic.name, count);
    if (count !== this.partitions) {
      this.logger.warn(
        { topic: topic.name, partitions: count, configured: this.partitions },
        'topic exists with a different partition count; keeping it',
      );
    }
  }

  /** Connects on first use; a failed connection is forgotten so that the next call retries. */
  private connectedProducer(): Promise<Producer> {
    this.producer ??= this.connectProducer().catch((error: unknown) => {
      this.producer = null;
      throw error;
    });
    return this.producer;
  }

  private async connectProducer(): Promise<Producer> {
    const producer = this.kafka.producer({
      createPartitioner,
      allowAutoTopicCreation: false,
      retry: this.retry,
    });
    await producer.connect();
    return producer;
  }

  private consumerSettings(): KafkaConsumerSettings {
    const { options } = this;
    return {
      sessionTimeoutMs: options.sessionTimeoutMs ?? 10_000,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 1_000,
      maxWaitTimeMs: options.maxWaitTimeMs ?? 250,
      partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 4,
      retry: this.retry,
      retryBackoffMs: options.retryBackoffMs ?? { initial: 100, max: 2_000 },
      logger: this.logger,
    };
  }
}

/** Fetches metadata until every partition of every topic has a leader. */
async function waitForLeaders(admin: Admin, topics: string[]): Promise<ITopicMetadata[]> {
  const deadline = Date.now() + METADATA_TIMEOUT_MS;
  for (;;) {
    const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
    const ready = metadata.every(
      (t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0),
    );
    if (ready) return metadata;
    if (Date.now() > deadline) {
      throw new Error(
        `topics ${topics.join(', ')} have partitions without a leader after ${METADATA_TIMEOUT_MS} ms`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Stays well under the broker's default message.max.bytes of 1 MiB per record batch. */
const MAX_REQUEST_BYTES = 512 * 1024;

/** Splits messages, in order, into runs whose keys and values stay under MAX_REQUEST_BYTES. */
export function requestChunks(messages: LogMessage[]): LogMessage[][] {
  const chunks: LogMessage[][] = [];
  let current: LogMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    // Record overhead is small; the length in UTF-16 units bounds neither side, so use bytes.
    const size = Buffer.byteLength(message.value) + Buffer.byteLength(message.key) + 32;
    if (current.length > 0 && bytes + size > MAX_REQUEST_BYTES) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
