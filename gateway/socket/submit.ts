/**
 * `doc:op {doc, v, src, seq, op}`: a submission is checked, written to `ops.submit` keyed by
 * document, and acknowledged once the log has it. Its sequenced result reaches the author
 * like everyone else's, through the document's room.
 *
 * The gateway refuses what it can judge without the document's text: the payload's shape,
 * the operation's form and size, the caller's role, the order of `seq` and the rate. Whether
 * the operation fits the document at its base version is for the sequencer, which holds the
 * text; it answers a misfit with `doc:reject`.
 */
import { tooLarge, unavailable } from '../../common/errors.ts';
import { TOPICS, type Submission, type TextOp } from '../../common/protocol.ts';
import { checkOp, checkOpSize } from '../../engine/ot/validate-op.ts';
import type { GatewayContext, GatewaySocket } from './context.ts';
import type { OpPayload } from './schemas.ts';
import type { Session } from './session.ts';

/** How long a client should wait before resubmitting when the log is unreachable. */
const LOG_RETRY_MS = 1_000;

export async function submit(
  ctx: GatewayContext,
  socket: GatewaySocket,
  session: Session,
  { doc, v, src, seq, op }: OpPayload,
): Promise<object> {
  await ctx.rateLimits.consume('op', socket.id);
  checkOperation(ctx, op);
  await ctx.access.require(doc, socket.data.user, 'write');
  session.checkOrder(doc, src, seq);

  const submission: Submission = { doc, v, src, seq, op: op as TextOp, user: socket.data.user };
  try {
    await ctx.log.produce(TOPICS.submit, [{ key: doc, value: JSON.stringify(submission) }]);
  } catch (error) {
    ctx.logger.warn({ doc, user: socket.data.user, err: error }, 'submission not written to log');
    throw unavailable('the operation could not be stored; submit it again', LOG_RETRY_MS);
  }

  session.accepted(doc, src, seq);
  ctx.submitClock.accepted(doc, src, seq);
  ctx.metrics.opsSubmitted.inc();
  return {};
}

/** The operation's form and size, before anything is read or written. */
function checkOperation(ctx: GatewayContext, op: unknown[]): void {
  if (op.length > ctx.limits.maxOpComponents) {
    throw tooLarge(
      `the operation has ${op.length} components, more than the limit of ` +
        `${ctx.limits.maxOpComponents}; split it into several operations`,
    );
  }
  checkOpSize(checkOp(op), ctx.limits);
}
