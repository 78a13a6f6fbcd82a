/**
 * The one member of a consumer group of the in-memory log. Each partition has a cursor; a
 * cursor delivers one batch at a time — everything available from its position, up to a
 * maximum — and moves on only after the handler resolved and the offset was committed. A batch
 * whose handler rejects is delivered again from the same offset after a growing pause.
 */
import type { Logger } from '../../common/logger.ts';
import type { ConsumedMessage, ConsumerOptions, LogConsumer } from '../ports/log.ts';
import type { MemoryGroup } from './memory-group.ts';
import type { MemoryPartition } from './memory-partition.ts';

export interface MemoryConsumerSettings {
  maxBatch: number;
  retryBackoffMs: { initial: number; max: number };
  logger: Logger;
}

interface Cursor {
  topic: string;
  partition: number;
  messages: MemoryPartition;
  position: number;
  /** A batch is with the handler, or waiting to be delivered again. */
  busy: boolean;
  /** A delivery is scheduled for the next turn of the event loop. */
  scheduled: boolean;
  failures: number;
  retry: NodeJS.Timeout | null;
}

export class MemoryConsumer implements LogConsumer {
  private readonly cursors: Cursor[] = [];
  private readonly deliveries = new Set<Promise<void>>();
  private running = false;
  private stopping: Promise<void> | null = null;

  constructor(
    private readonly options: ConsumerOptions,
    topics: ReadonlyMap<string, MemoryPartition[]>,
    private readonly group: MemoryGroup,
    private readonly onCommitted: (topic: string, partition: number) => void,
    private readonly settings: MemoryConsumerSettings,
  ) {
    for (const topic of options.topics) {
      for (const [partition, messages] of topics.get(topic)!.entries()) {
        const position = group.startPosition(topic, partition, messages, !!options.fromBeginning);
        this.cursors.push({ topic, partition, messages, position, ...idleCursor() });
      }
    }
  }

  /** Hands every partition to the member, then starts delivering. */
  async start(): Promise<void> {
    for (const topic of this.options.topics) {
      await this.options.onAssigned?.(topic, this.partitionsOf(topic));
    }
    this.running = true;
    this.wake();
  }

  /** Tells the consumer that messages arrived in `topic` (or in every topic). */
  wake(topic?: string): void {
    for (const cursor of this.cursors) {
      if (topic === undefined || cursor.topic === topic) this.schedule(cursor);
    }
  }

  /** Waits for the batches in flight, then takes every partition back from the member. */
  stop(): Promise<void> {
    this.stopping ??= this.shutDown();
    return this.stopping;
  }

  private async shutDown(): Promise<void> {
    this.running = false;
    for (const cursor of this.cursors) if (cursor.retry) clearTimeout(cursor.retry);
    await Promise.all(this.deliveries);
    for (const topic of this.options.topics) {
      await this.options.onRevoked?.(topic, this.partitionsOf(topic));
    }
  }

  /** Deferred to the next turn, so that a burst of produces becomes one batch. */
  private schedule(cursor: Cursor): void {
    if (cursor.scheduled || cursor.busy) return;
    cursor.scheduled = true;
    setImmediate(() => {
      cursor.scheduled = false;
      this.deliverNext(cursor);
    });
  }

  private deliverNext(cursor: Cursor): void {
    if (!this.running || cursor.busy) return;
    const messages = cursor.messages.read(cursor.position, this.settings.maxBatch);
    if (messages.length === 0) return;
    cursor.busy = true;
    const delivery = this.deliver(cursor, messages);
    this.deliveries.add(delivery);
    void delivery.finally(() => this.deliveries.delete(delivery));
  }

  private async deliver(cursor: Cursor, messages: ConsumedMessage[]): Promise<void> {
    const { topic, partition } = cursor;
    try {
      await this.options.eachBatch({ topic, partition, messages });
    } catch (error) {
      this.retryLater(cursor, messages[0]!.offset, error);
      return;
    }
    const next = Number(messages[messages.length - 1]!.offset) + 1;
    this.group.commit(topic, partition, next);
    this.onCommitted(topic, partition);
    cursor.position = next;
    cursor.failures = 0;
    cursor.busy = false;
    this.schedule(cursor);
  }

  private retryLater(cursor: Cursor, offset: string, error: unknown): void {
    const { initial, max } = this.settings.retryBackoffMs;
    const delayMs = Math.min(initial * 2 ** cursor.failures, max);
    cursor.failures += 1;
    this.settings.logger.warn(
      {
        err: error,
        group: this.group.id,
        topic: cursor.topic,
        partition: cursor.partition,
        offset,
        delayMs,
      },
      'batch handler failed; delivering the batch again',
    );
    if (!this.running) return;
    cursor.retry = setTimeout(() => {
      cursor.retry = null;
      cursor.busy = false;
      this.deliverNext(cursor);
    }, delayMs);
  }

  private partitionsOf(topic: string): number[] {
    return this.cursors.filter((c) => c.topic === topic).map((c) => c.partition);
  }
}

function idleCursor() {
  return { busy: false, scheduled: false, failures: 0, retry: null };
}
