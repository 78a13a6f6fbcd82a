/**
 * The log port: partitioned topics with consumer groups, the shape of Kafka. Two adapters
 * implement it — KafkaJS (the distributed stack) and an in-process log (the embedded mode) —
 * and both pass the same contract tests in `log.contract.ts`.
 */

export interface LogMessage {
  key: string;
  value: string;
}

export interface ConsumedMessage extends LogMessage {
  offset: string;
}

export interface LogBatch {
  topic: string;
  partition: number;
  messages: ConsumedMessage[];
}

export interface ConsumerOptions {
  groupId: string;
  topics: string[];
  /** Where a group without committed offsets starts. */
  fromBeginning?: boolean;
  /**
   * Called with each batch of one partition. The batch's offsets are committed only after
   * the returned promise resolves; if it rejects, the batch is delivered again.
   */
  eachBatch(batch: LogBatch): Promise<void>;
  /** Called when this member gains partitions, before their first batch. */
  onAssigned?(topic: string, partitions: number[]): Promise<void> | void;
  /** Called when this member loses partitions, after their last batch has finished. */
  onRevoked?(topic: string, partitions: number[]): Promise<void> | void;
}

export interface LogConsumer {
  stop(): Promise<void>;
}

export interface Log {
  /** Creates the topics if missing, with the configured partition count. */
  init(topics: string[]): Promise<void>;

  /** Appends messages; resolves once the log has them durably. Same key, same partition. */
  produce(topic: string, messages: LogMessage[]): Promise<void>;

  consume(options: ConsumerOptions): Promise<LogConsumer>;

  /** The partition a key maps to, for tests and drills. */
  partitionOf(topic: string, key: string): number;

  close(): Promise<void>;
}
