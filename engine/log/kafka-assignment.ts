/**
 * Turns the assignments KafkaJS reports after every rebalance into the port's `onRevoked` and
 * `onAssigned` calls. KafkaJS only announces the full assignment of each generation (the
 * `GROUP_JOIN` event), so the tracker diffs it against the previous one: partitions that left
 * are revoked first, then the new ones are assigned, so that an owner never sees a partition
 * twice. Callbacks run one after another in that order; batches wait for them (`settled`).
 */
import type { Logger } from '../../common/logger.ts';
import type { ConsumerOptions } from '../ports/log.ts';

type Assignment = Map<string, number[]>;

export class AssignmentTracker {
  private current: Assignment = new Map();
  private callbacks: Promise<void> = Promise.resolve();

  constructor(
    private readonly options: Pick<ConsumerOptions, 'groupId' | 'onAssigned' | 'onRevoked'>,
    private readonly logger: Logger,
  ) {}

  /** Takes the member's assignment of a new generation, `{topic: partitions}`. */
  update(assignment: Record<string, number[]>): void {
    const next: Assignment = new Map(Object.entries(assignment).map(([t, p]) => [t, [...p]]));
    const revoked = difference(this.current, next);
    const assigned = difference(next, this.current);
    this.current = next;
    for (const [topic, partitions] of revoked) this.enqueue('onRevoked', topic, partitions);
    for (const [topic, partitions] of assigned) this.enqueue('onAssigned', topic, partitions);
  }

  /** The member left the group (stopped or crashed): everything it held is revoked. */
  revokeAll(): void {
    this.update({});
  }

  /** Resolves once every callback queued so far has run. */
  settled(): Promise<void> {
    return this.callbacks;
  }

  private enqueue(kind: 'onAssigned' | 'onRevoked', topic: string, partitions: number[]): void {
    const { groupId } = this.options;
    const callback = this.options[kind];
    this.logger.info(
      { group: groupId, topic, partitions },
      `partitions ${kind === 'onAssigned' ? 'assigned' : 'revoked'}`,
    );
    // A callback that throws is logged and skipped rather than left to break the chain: the
    // batches of every other partition wait on it.
    this.callbacks = this.callbacks.then(async () => {
      try {
        await callback?.(topic, partitions);
      } catch (error) {
        this.logger.error({ err: error, group: groupId, topic, partitions }, `${kind} failed`);
      }
    });
  }
}

/** Partitions in `a` that are not in `b`, per topic, leaving out topics with none. */
function difference(a: Assignment, b: Assignment): Assignment {
  const result: Assignment = new Map();
  for (const [topic, partitions] of a) {
    const kept = new Set(b.get(topic) ?? []);
    const gone = partitions.filter((p) => !kept.has(p)).sort((x, y) => x - y);
    if (gone.length > 0) result.set(topic, gone);
  }
  return result;
}
