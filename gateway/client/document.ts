/**
 * An open document: its text, its version, local edits and everyone else's, and the cursors
 * of the other people in it. Created by `client.open(docId)`.
 */
import { RemoteCursors, type RemoteCursor } from './cursors.ts';
import { Emitter } from './emitter.ts';
import { CollabError } from './errors.ts';
import { OtClient, type Submission } from './ot-client.ts';
import type { PresenceEntry, Selection, TextOp, WireOp } from './protocol.ts';
import { request, type ClientSocket } from './requests.ts';
import { OwnSelection } from './own-selection.ts';
import { insertOp, removeOp } from './text-type.ts';

export interface ChangeEvent {
  /** The operation as applied to the text before the change; hand it to the editor. */
  op: TextOp;
  /** `local`: this handle's edit; `remote`: someone else's; `rollback`: a refused edit undone. */
  source: 'local' | 'remote' | 'rollback';
  /** The author of a remote change. */
  user?: string;
}

export interface DocumentEvents {
  change: ChangeEvent;
  /** A local edit was stored as version `v`. */
  ack: { seq: number; v: number };
  /** The text was replaced wholesale: after a refusal that could not be undone locally. */
  reset: { text: string; version: number };
  /** A remote cursor appeared or moved (`cursor`) or went away (`null`). */
  presence: { id: string; cursor: RemoteCursor | null };
  /** Every local edit is stored. */
  synced: { version: number };
  error: CollabError;
}

/** What a document needs from its client. */
export interface DocumentLink {
  readonly socket: ClientSocket;
  readonly src: string;
  readonly syncTimeoutMs: number;
  nextSeq(doc: string): number;
  closed(doc: string, nextSeq: number): void;
}

type QueueItem =
  | { kind: 'op'; op: WireOp }
  | { kind: 'reject'; src: string; seq: number; error: CollabError }
  /** After a reconnect's catch-up: resubmit the in-flight operation if it is still in flight. */
  | { kind: 'resubmit' };

/** How long to wait before retrying after an answer without `retryAfterMs`. */
const DEFAULT_RETRY_MS = 1_000;

export class CollabDocument extends Emitter<DocumentEvents> {
  private ot: OtClient | null = null;
  private readonly queue: QueueItem[] = [];
  private readonly cursors = new RemoteCursors();
  private readonly earlyPresence: PresenceEntry[] = [];
  private paused = false;
  private fetching = false;
  /** A reconnect happened while a fetch was under way; rejoin once it is over. */
  private rejoinWanted = false;
  private isClosed = false;
  private readonly selection = new OwnSelection((sel) => this.sendPresence(sel));
  private syncTimer: ReturnType<typeof setTimeout> | null = null;

  /** @internal Use `client.open(docId)`. */
  constructor(
    /** The document's id, as `client.open` was given it. */
    readonly id: string,
    private readonly link: DocumentLink,
  ) {
    super();
  }

  /**
   * The current text, including local edits not yet stored.
   *
   * @example
   * editor.setValue(doc.text);
   */
  get text(): string {
    return this.state().text;
  }

  /**
   * The server version the text rests on: every operation up to it has been applied.
   *
   * @example
   * console.log(`at version ${doc.version}`);
   */
  get version(): number {
    return this.state().version;
  }

  /**
   * Other people's cursors by connection id, in code points of the local text.
   *
   * @example
   * for (const { name, color, sel } of doc.presence.values()) editor.drawCursor(name, color, sel);
   */
  get presence(): ReadonlyMap<string, RemoteCursor> {
    return this.cursors.cursors;
  }

  /**
   * True while some local edit has not been stored yet.
   *
   * @example
   * window.onbeforeunload = () => (doc.hasUnsyncedChanges ? 'unsaved changes' : undefined);
   */
  get hasUnsyncedChanges(): boolean {
    return this.ot?.hasUnconfirmed ?? false;
  }

  /**
   * Operations received but not applied yet (held by `pauseIncoming`, or waiting for a
   * missing range).
   *
   * @example
   * await waitUntil(() => doc.incomingCount === 2);
   */
  get incomingCount(): number {
    return this.queue.filter((item) => item.kind !== 'resubmit').length;
  }

  /**
   * Applies a local edit (an `ot-text-unicode` operation, in code points) and sends it.
   * Throws when the operation does not fit the text.
   *
   * @example
   * doc.submit([5, 'hello', { d: 3 }]); // at 5, insert "hello", then delete 3
   */
  submit(op: TextOp): void {
    const ot = this.state();
    if (this.isClosed) throw new CollabError('BAD_REQUEST', `document ${this.id} is closed`);
    let applied: TextOp;
    try {
      applied = ot.applyLocal(op);
    } catch (error) {
      throw new CollabError('INVALID_OP', `the operation does not fit the text: ${String(error)}`);
    }
    this.moved(applied);
    this.emit('change', { op: applied, source: 'local' });
    this.flush();
  }

  /**
   * Inserts text at a code point position.
   *
   * @example
   * doc.insert(0, 'Title\n');
   */
  insert(position: number, text: string): void {
    if (text.length > 0) this.submit(insertOp(position, text));
  }

  /**
   * Deletes `count` code points at a position.
   *
   * @example
   * doc.remove(0, 6); // delete the first six characters
   */
  remove(position: number, count: number): void {
    if (count > 0) this.submit(removeOp(position, count));
  }

  /**
   * Shows this user's cursor (`[anchor, head]` in code points of the local text) to the
   * others, or hides it with `null`.
   *
   * @example
   * doc.setSelection([4, 4]); // a caret after the fourth character
   */
  setSelection(sel: Selection): void {
    this.selection.set(sel);
  }

  /**
   * Holds incoming operations instead of applying them, until `releaseIncoming` or
   * `resumeIncoming`. Meant for tests that need a precise interleaving.
   *
   * @example
   * doc.pauseIncoming();
   * other.insert(0, 'x');
   * await waitUntil(() => doc.incomingCount === 1);
   * doc.releaseIncoming(1);
   */
  pauseIncoming(): void {
    this.paused = true;
  }

  /**
   * Applies up to `count` held operations, in order; returns how many were applied.
   *
   * @example
   * doc.releaseIncoming(); // the next one
   */
  releaseIncoming(count = 1): number {
    let released = 0;
    while (released < count && this.ot && !this.fetching && this.queue.length > 0) {
      const item = this.queue.shift()!;
      if (item.kind !== 'resubmit') released++;
      this.process(item);
    }
    return released;
  }

  /**
   * Applies everything held and stops holding.
   *
   * @example
   * doc.resumeIncoming();
   */
  resumeIncoming(): void {
    this.paused = false;
    this.drain();
  }

  /**
   * Resolves once every local edit made so far is stored.
   *
   * @example
   * doc.insert(0, 'saved');
   * await doc.whenSynced();
   */
  whenSynced(): Promise<void> {
    if (!this.hasUnsyncedChanges) return Promise.resolve();
    return new Promise((resolve) => this.once('synced', () => resolve()));
  }

  /**
   * Leaves the document: no more operations or cursors arrive, the cursor disappears for the
   * others. Edits not yet sent are dropped; `await doc.whenSynced()` first to keep them.
   *
   * @example
   * await doc.whenSynced();
   * await doc.close();
   */
  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    this.clearTimers();
    this.cursors.clear();
    this.link.closed(this.id, this.ot?.upcomingSeq ?? this.link.nextSeq(this.id));
    if (this.link.socket.connected) {
      await request(this.link.socket, 'doc:leave', { doc: this.id }).catch(() => undefined);
    }
  }

  /** @internal Joins the document and takes its text. */
  async load(): Promise<void> {
    const joined = await request(this.link.socket, 'doc:join', { doc: this.id });
    if (!('text' in joined)) throw new CollabError('UNAVAILABLE', 'the server sent no text');
    this.ot = new OtClient(joined.text, joined.v, this.link.src, this.link.nextSeq(this.id));
    for (const entry of this.earlyPresence.splice(0)) this.receivePresence(entry);
    if (this.selection.current) this.selection.announce();
    this.drain();
  }

  /** @internal After a reconnect: catches up from the known version and resubmits. */
  async rejoin(): Promise<void> {
    if (this.isClosed || !this.ot) return;
    await this.fetchMissing(true);
    this.selection.announce();
  }

  /** @internal The connection dropped: cursors are stale until the rejoin. */
  disconnected(): void {
    this.clearTimers();
    for (const id of this.cursors.clear()) this.emit('presence', { id, cursor: null });
  }

  /** @internal */
  receiveOps(ops: WireOp[]): void {
    for (const op of ops) this.queue.push({ kind: 'op', op });
    this.drain();
  }

  /** @internal */
  receiveReject(src: string, seq: number, error: CollabError): void {
    this.queue.push({ kind: 'reject', src, seq, error });
    this.drain();
  }

  /** @internal */
  receivePresence(entry: PresenceEntry): void {
    if (entry.id === this.link.socket.id) return;
    if (!this.ot) {
      this.earlyPresence.push(entry);
      return;
    }
    const cursor = this.cursors.receive(entry, this.ot);
    if (cursor !== undefined) this.emit('presence', { id: entry.id, cursor });
  }

  private state(): OtClient {
    if (!this.ot) throw new CollabError('BAD_REQUEST', `document ${this.id} is not loaded yet`);
    return this.ot;
  }

  private drain(): void {
    while (!this.paused && this.ot && !this.fetching && this.queue.length > 0) {
      this.process(this.queue.shift()!);
    }
  }

  private process(item: QueueItem): void {
    if (this.isClosed) return;
    if (item.kind === 'op') this.processOp(item.op);
    else if (item.kind === 'reject') this.processReject(item.src, item.seq, item.error);
    else this.resubmit();
  }

  private processOp(op: WireOp): void {
    const ot = this.state();
    const outcome = ot.receive(op);
    switch (outcome.kind) {
      case 'duplicate':
        return;
      case 'gap':
        this.queue.unshift({ kind: 'op', op });
        void this.fetchMissing(false);
        return;
      case 'ack':
        this.acknowledged(outcome.seq, outcome.v);
        break;
      case 'remote':
        this.moved(outcome.op);
        this.emit('change', { op: outcome.op, source: 'remote', user: op.user });
        break;
    }
    for (const cursor of this.cursors.catchUp(ot)) this.emit('presence', { id: cursor.id, cursor });
  }

  private acknowledged(seq: number, v: number): void {
    this.stopSyncTimer();
    this.emit('ack', { seq, v });
    this.flush();
    // The cursor was announced relative to the text before this edit was stored; now that
    // it is, announce it again so that it sits after what was just typed, not before.
    if (this.selection.current) this.selection.announce();
    if (!this.state().hasUnconfirmed) this.emit('synced', { version: v });
  }

  private processReject(src: string, seq: number, error: CollabError): void {
    if (src !== this.link.src || seq !== this.state().inflightSeq) return;
    this.refused(seq, error);
  }

  /** The in-flight operation was refused: undo it locally, keep later edits. */
  private refused(seq: number, error: CollabError): void {
    this.stopSyncTimer();
    const undo = this.state().rollback(seq);
    if (undo) {
      this.moved(undo);
      this.emit('change', { op: undo, source: 'rollback' });
      this.flush();
    } else {
      void this.reload();
    }
    this.emit('error', new CollabError(error.code, error.message, error.retryAfterMs, seq));
    if (!this.state().hasUnconfirmed) this.emit('synced', { version: this.state().version });
  }

  /** Moves cursors and the own selection along with a change of the local text. */
  private moved(op: TextOp): void {
    this.cursors.transform(op);
    this.selection.moved(op);
  }

  /** Sends the pending edits, unless an operation is already in flight. */
  private flush(): void {
    if (!this.link.socket.connected) return;
    const submission = this.state().takeSubmission();
    if (submission) void this.send(submission);
  }

  private resubmit(): void {
    const submission = this.ot?.inflightSubmission();
    if (submission && this.link.socket.connected) void this.send(submission);
    else this.flush();
  }

  private async send(submission: Submission): Promise<void> {
    try {
      await request(this.link.socket, 'doc:op', { doc: this.id, ...submission });
      this.startSyncTimer(submission.seq);
    } catch (error) {
      this.sendFailed(submission.seq, CollabError.from(error));
    }
  }

  /**
   * A refused submission is taken back; one the gateway could not take right now is retried.
   * A lost connection needs nothing here: the reconnect resubmits.
   */
  private sendFailed(seq: number, error: CollabError): void {
    if (this.isClosed || this.state().inflightSeq !== seq || !this.link.socket.connected) return;
    if (error.code === 'RATE_LIMITED' || error.code === 'UNAVAILABLE') {
      setTimeout(() => this.resubmit(), error.retryAfterMs ?? DEFAULT_RETRY_MS);
      return;
    }
    this.refused(seq, error);
  }

  /**
   * Fetches the operations after the known version (`doc:join` with `v`) and puts them first
   * in the queue: after a gap, after a reconnect, or when an acknowledged submission does not
   * come back in time because its fan-out message was lost.
   */
  private async fetchMissing(thenResubmit: boolean): Promise<void> {
    if (this.isClosed) return;
    if (this.fetching) {
      this.rejoinWanted ||= thenResubmit;
      return;
    }
    this.fetching = true;
    try {
      const reply = await request(this.link.socket, 'doc:join', { doc: this.id, v: this.version });
      const ops = 'ops' in reply ? reply.ops : [];
      const items: QueueItem[] = ops.map((op) => ({ kind: 'op', op }));
      if (thenResubmit) items.push({ kind: 'resubmit' });
      this.queue.unshift(...items);
    } catch (error) {
      this.fetchFailed(CollabError.from(error));
    } finally {
      this.fetching = false;
    }
    if (this.rejoinWanted) {
      this.rejoinWanted = false;
      return this.fetchMissing(true);
    }
    this.drain();
    // Still waiting for our own operation: it may be sequenced later, or its fan-out lost
    // again; look again after another interval.
    const inflight = this.ot?.inflightSeq;
    if (inflight != null && !this.syncTimer && this.link.socket.connected) {
      this.startSyncTimer(inflight);
    }
  }

  private fetchFailed(error: CollabError): void {
    if (error.code === 'VERSION_TOO_OLD') {
      void this.reload();
    } else if (error.code === 'UNAVAILABLE' || error.code === 'RATE_LIMITED') {
      // Disconnected or busy: the reconnect, or the next operation's gap, fetches again.
      if (this.link.socket.connected) {
        setTimeout(() => void this.fetchMissing(false), error.retryAfterMs ?? DEFAULT_RETRY_MS);
      }
    } else {
      this.emit('error', error);
    }
  }

  /** Starts over from the server's text; local edits not yet stored are lost. */
  private async reload(): Promise<void> {
    try {
      const joined = await request(this.link.socket, 'doc:join', { doc: this.id });
      if (!('text' in joined)) return;
      this.state().reset(joined.text, joined.v);
      for (const id of this.cursors.clear()) this.emit('presence', { id, cursor: null });
      this.emit('reset', { text: joined.text, version: joined.v });
      this.emit('synced', { version: joined.v });
    } catch (error) {
      this.emit('error', CollabError.from(error));
    }
  }

  /** Announces a selection in the coordinates of the server version the text rests on. */
  private async sendPresence(sel: Selection): Promise<void> {
    const ot = this.ot;
    if (!ot || !this.link.socket.connected || this.isClosed) return;
    const v = ot.version;
    const atServer: Selection = sel
      ? [ot.positionToServer(sel[0]), ot.positionToServer(sel[1])]
      : null;
    try {
      await request(this.link.socket, 'presence:set', { doc: this.id, v, sel: atServer });
    } catch (error) {
      if (CollabError.from(error).code === 'RATE_LIMITED') this.selection.announce();
    }
  }

  private startSyncTimer(seq: number): void {
    this.stopSyncTimer();
    this.syncTimer = setTimeout(() => {
      this.syncTimer = null;
      if (this.ot?.inflightSeq === seq) void this.fetchMissing(false);
    }, this.link.syncTimeoutMs);
  }

  private stopSyncTimer(): void {
    if (this.syncTimer) clearTimeout(this.syncTimer);
    this.syncTimer = null;
  }

  private clearTimers(): void {
    this.stopSyncTimer();
    this.selection.stop();
  }
}
