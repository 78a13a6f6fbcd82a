/**
 * A consumer group of the in-memory log: the offsets it committed, where its member started,
 * and the member itself. The in-memory log has one process, so a group has at most one member.
 */
import type { MemoryPartition } from './memory-partition.ts';

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;

export class MemoryGroup {
  /** The member currently consuming, if any. */
  member: object | null = null;
  /** Every topic the group has consumed; their messages are retained until it is past them. */
  readonly topics = new Set<string>();
  private readonly committed = new Map<string, number>();
  /** Per partition, the lowest offset the group may still read: committed, or where it began. */
  private readonly needed = new Map<string, number>();

  constructor(readonly id: string) {}

  /**
   * Where a member starts reading: after the last committed offset, or — for a partition the
   * group never committed — at the oldest message held or the end, as `fromBeginning` says.
   */
  startPosition(
    topic: string,
    partition: number,
    messages: MemoryPartition,
    fromBeginning: boolean,
  ): number {
    this.topics.add(topic);
    const committed = this.committed.get(key(topic, partition));
    const fallback = fromBeginning ? messages.start : messages.end;
    const position = Math.max(committed ?? fallback, messages.start);
    if (!this.needed.has(key(topic, partition))) this.needed.set(key(topic, partition), position);
    return position;
  }

  commit(topic: string, partition: number, offset: number): void {
    this.committed.set(key(topic, partition), offset);
    this.needed.set(key(topic, partition), offset);
  }

  /** The lowest offset of a partition this group may still read. */
  neededFrom(topic: string, partition: number): number {
    return this.needed.get(key(topic, partition)) ?? 0;
  }
}
