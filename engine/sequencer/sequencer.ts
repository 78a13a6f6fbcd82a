/**
 * The sequencer core: decides, for each submission, the version it becomes. It holds each
 * document's state in memory and has no I/O of its own; a history source supplies what
 * memory does not hold. Appending the result to the event store, publishing it and
 * committing the log offset are the service's work.
 *
 * A submission whose document, client and base version are all in memory is sequenced
 * synchronously, with no promise to wait for; only a load, a first look at a client, an old
 * base or an old resubmission awaits the history source.
 */
import { loadConfig } from '../../common/config.ts';
import { ProtocolError, badRequest, unavailable } from '../../common/errors.ts';
import type { SequencedOp, Submission } from '../../common/protocol.ts';
import { checkOp, checkOpFits, checkOpSize, checkResultSize } from '../ot/validate-op.ts';
import type { OpLimits } from '../ot/validate-op.ts';
import { textType } from '../ot/text-type.ts';
import { baseVersionProblem } from './base-version.ts';
import { NO_OLDER_OPS, readOlderOps, transformToHead } from './catch-up.ts';
import { DocumentQueues, type QueueTicket } from './document-queue.ts';
import { DocumentState } from './document-state.ts';
import type { HistorySource } from './history-source.ts';
import { duplicate, rejected, sequenced, type Outcome } from './outcome.ts';
import { submissionProblem } from './submission-check.ts';

export type { Outcome };

export interface SequencerOptions extends OpLimits {
  /** The most versions an operation's base may lag behind the head. */
  maxVersionLag: number;
  /** How many recent operations each document keeps in memory. */
  opWindow: number;
}

/** The limits from the environment (`MAX_VERSION_LAG`, `OP_WINDOW`, `MAX_OP_INSERT_BYTES`, …). */
export function sequencerOptionsFromEnv(): SequencerOptions {
  const config = loadConfig();
  return {
    maxVersionLag: config.MAX_VERSION_LAG,
    opWindow: config.OP_WINDOW,
    maxOpInsertBytes: config.MAX_OP_INSERT_BYTES,
    maxDocBytes: config.MAX_DOC_BYTES,
  };
}

export class Sequencer {
  private readonly options: SequencerOptions;
  private readonly documents = new Map<string, DocumentState>();
  private readonly queues = new DocumentQueues();

  constructor(
    private readonly history: HistorySource,
    options: Partial<SequencerOptions> = {},
  ) {
    this.options = withDefaults(options);
  }

  /**
   * Sequences one submission: it becomes the document's next version, is recognised as a
   * resubmission of an earlier one, or is rejected. Submissions of one document are decided
   * in the order this method is called.
   *
   * The promise rejects, rather than resolving to a rejection, when the fault is not the
   * submission's: the history source failed, its history lacks versions not yet stored, or
   * the document was dropped while the submission waited (the latter two with `UNAVAILABLE`).
   *
   * @example
   * const outcome = await sequencer.submit({ doc, v: 0, src, seq: 1, op: ['hi'], user }, Date.now());
   * if (outcome.kind === 'sequenced') await store.append([outcome.op]);
   */
  submit(submission: Submission, now: number): Promise<Outcome> {
    const outcome = this.submitNow(submission, now);
    if (outcome !== undefined) return Promise.resolve(outcome);
    return this.queues.run(submission.doc, (ticket) =>
      this.submitWithHistory(submission, now, ticket),
    );
  }

  /**
   * Sequences a submission from memory alone, or returns undefined when it needs the history
   * source; then call `submit`, which waits for it. A service draining a batch calls this
   * first to avoid a promise per operation.
   *
   * @example
   * const outcome = sequencer.submitNow(submission, now) ?? (await sequencer.submit(submission, now));
   */
  submitNow(submission: Submission, now: number): Outcome | undefined {
    const problem = submissionProblem(submission);
    if (problem !== null) return rejected(submission, problem);

    const state = this.documents.get(submission.doc);
    if (state === undefined || this.queues.busy(submission.doc)) return undefined;
    return this.sequenceFromMemory(state, submission, now, NO_OLDER_OPS);
  }

  /**
   * Drops a document's state. The next submission loads it again from the history source.
   * Submissions still waiting for the history fail with `UNAVAILABLE` instead of being
   * sequenced on the dropped state.
   *
   * Used when the partition holding the document is revoked, and after a fencing conflict:
   * another sequencer advanced the document, so this one reloads and resubmits.
   *
   * @example
   * sequencer.forget('doc-1');
   */
  forget(doc: string): void {
    this.documents.delete(doc);
    this.queues.release(doc);
  }

  /** How many recent operations each document keeps in memory (OP_WINDOW). */
  get opWindow(): number {
    return this.options.opWindow;
  }

  /** The documents held in memory. */
  loadedDocuments(): string[] {
    return [...this.documents.keys()];
  }

  /**
   * A loaded document's head version and text, or undefined when it is not in memory.
   *
   * @example
   * sequencer.document('doc-1'); // { head: 42, text: 'hello' }
   */
  document(doc: string): { head: number; text: string } | undefined {
    const state = this.documents.get(doc);
    return state && { head: state.head, text: state.text.toString() };
  }

  /**
   * Decides a submission whose document is loaded. Returns undefined when something must
   * first be read from the history: the client's last seq, an old original, or operations
   * older than the window that `older` does not supply.
   */
  private sequenceFromMemory(
    state: DocumentState,
    submission: Submission,
    now: number,
    older: readonly SequencedOp[],
  ): Outcome | undefined {
    const lastSeq = state.lastSeq(submission.src);
    if (lastSeq === undefined) return undefined;
    if (submission.seq <= lastSeq) {
      const original = state.window.findBySource(submission.src, submission.seq);
      return original && duplicate(original);
    }

    const problem = baseVersionProblem(submission.v, state.head, this.options.maxVersionLag);
    if (problem !== null) return rejected(submission, problem);
    if (older === NO_OLDER_OPS && !state.window.holdsAfter(submission.v)) return undefined;

    return this.sequence(state, submission, now, older);
  }

  /** Transforms, validates and applies the operation, and records it as the next version. */
  private sequence(
    state: DocumentState,
    submission: Submission,
    now: number,
    older: readonly SequencedOp[],
  ): Outcome {
    let op = submission.op;
    try {
      const submitted = checkOp(op);
      checkOpSize(submitted, this.options);
      op = transformToHead(op, submission.v, state, older);
      const measure = op === submission.op ? submitted : checkOp(op);
      // Checking the fit at the head is as strict as at the base: the operations it was
      // transformed against never reach past the base's end, so an overrun carries through.
      checkOpFits(op, measure, state.text.length);
      checkResultSize(op, measure, state.text, this.options);
    } catch (error) {
      if (error instanceof ProtocolError) return rejected(submission, error);
      throw error;
    }
    textType.apply(state.text, op);

    const { doc, src, seq, user } = submission;
    const event: SequencedOp = { doc, v: state.head + 1, src, seq, op, user, ts: now };
    state.record(event);
    return sequenced(event);
  }

  /** The slow path: reads what memory lacks, then decides as the fast path does. */
  private async submitWithHistory(
    submission: Submission,
    now: number,
    ticket: QueueTicket,
  ): Promise<Outcome> {
    const { doc, src, seq, v } = submission;
    checkNotReleased(doc, ticket);
    const state = await this.loadedState(doc, ticket);
    if (state.lastSeq(src) === undefined) {
      const lastSeq = await this.history.lastSeq(doc, src);
      checkNotReleased(doc, ticket);
      state.learnLastSeq(src, lastSeq);
    }
    if (seq <= state.lastSeq(src)!) return this.duplicateFromHistory(state, submission);

    let older = NO_OLDER_OPS;
    const inRange = baseVersionProblem(v, state.head, this.options.maxVersionLag) === null;
    if (inRange && !state.window.holdsAfter(v)) {
      older = await readOlderOps(this.history, state, v);
      checkNotReleased(doc, ticket);
    }

    const outcome = this.sequenceFromMemory(state, submission, now, older);
    if (outcome === undefined) throw new Error(`sequencing ${doc} still lacked history`);
    return outcome;
  }

  private async loadedState(doc: string, ticket: QueueTicket): Promise<DocumentState> {
    const loaded = this.documents.get(doc);
    if (loaded !== undefined) return loaded;

    const stored = await this.history.loadDocument(doc);
    checkNotReleased(doc, ticket);
    const state = new DocumentState(doc, stored, this.options.opWindow);
    this.documents.set(doc, state);
    return state;
  }

  /**
   * Answers a resubmission with the event it became. An earlier seq with no event is not a
   * retry but a reuse, refused so it cannot be applied out of order:
   *   1. A client's seq 2 is rejected (too large, say) and never stored.
   *   2. The client moves on; its seq 3 is sequenced, so its last seq is 3.
   *   3. Seq 2 arrives again. Sequencing it now would put it after seq 3, an order its
   *      author never intended, and the store cannot tell it from a retry of a lost event.
   */
  private async duplicateFromHistory(
    state: DocumentState,
    submission: Submission,
  ): Promise<Outcome> {
    const { doc, src, seq } = submission;
    const original =
      state.window.findBySource(src, seq) ?? (await this.history.findBySource(doc, src, seq));
    if (original !== null) return duplicate(original);
    return rejected(submission, badRequest(`seq ${seq} from src ${src} was already used`));
  }
}

/**
 * The given options, with the environment's values for those left out. The environment is
 * not read at all when every option is given, so tests do not depend on it.
 */
function withDefaults(options: Partial<SequencerOptions>): SequencerOptions {
  const { maxVersionLag, opWindow, maxOpInsertBytes, maxDocBytes } = options;
  if (maxVersionLag && opWindow && maxOpInsertBytes && maxDocBytes) {
    return { maxVersionLag, opWindow, maxOpInsertBytes, maxDocBytes };
  }
  const env = sequencerOptionsFromEnv();
  return {
    maxVersionLag: maxVersionLag ?? env.maxVersionLag,
    opWindow: opWindow ?? env.opWindow,
    maxOpInsertBytes: maxOpInsertBytes ?? env.maxOpInsertBytes,
    maxDocBytes: maxDocBytes ?? env.maxDocBytes,
  };
}

/**
 * Stops a submission that waited for the history from using a document dropped meanwhile:
 *   1. A submission waits for its document to load; more are queued behind it.
 *   2. The partition is revoked, or an append hit a fencing conflict, and the document is
 *      dropped; another sequencer, or a fresh load here, now owns its state.
 *   3. The load returns. Installing or using that state would sequence on a stale head, and
 *      the queued submissions would run beside the new owner's, out of order.
 */
function checkNotReleased(doc: string, ticket: QueueTicket): void {
  if (ticket.released) {
    throw unavailable(
      `the sequencer released ${doc} while this submission waited for its history; submit again`,
      100,
    );
  }
}
