/**
 * The sequencer service: consumes `ops.submit` in batches, one partition at a time per batch,
 * sequences each batch, publishes the results on `ops.sequenced` and lets the log commit the
 * batch's offsets only after that. The same code runs on Kafka and on the in-process log.
 */
import { TOPICS, type SequencedMessage, type Submission } from '../../common/protocol.ts';
import type { Logger } from '../../common/logger.ts';
import type { EventStore } from '../ports/event-store.ts';
import type { ConsumedMessage, Log, LogBatch, LogConsumer } from '../ports/log.ts';
import { parseSubmission } from './parse-submission.ts';
import { sequenceBatch, type Core } from './sequence-batch.ts';
import type { Sequencer } from '../sequencer/sequencer.ts';
import type { SequencerMetrics } from './metrics.ts';

export interface SequencerServiceDeps {
  log: Log;
  store: EventStore;
  core: Core & Pick<Sequencer, 'loadedDocuments' | 'opWindow'>;
  logger: Logger;
  metrics?: SequencerMetrics;
  groupId?: string;
}

export interface SequencerService {
  stop(): Promise<void>;
}

export async function startSequencerService(deps: SequencerServiceDeps): Promise<SequencerService> {
  const { log, logger } = deps;
  await log.init([TOPICS.submit, TOPICS.sequenced]);

  const consumer: LogConsumer = await log.consume({
    groupId: deps.groupId ?? 'engine',
    topics: [TOPICS.submit],
    fromBeginning: true,
    eachBatch: (batch) => handleBatch(batch, deps),
    onAssigned: (_topic, partitions) => logger.info({ partitions }, 'partitions assigned'),
    onRevoked: (_topic, partitions) => forgetPartitions(partitions, deps),
  });
  logger.info({ group: deps.groupId ?? 'engine' }, 'sequencer started');

  return {
    async stop() {
      await consumer.stop();
      logger.info('sequencer stopped');
    },
  };
}

/**
 * Sequences and appends a batch a chunk at a time, and publishes each chunk once it is stored
 * while the next one is sequenced and appended: the event store and Kafka work side by side,
 * and each chunk still reaches `ops.sequenced` only after it is stored, in order. Resolves
 * once everything is published, so the log commits the batch's offsets only then.
 *
 * The append is the one step that must wait for the previous one, so the work that needs no
 * store — reading the next chunk's records, encoding the last chunk's messages for Kafka — is
 * done while an append is on its way rather than between two appends.
 */
async function handleBatch(batch: LogBatch, deps: SequencerServiceDeps): Promise<void> {
  const started = performance.now();
  const publisher = new ChunkPublisher(deps.log);
  const refused: SequencedMessage[] = [];
  // Appending every few hundred submissions keeps the operations sequenced but not yet stored
  // inside the core's window: a later submission of the same batch based on an older version
  // is transformed against them, and the core reads what the window lacks from the store.
  const appendEvery = Math.max(1, Math.floor(deps.core.opWindow / 2));
  const records = batch.messages;
  const read = (from: number) =>
    readRecords(records.slice(from, from + appendEvery), batch.partition, refused, deps.logger);

  let submissions = read(0);
  for (let from = 0; from < records.length; from += appendEvery) {
    const sequencing = sequenceBatch(submissions, deps);
    // Awaited below; until then a failure must not count as unhandled, which ends the process.
    sequencing.catch(() => undefined);
    if (from + appendEvery < records.length) {
      await storeReached();
      submissions = read(from + appendEvery);
    }
    publisher.publish(await sequencing);
  }
  publisher.publish(refused);
  const messages = await publisher.finished();
  deps.metrics?.recordBatch(batch.partition, messages, (performance.now() - started) / 1000);
}

/**
 * Resolves after the pending I/O callbacks: by then an append started just before has been
 * written to the store's connection, and work done from here on overlaps with it.
 */
const storeReached = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Publishes chunks one after another, in the order given, without making the caller wait.
 * A chunk is encoded only once the event loop has moved on, so that the next append is not
 * held up behind it.
 */
class ChunkPublisher {
  private readonly messages: SequencedMessage[] = [];
  private done: Promise<void> = Promise.resolve();

  constructor(private readonly log: Log) {}

  publish(chunk: readonly SequencedMessage[]): void {
    if (chunk.length === 0) return;
    this.messages.push(...chunk);
    this.done = this.done.then(storeReached).then(() =>
      this.log.produce(
        TOPICS.sequenced,
        chunk.map((message) => ({ key: message.doc, value: JSON.stringify(message) })),
      ),
    );
    this.done.catch(() => undefined);
  }

  async finished(): Promise<SequencedMessage[]> {
    await this.done;
    return this.messages;
  }
}

/** Parses records into sound submissions, adding a refusal to `refused` for each malformed one. */
function readRecords(
  records: readonly ConsumedMessage[],
  partition: number,
  refused: SequencedMessage[],
  logger: Logger,
): Submission[] {
  const submissions: Submission[] = [];
  for (const message of records) {
    const parsed = parseSubmission(message.value);
    if (parsed.ok) {
      submissions.push(parsed.submission);
      continue;
    }
    logger.warn(
      { partition, offset: message.offset, doc: parsed.replyTo?.doc, error: parsed.error.message },
      'malformed submission refused',
    );
    if (parsed.replyTo)
      refused.push({ type: 'reject', ...parsed.replyTo, error: parsed.error.toWire() });
  }
  return submissions;
}

/** Drops the state of documents whose partitions this member no longer owns. */
function forgetPartitions(partitions: number[], deps: SequencerServiceDeps): void {
  const lost = new Set(partitions);
  let forgotten = 0;
  for (const doc of deps.core.loadedDocuments()) {
    if (lost.has(deps.log.partitionOf(TOPICS.submit, doc))) {
      deps.core.forget(doc);
      forgotten++;
    }
  }
  deps.logger.info({ partitions, documents: forgotten }, 'partitions revoked');
}
