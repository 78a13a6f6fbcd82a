/**
 * A Log that prefixes every topic and consumer group name, so that several deployments — or
 * test runs — share one Kafka cluster without seeing each other's messages, while the services
 * keep using `ops.submit` and `ops.sequenced` (KAFKA_TOPIC_PREFIX).
 */
import type { ConsumerOptions, Log, LogConsumer, LogMessage } from '../ports/log.ts';

export class NamespacedLog implements Log {
  constructor(
    private readonly inner: Log,
    private readonly namespace: string,
  ) {}

  /** The real topic names, e.g. to delete them after the test. */
  topics(topics: string[]): string[] {
    return topics.map((topic) => this.wrap(topic));
  }

  init(topics: string[]): Promise<void> {
    return this.inner.init(this.topics(topics));
  }

  produce(topic: string, messages: LogMessage[]): Promise<void> {
    return this.inner.produce(this.wrap(topic), messages);
  }

  consume(options: ConsumerOptions): Promise<LogConsumer> {
    return this.inner.consume({
      ...options,
      groupId: this.wrap(options.groupId),
      topics: this.topics(options.topics),
      eachBatch: (batch) => options.eachBatch({ ...batch, topic: this.unwrap(batch.topic) }),
      onAssigned: (topic, partitions) => options.onAssigned?.(this.unwrap(topic), partitions),
      onRevoked: (topic, partitions) => options.onRevoked?.(this.unwrap(topic), partitions),
    });
  }

  partitionOf(topic: string, key: string): number {
    return this.inner.partitionOf(this.wrap(topic), key);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private wrap(name: string): string {
    return `${this.namespace}.${name}`;
  }

  private unwrap(topic: string): string {
    return topic.startsWith(`${this.namespace}.`) ? topic.slice(this.namespace.length + 1) : topic;
  }
}
