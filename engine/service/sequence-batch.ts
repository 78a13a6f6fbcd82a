/**
 * One batch of one partition, from submissions to the messages to publish: run the core, append
 * the new events, and recover from what the append refused. The caller publishes the returned
 * messages and only then commits the batch's offsets.
 */
import type { Submission, SequencedMessage, SequencedOp } from '../../common/protocol.ts';
import type { AppendFailure, AppendResult, EventStore } from '../ports/event-store.ts';
import type { Logger } from '../../common/logger.ts';
import type { Outcome, Sequencer } from '../sequencer/sequencer.ts';

/** What the batch step needs of the sequencer core. */
export type Core = Pick<Sequencer, 'submit' | 'submitNow' | 'forget'>;

export interface BatchDeps {
  core: Core;
  store: Pick<EventStore, 'append' | 'findBySource'>;
  logger: Logger;
  now?: () => number;
  /** How many appends of one batch may hit a fencing conflict before the batch fails. */
  maxConflicts?: number;
}

interface Attempt {
  submission: Submission;
  outcome: Outcome;
}

/**
 * Sequences a batch and returns, in order, the messages for `ops.sequenced`.
 *
 * Recovery from a refused append, per document:
 * 1. `conflict` — another sequencer (a zombie during a rebalance, or the new owner) stored that
 *    version first. The events before it were written; our state for the document is stale.
 *    Forget the document, so the core reloads its head from the store, and run the remaining
 *    submissions again: they are transformed against what the other sequencer stored.
 * 2. `duplicate` — the submission was stored before under another version, yet the core did not
 *    know it (its record of the source's last seq was stale, e.g. after a crash between the
 *    events insert and that record's update). Its stored event is the answer to publish; the
 *    rest of the document is run again as in 1.
 * Either way every submission ends sequenced once, or refused, and the document never forks.
 *
 * Only conflicts count towards `maxConflicts`: they mean another sequencer is still writing,
 * and after a few the batch is better failed and fetched again. Each duplicate settles the
 * submission it refused, so a run of them ends by itself, whereas counting them could wedge
 * the partition for good:
 *   a. Six resubmissions of one document each come back as `duplicate`, one per pass, because
 *      the record of their sources' last seq lags behind the stored events.
 *   b. The batch fails at the fifth and is fetched again. Nothing was appended, so that record
 *      has not moved: the same refusals come back in the same order, and it fails again.
 */
export async function sequenceBatch(
  submissions: Submission[],
  deps: BatchDeps,
): Promise<SequencedMessage[]> {
  const maxConflicts = deps.maxConflicts ?? 5;
  const now = deps.now ?? Date.now;
  const messages: SequencedMessage[] = [];
  let pending = submissions;
  let conflicts = 0;

  while (pending.length > 0) {
    const before = pending.length;
    const { attempts, result } = await runAndAppend(pending, deps, now());
    const failures = new Map(result.failures.map((f) => [f.event.doc, f]));
    pending = await settle(attempts, failures, messages, deps);

    // A pass that settled nothing counts as a conflict too, so that the loop ends whatever
    // the store reports.
    const conflicted = result.failures.some((failure) => failure.reason === 'conflict');
    if (conflicted || pending.length === before) conflicts++;
    if (pending.length > 0 && conflicts >= maxConflicts) {
      throw new Error(
        `documents still conflicting after ${conflicts} appends; the batch will be retried`,
      );
    }
  }
  return messages;
}

/**
 * Runs the core and appends what it sequenced. When either fails outright (the store is down,
 * or its reply was lost), the core is ahead of the store by events that may be stored in full,
 * in part or not at all, so every document of the chunk is forgotten: when the log delivers
 * the batch again, the core reloads them from the store and answers what is already stored as
 * a resubmission. Without this the core would answer from memory versions never stored.
 */
async function runAndAppend(
  submissions: Submission[],
  deps: BatchDeps,
  now: number,
): Promise<{ attempts: Attempt[]; result: AppendResult }> {
  try {
    const attempts = await runCore(submissions, deps.core, now);
    const result = await deps.store.append(sequencedOps(attempts));
    return { attempts, result };
  } catch (error) {
    for (const doc of new Set(submissions.map((s) => s.doc))) deps.core.forget(doc);
    throw error;
  }
}

async function runCore(submissions: Submission[], core: Core, now: number): Promise<Attempt[]> {
  const attempts: Attempt[] = [];
  for (const submission of submissions) {
    // Most submissions are decided from memory; only loads and old bases wait for the store.
    const outcome = core.submitNow(submission, now) ?? (await core.submit(submission, now));
    attempts.push({ submission, outcome });
  }
  return attempts;
}

function sequencedOps(attempts: Attempt[]): SequencedOp[] {
  const ops: SequencedOp[] = [];
  for (const { outcome } of attempts) if (outcome.kind === 'sequenced') ops.push(outcome.op);
  return ops;
}

/**
 * Moves every settled outcome into `messages` and returns the submissions to run again: those
 * of a failed document from its failing event on.
 */
async function settle(
  attempts: Attempt[],
  failures: Map<string, AppendFailure>,
  messages: SequencedMessage[],
  deps: BatchDeps,
): Promise<Submission[]> {
  const rerun: Submission[] = [];
  const reached = new Set<string>();

  for (const { submission, outcome } of attempts) {
    const failure = failures.get(submission.doc);
    if (failure && (reached.has(submission.doc) || isFailing(outcome, failure))) {
      if (!reached.has(submission.doc)) {
        reached.add(submission.doc);
        deps.core.forget(submission.doc);
        if (failure.reason === 'duplicate') {
          messages.push(await storedAnswer(failure.event, deps));
          continue;
        }
        deps.logger.warn(
          { doc: submission.doc, v: failure.event.v },
          'version taken by another sequencer; reloading',
        );
      }
      rerun.push(submission);
      continue;
    }
    messages.push(toMessage(outcome));
  }
  return rerun;
}

function isFailing(outcome: Outcome, failure: AppendFailure): boolean {
  return outcome.kind === 'sequenced' && outcome.op === failure.event;
}

async function storedAnswer(event: SequencedOp, deps: BatchDeps): Promise<SequencedMessage> {
  const stored = await deps.store.findBySource(event.doc, event.src, event.seq);
  if (!stored)
    throw new Error(
      `store refused ${event.doc} ${event.src}/${event.seq} as a duplicate but has no such event`,
    );
  deps.logger.warn(
    { doc: event.doc, src: event.src, seq: event.seq, v: stored.v },
    'resubmission caught by the store',
  );
  return { type: 'op', ...stored };
}

function toMessage(outcome: Outcome): SequencedMessage {
  if (outcome.kind === 'rejected') return { type: 'reject', ...outcome.rejection };
  return { type: 'op', ...outcome.op };
}
