/**
 * The projector service: its own consumer group on `ops.sequenced`, feeding each batch to the
 * `Projector`. The same function runs it beside Kafka and MongoDB (`projector/main.ts`) and
 * in-process on the embedded log and SQLite (the all-in-one mode).
 */
import { createLogger, type Logger } from '../../common/logger.ts';
import { TOPICS } from '../../common/protocol.ts';
import type { EventStore } from '../../engine/ports/event-store.ts';
import type { Log, LogBatch } from '../../engine/ports/log.ts';
import { DEFAULT_POLICY, type ProjectionPolicy } from '../config.ts';
import { Projector, type ProjectorCounters, type ProjectorStore } from './projector.ts';

export const PROJECTOR_GROUP = 'projector';

export interface ProjectorDeps {
  log: Log;
  events: Pick<EventStore, 'range'>;
  store: ProjectorStore;
  policy?: ProjectionPolicy;
  logger?: Logger;
  /** The consumer group; `projector` by default. A rebuild from the log uses a fresh one. */
  groupId?: string;
  /** The topic of sequenced operations; `ops.sequenced` by default. */
  topic?: string;
  /** Documents kept in memory between batches; 1,000 by default. */
  maxCachedDocuments?: number;
  /** Called after each batch is written, before its offsets are committed. */
  onBatch?(batch: LogBatch, counters: ProjectorCounters): void;
}

export interface ProjectorHandle {
  readonly counters: ProjectorCounters;
  stop(): Promise<void>;
}

/**
 * Joins the consumer group and projects until stopped.
 *
 * @example
 * const projector = await startProjector({ log, events, store });
 * // …
 * await projector.stop();
 */
export async function startProjector(deps: ProjectorDeps): Promise<ProjectorHandle> {
  const logger = deps.logger ?? createLogger('projector');
  const topic = deps.topic ?? TOPICS.sequenced;
  const groupId = deps.groupId ?? PROJECTOR_GROUP;
  const policy = deps.policy ?? DEFAULT_POLICY;
  const projector = new Projector({
    events: deps.events,
    store: deps.store,
    policy,
    logger,
    maxCachedDocuments: deps.maxCachedDocuments ?? 1_000,
  });

  await deps.log.init([topic]);
  const consumer = await deps.log.consume({
    groupId,
    topics: [topic],
    // A new group starts from the oldest record still retained; whatever retention has
    // removed is filled from the event store when the first later operation arrives.
    fromBeginning: true,
    eachBatch: async (batch) => {
      await projector.project(batch);
      deps.onBatch?.(batch, projector.counters);
    },
    onAssigned: (assigned, partitions) => {
      logger.info({ topic: assigned, partitions }, 'partitions assigned');
    },
    onRevoked: (revoked, partitions) => {
      projector.release(partitions);
      logger.info({ topic: revoked, partitions }, 'partitions revoked');
    },
  });
  logger.info({ topic, groupId, policy }, 'projector started');

  return {
    counters: projector.counters,
    async stop() {
      await consumer.stop();
      logger.info({ topic, groupId, ...projector.counters }, 'projector stopped');
    },
  };
}
