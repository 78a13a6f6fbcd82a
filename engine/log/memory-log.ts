/**
 * The in-process log for the embedded all-in-one mode: partitioned topics and consumer groups
 * with the semantics of the Kafka adapter for a group of one member — the same key-to-partition
 * mapping, batches per partition in offset order, commits only after the handler resolved, and
 * redelivery of a batch whose handler rejected.
 *
 * It lives in memory only. A crash loses the submissions that were acknowledged to clients as
 * logged but not yet sequenced; no client loses work by it, because clients resubmit their
 * in-flight operation when they reconnect, and an operation acknowledged as sequenced is already
 * in the event store, which is durable.
 */
import { loadConfig } from '../../common/config.ts';
import { createLogger, type Logger } from '../../common/logger.ts';
import type { ConsumerOptions, Log, LogConsumer, LogMessage } from '../ports/log.ts';
import { MemoryConsumer } from './memory-consumer.ts';
import { MemoryGroup } from './memory-group.ts';
import { MemoryPartition } from './memory-partition.ts';
import { partitionForKey } from './partitioner.ts';

export interface MemoryLogOptions {
  /** Partitions of every topic; KAFKA_PARTITIONS (12) by default, like the Kafka adapter. */
  partitions?: number;
  /** The most messages in one batch; 500 by default. */
  maxBatch?: number;
  /** The pause before a rejected batch is delivered again, doubling from `initial` to `max`. */
  retryBackoffMs?: { initial: number; max: number };
  logger?: Logger;
}

export class MemoryLog implements Log {
  private readonly topics = new Map<string, MemoryPartition[]>();
  private readonly groups = new Map<string, MemoryGroup>();
  private readonly consumers = new Set<{ consumer: MemoryConsumer; topics: string[] }>();
  private readonly partitions: number;
  private readonly logger: Logger;

  /**
   * @example
   * const log = new MemoryLog({ partitions: 3 });
   * await log.init([TOPICS.submit]);
   * await log.produce(TOPICS.submit, [{ key: doc, value: JSON.stringify(submission) }]);
   */
  constructor(private readonly options: MemoryLogOptions = {}) {
    this.partitions = options.partitions ?? loadConfig().KAFKA_PARTITIONS;
    this.logger = options.logger ?? createLogger('log');
  }

  async init(topics: string[]): Promise<void> {
    for (const topic of topics) {
      if (this.topics.has(topic)) continue;
      const partitions = Array.from({ length: this.partitions }, () => new MemoryPartition());
      this.topics.set(topic, partitions);
    }
  }

  /** Resolves once every message is stored in its partition; consumers get it right after. */
  async produce(topic: string, messages: LogMessage[]): Promise<void> {
    const partitions = this.partitionsOf(topic);
    for (const message of messages) {
      partitions[partitionForKey(topic, message.key, partitions.length)]!.append(message);
    }
    for (const { consumer, topics } of this.consumers) {
      if (topics.includes(topic)) consumer.wake(topic);
    }
  }

  async consume(options: ConsumerOptions): Promise<LogConsumer> {
    for (const topic of options.topics) this.partitionsOf(topic);
    const group = this.groupOf(options.groupId);
    if (group.member) {
      throw new Error(
        `consumer group ${options.groupId} already has a member; the in-process log serves one member per group`,
      );
    }
    const consumer = new MemoryConsumer(options, this.topics, group, this.release, {
      maxBatch: this.options.maxBatch ?? 500,
      retryBackoffMs: this.options.retryBackoffMs ?? { initial: 50, max: 2_000 },
      logger: this.logger,
    });
    const entry = { consumer, topics: options.topics };
    group.member = consumer;
    this.consumers.add(entry);
    await consumer.start();
    this.logger.info({ group: options.groupId, topics: options.topics }, 'consumer started');

    return {
      stop: async () => {
        await consumer.stop();
        this.consumers.delete(entry);
        if (group.member === consumer) group.member = null;
      },
    };
  }

  partitionOf(topic: string, key: string): number {
    return partitionForKey(topic, key, this.partitionsOf(topic).length);
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map(({ consumer }) => consumer.stop()));
    this.consumers.clear();
    for (const group of this.groups.values()) group.member = null;
  }

  /** Drops what every group that consumes the topic has committed past. */
  private readonly release = (topic: string, partition: number): void => {
    let needed = Number.POSITIVE_INFINITY;
    for (const group of this.groups.values()) {
      if (group.topics.has(topic)) needed = Math.min(needed, group.neededFrom(topic, partition));
    }
    if (Number.isFinite(needed)) this.partitionsOf(topic)[partition]!.release(needed);
  };

  private partitionsOf(topic: string): MemoryPartition[] {
    const partitions = this.topics.get(topic);
    if (!partitions) throw new Error(`unknown topic ${topic}: create it with init() first`);
    return partitions;
  }

  private groupOf(groupId: string): MemoryGroup {
    let group = this.groups.get(groupId);
    if (!group) {
      group = new MemoryGroup(groupId);
      this.groups.set(groupId, group);
    }
    return group;
  }
}
