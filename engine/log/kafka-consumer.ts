/**
 * One member of a Kafka consumer group, driving the port's batch handler through KafkaJS's
 * `eachBatch` with automatic resolving and committing both off: the offset after a batch is
 * committed explicitly, and only once the handler resolved.
 *
 * Redelivery rests on how KafkaJS picks the next fetch offset: from the offset last *resolved*
 * for the partition, or the committed one when nothing was resolved. A batch is resolved only
 * after its commit succeeded, so when the handler rejects, nothing moves, and the next fetch
 * returns the same messages again. The rejection is not rethrown: KafkaJS would treat it as a
 * consumer failure, retry and eventually restart the whole member, rebalancing the group.
 */
import type { Batch, Consumer, EachBatchPayload, Kafka, KafkaMessage, RetryOptions } from 'kafkajs';
import type { Logger } from '../../common/logger.ts';
import type { ConsumedMessage, ConsumerOptions, LogConsumer } from '../ports/log.ts';
import { AssignmentTracker } from './kafka-assignment.ts';

export interface KafkaConsumerSettings {
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  maxWaitTimeMs: number;
  partitionsConsumedConcurrently: number;
  retry: RetryOptions;
  /** The pause before a rejected batch is fetched again, doubling from `initial` to `max`. */
  retryBackoffMs: { initial: number; max: number };
  logger: Logger;
}

export class KafkaLogConsumer implements LogConsumer {
  private readonly consumer: Consumer;
  private readonly tracker: AssignmentTracker;
  private readonly failures = new Map<string, number>();
  private readonly stopped = new AbortController();
  private stopping: Promise<void> | null = null;

  constructor(
    kafka: Kafka,
    private readonly options: ConsumerOptions,
    private readonly settings: KafkaConsumerSettings,
  ) {
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: settings.sessionTimeoutMs,
      heartbeatInterval: settings.heartbeatIntervalMs,
      maxWaitTimeInMs: settings.maxWaitTimeMs,
      minBytes: 1,
      allowAutoTopicCreation: false,
      retry: settings.retry,
    });
    this.tracker = new AssignmentTracker(options, settings.logger);
  }

  /**
   * Resolves once the member joined the group, its `onAssigned` calls ran, and its first fetch
   * fixed the start offsets — so a group without committed offsets that starts at the end
   * receives every message produced after `start` resolved.
   */
  async start(): Promise<void> {
    const { consumer } = this;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      this.tracker.update(payload.memberAssignment);
    });
    consumer.on(consumer.events.CRASH, ({ payload }) =>
      this.onCrash(payload.error, payload.restart),
    );
    const positioned = this.firstFetch();

    await consumer.connect();
    await consumer.subscribe({
      topics: this.options.topics,
      fromBeginning: !!this.options.fromBeginning,
    });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.settings.partitionsConsumedConcurrently,
      eachBatch: (payload) => this.onBatch(payload),
    });
    await positioned;
    await this.tracker.settled();
  }

  /** Waits for the batches in flight, leaves the group, then revokes everything it held. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.stopped.abort();
      await this.consumer.disconnect();
      this.tracker.revokeAll();
      await this.tracker.settled();
    })();
    return this.stopping;
  }

  private async onBatch({
    batch,
    heartbeat,
    commitOffsetsIfNecessary,
    resolveOffset,
  }: EachBatchPayload) {
    await this.tracker.settled();
    const failure = await this.handle(batch, heartbeat);
    if (failure !== null) return this.pauseBeforeRedelivery(batch, failure);

    // Commit first, resolve after: a commit refused during a rebalance propagates to KafkaJS,
    // which rejoins the group, and the batch — never resolved — is fetched again from the
    // committed offset by whichever member owns the partition next.
    const next = (BigInt(batch.lastOffset()) + 1n).toString();
    const { topic, partition } = batch;
    await commitOffsetsIfNecessary({
      topics: [{ topic, partitions: [{ partition, offset: next }] }],
    });
    resolveOffset(batch.lastOffset());
    this.failures.delete(`${topic}/${partition}`);
  }

  /**
   * Runs the handler, heartbeating meanwhile: KafkaJS heartbeats only between batches, and a
   * handler slower than the session timeout would otherwise get the member evicted. Returns
   * what the handler threw, or null.
   */
  private async handle(batch: Batch, heartbeat: () => Promise<void>): Promise<unknown> {
    const beat = () => heartbeat().catch(() => undefined);
    const heartbeats = setInterval(beat, this.settings.heartbeatIntervalMs);
    try {
      const messages = batch.messages.map(toConsumed);
      await this.options.eachBatch({ topic: batch.topic, partition: batch.partition, messages });
      return null;
    } catch (error) {
      return error ?? new Error('batch handler rejected');
    } finally {
      clearInterval(heartbeats);
    }
  }

  /**
   * Returning without resolving makes KafkaJS fetch the batch again; the pause keeps a handler
   * that fails on every attempt (its database is down) from spinning. It holds up the other
   * partitions fetched from the same broker too, which is why it stays short.
   */
  private async pauseBeforeRedelivery(batch: Batch, error: unknown): Promise<void> {
    const key = `${batch.topic}/${batch.partition}`;
    const failures = this.failures.get(key) ?? 0;
    this.failures.set(key, failures + 1);
    const { initial, max } = this.settings.retryBackoffMs;
    const delayMs = Math.min(initial * 2 ** failures, max);
    this.settings.logger.warn(
      {
        err: error,
        group: this.options.groupId,
        topic: batch.topic,
        partition: batch.partition,
        offset: batch.firstOffset(),
        delayMs,
      },
      'batch handler failed; the batch will be delivered again',
    );
    await sleep(delayMs, this.stopped.signal);
  }

  /**
   * After a crash KafkaJS has already left the group, so the member holds nothing until it
   * rejoins (when KafkaJS restarts it) and the next `GROUP_JOIN` assigns partitions again.
   */
  private onCrash(error: Error, restart: boolean): void {
    this.tracker.revokeAll();
    const fields = { err: error, group: this.options.groupId };
    if (restart) this.settings.logger.warn(fields, 'consumer crashed; KafkaJS restarts it');
    else this.settings.logger.error(fields, 'consumer crashed and will not restart');
  }

  /** Bounded, so that a member that cannot reach its broker does not hang `start`. */
  private firstFetch(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        remove();
        resolve();
      };
      const remove = this.consumer.on(this.consumer.events.FETCH, done);
      const timer = setTimeout(() => {
        this.settings.logger.warn({ group: this.options.groupId }, 'no fetch yet; starting anyway');
        done();
      }, this.settings.sessionTimeoutMs);
    });
  }
}

function toConsumed(message: KafkaMessage): ConsumedMessage {
  return {
    key: message.key?.toString() ?? '',
    value: message.value?.toString() ?? '',
    offset: message.offset,
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
