/**
 * `rebuild --from-kafka`: re-reads `ops.sequenced` from its oldest retained record with a
 * fresh consumer group, through the projector itself, into the staging generation. It stops
 * once every partition has been read up to where it ended when the replay began. Versions
 * that retention has already removed from the log are filled from the event store by the
 * projector's gap handling; documents missing from the log entirely are covered by the event
 * store pass that follows.
 */
import { Kafka, logLevel } from 'kafkajs';
import { kafkaBrokers } from '../../common/config.ts';
import { TOPICS } from '../../common/protocol.ts';
import { connectKafkaLog } from '../../engine/log/connect-log.ts';
import type { StagingProjection } from '../../projector/ports/projection-store.ts';
import { startProjector } from '../../projector/service/start-projector.ts';
import { Progress } from './progress.ts';
import type { ReplayContext } from './replay-context.ts';

export interface KafkaReplay {
  /** Documents that had at least one record in the log. */
  docs: Set<string>;
  /** Records read, operations or not. */
  records: number;
  groupId: string;
}

export async function replayFromKafka(
  context: ReplayContext,
  staging: StagingProjection,
  topic: string = TOPICS.sequenced,
): Promise<KafkaReplay> {
  const groupId = `projector-rebuild-${Date.now()}`;
  const admin = new Kafka({
    brokers: kafkaBrokers(context.config),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  const real = namespaced(context.config.KAFKA_TOPIC_PREFIX);
  try {
    const ends = await partitionEnds(admin, real(topic));
    const total = [...ends.values()].reduce((sum, end) => sum + end.records, 0);
    const replay: KafkaReplay = { docs: new Set(), records: 0, groupId };
    if (total > 0) await consumeUntil(context, staging, { topic, groupId, ends, total, replay });
    await admin.deleteGroups([real(groupId)]).catch(() => undefined);
    return replay;
  } finally {
    await admin.disconnect();
  }
}

/**
 * The names Kafka itself knows: the log prefixes topics and groups with KAFKA_TOPIC_PREFIX,
 * and the admin client, which works below the log, must do the same.
 */
function namespaced(prefix: string): (name: string) => string {
  return (name) => (prefix ? `${prefix}.${name}` : name);
}

interface PartitionEnd {
  last: bigint;
  records: number;
}

/** The offset of the last record of every non-empty partition, as the replay begins. */
async function partitionEnds(admin: ReturnType<Kafka['admin']>, topic: string) {
  const ends = new Map<number, PartitionEnd>();
  if (!(await admin.listTopics()).includes(topic)) return ends;
  for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
    const records = Number(BigInt(high) - BigInt(low));
    if (records > 0) ends.set(partition, { last: BigInt(high) - 1n, records });
  }
  return ends;
}

async function consumeUntil(
  context: ReplayContext,
  staging: StagingProjection,
  run: {
    topic: string;
    groupId: string;
    ends: Map<number, PartitionEnd>;
    total: number;
    replay: KafkaReplay;
  },
): Promise<void> {
  const { ends, replay } = run;
  const progress = new Progress('kafka', run.total);
  const pending = new Set(ends.keys());
  let caughtUp!: () => void;
  const finished = new Promise<void>((resolve) => (caughtUp = resolve));

  const log = connectKafkaLog(context.config, context.logger, {
    partitionsConsumedConcurrently: ends.size,
  });
  const projector = await startProjector({
    log,
    events: context.events,
    store: staging,
    policy: context.policy,
    logger: context.logger,
    groupId: run.groupId,
    topic: run.topic,
    onBatch: (batch) => {
      for (const message of batch.messages) replay.docs.add(message.key);
      replay.records += batch.messages.length;
      progress.advance(batch.messages.length, `partition ${batch.partition}`);
      const lastOffset = BigInt(batch.messages.at(-1)?.offset ?? -1);
      const end = ends.get(batch.partition);
      if (end && lastOffset >= end.last) pending.delete(batch.partition);
      if (pending.size === 0) caughtUp();
    },
  });
  try {
    await finished;
  } finally {
    progress.finish();
    await projector.stop();
    await log.close();
  }
}
