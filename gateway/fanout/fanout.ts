/**
 * Fan-out: the gateways form one consumer group on `ops.sequenced`, so each sequenced message
 * is read by exactly one gateway, which emits it to the document's room through the adapter;
 * the adapter carries it to every gateway with sockets in that room.
 *
 * Offsets are committed after the emit, so a gateway that dies mid-batch leaves the batch to
 * another gateway, which emits it again: clients drop the versions they already have. What the
 * adapter loses on the way (a pub/sub message is not durable) clients recover by catching up
 * when the next version reveals the gap.
 */
import type { Logger } from '../../common/logger.ts';
import { TOPICS, type SequencedMessage } from '../../common/protocol.ts';
import type { Log, LogBatch, LogConsumer } from '../../engine/ports/log.ts';
import type { GatewayMetrics } from '../metrics.ts';
import { toWireOp } from '../reads/operations.ts';
import type { GatewayServer } from '../socket/context.ts';
import { docRoom } from '../socket/rooms.ts';
import type { SubmitClock } from '../submit-clock.ts';
import { groupByDocument, type DocumentBatch } from './group-by-document.ts';

export interface FanoutDeps {
  io: GatewayServer;
  log: Log;
  groupId: string;
  metrics: GatewayMetrics;
  submitClock: SubmitClock;
  logger: Logger;
}

export function startFanout(deps: FanoutDeps): Promise<LogConsumer> {
  return deps.log.consume({
    groupId: deps.groupId,
    topics: [TOPICS.sequenced],
    // A gateway group without offsets has no listeners for old operations.
    fromBeginning: false,
    eachBatch: async (batch) => fanOut(deps, batch),
    onAssigned: (_topic, partitions) =>
      deps.logger.info({ partitions }, 'fan-out partitions assigned'),
    onRevoked: (_topic, partitions) =>
      deps.logger.info({ partitions }, 'fan-out partitions revoked'),
  });
}

function fanOut(deps: FanoutDeps, batch: LogBatch): void {
  const messages = parseMessages(deps.logger, batch);
  for (const [doc, documentBatch] of groupByDocument(messages)) {
    emitDocument(deps, doc, documentBatch);
  }
}

function emitDocument(deps: FanoutDeps, doc: string, { runs, rejections }: DocumentBatch): void {
  const room = deps.io.to(docRoom(doc));
  const now = Date.now();
  for (const run of runs) {
    room.emit('doc:ops', { doc, ops: run.map(toWireOp) });
    deps.metrics.opsDelivered.inc(run.length);
    for (const op of run) {
      deps.metrics.sequencedToFanout.observe(Math.max(0, now - op.ts) / 1000);
      const sinceSubmit = deps.submitClock.fannedOut(doc, op.src, op.seq);
      if (sinceSubmit !== null) deps.metrics.submitToFanout.observe(sinceSubmit);
    }
  }
  for (const { src, seq, error } of rejections) {
    room.emit('doc:reject', { doc, src, seq, error });
    deps.metrics.rejectsDelivered.inc();
  }
}

/** Unreadable messages are skipped: they would otherwise stop the partition forever. */
function parseMessages(logger: Logger, batch: LogBatch): SequencedMessage[] {
  const messages: SequencedMessage[] = [];
  let unreadable = 0;
  for (const message of batch.messages) {
    try {
      const parsed: unknown = JSON.parse(message.value);
      if (isSequencedMessage(parsed)) messages.push(parsed);
      else unreadable++;
    } catch {
      unreadable++;
    }
  }
  if (unreadable > 0) {
    logger.warn(
      { partition: batch.partition, unreadable },
      'skipped unreadable sequenced messages',
    );
  }
  return messages;
}

/** Enough of a check that grouping and emitting cannot trip over a foreign record. */
function isSequencedMessage(value: unknown): value is SequencedMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  if (typeof m.doc !== 'string' || typeof m.src !== 'string' || typeof m.seq !== 'number') {
    return false;
  }
  if (m.type === 'op') return Number.isSafeInteger(m.v) && Array.isArray(m.op);
  return m.type === 'reject' && typeof m.error === 'object' && m.error !== null;
}
