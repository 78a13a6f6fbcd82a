/**
 * One partition of an in-memory topic: messages in append order with Kafka-style offsets
 * (0, 1, 2 …, never reused). Like Kafka's retention, the front is dropped once every consumer
 * group of the topic is past it, so a long-running embedded server does not keep every
 * operation it ever relayed.
 */
import type { ConsumedMessage, LogMessage } from '../ports/log.ts';

/** Dropping from the front of an array copies it; doing so in steps keeps appends O(1). */
const TRIM_STEP = 1024;

export class MemoryPartition {
  private messages: LogMessage[] = [];
  /** The offset of `messages[0]`. */
  private base = 0;
  /** Offsets below this are no longer needed by any group, though not yet dropped. */
  private retainFrom = 0;

  /** The first offset still held. */
  get start(): number {
    return Math.max(this.base, this.retainFrom);
  }

  /** The offset the next message will get. */
  get end(): number {
    return this.base + this.messages.length;
  }

  append(message: LogMessage): void {
    this.messages.push({ key: message.key, value: message.value });
  }

  /** Up to `max` messages from offset `from` on. */
  read(from: number, max: number): ConsumedMessage[] {
    const first = Math.max(from, this.start) - this.base;
    return this.messages.slice(first, first + max).map((message, i) => ({
      ...message,
      offset: String(this.base + first + i),
    }));
  }

  /** Lets go of every message below `offset`. */
  release(offset: number): void {
    this.retainFrom = Math.min(Math.max(this.retainFrom, offset), this.end);
    const droppable = this.retainFrom - this.base;
    if (droppable < TRIM_STEP) return;
    this.messages = this.messages.slice(droppable);
    this.base = this.retainFrom;
  }
}
