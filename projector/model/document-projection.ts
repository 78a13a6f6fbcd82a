/**
 * One document as the projector holds it: its text at the projected head, in a rope, and its
 * projection state. Applying the next operation advances both and records what must be
 * written — a snapshot that fell due, a revision that closed — until the caller takes it.
 */
import type { SequencedOp } from '../../common/protocol.ts';
import type { CodePointRope } from '../../engine/ot/code-point-rope.ts';
import { textType } from '../../engine/ot/text-type.ts';
import type { ProjectionPolicy } from '../config.ts';
import { DamagedHistoryError } from './damaged-history.ts';
import type { ProjectionCommit, ProjectionState, Revision, Snapshot } from './records.ts';
import {
  beginRevision,
  copyRevision,
  extendRevision,
  startsNewRevision,
} from './revision-grouping.ts';
import { snapshotDue } from './snapshot-policy.ts';

export class DocumentProjection {
  private state: ProjectionState;
  private snapshots: Snapshot[] = [];
  private closed: Revision[] = [];
  private contributors = new Set<string>();
  private changed = false;

  /**
   * Takes the state as stored and the text at its head version.
   *
   * @example
   * const projection = new DocumentProjection(emptyState('d1'), new CodePointRope(), policy);
   * projection.apply(event);
   * await store.commit([projection.takeCommit()!]);
   */
  constructor(
    state: ProjectionState,
    private readonly text: CodePointRope,
    private readonly policy: ProjectionPolicy,
  ) {
    this.state = {
      ...state,
      snapshots: [...state.snapshots],
      open: state.open ? copyRevision(state.open) : null,
    };
  }

  get doc(): string {
    return this.state.doc;
  }

  get head(): number {
    return this.state.head;
  }

  /** The text at the head version; costs a copy of the whole text. */
  currentText(): string {
    return this.text.toString();
  }

  /** Applies the operation that makes version `head + 1`. */
  apply(event: SequencedOp): void {
    if (event.v !== this.state.head + 1) {
      throw new Error(`document ${this.doc}: version ${event.v} applied at head ${this.head}`);
    }
    this.applyToText(event);
    const snapshot = snapshotDue(this.state, event, this.policy);
    this.advanceRevision(event);
    this.state.head = event.v;
    this.state.updatedAt = event.ts;
    if (this.state.snapshots.length === 0 && event.v === 1) this.state.snapshotTs = event.ts;
    if (snapshot) this.takeSnapshot(event);
    this.contributors.add(event.user);
    this.changed = true;
  }

  /** What changed since the last call, or null when nothing did. */
  takeCommit(): ProjectionCommit | null {
    if (!this.changed) return null;
    const { open } = this.state;
    const commit: ProjectionCommit = {
      snapshots: this.snapshots,
      revisions: this.closed,
      contributors: [...this.contributors],
      latest: {
        doc: this.doc,
        v: this.state.head,
        text: this.text.toString(),
        ts: this.state.updatedAt,
      },
      // The open revision keeps growing in place after this; the commit gets a copy.
      state: {
        ...this.state,
        snapshots: [...this.state.snapshots],
        open: open ? copyRevision(open) : null,
      },
    };
    this.snapshots = [];
    this.closed = [];
    this.contributors = new Set();
    this.changed = false;
    return commit;
  }

  private applyToText(event: SequencedOp): void {
    try {
      textType.apply(this.text, event.op);
    } catch (error) {
      throw new DamagedHistoryError(
        this.doc,
        event.v,
        `the operation does not apply: ${(error as Error).message}`,
      );
    }
  }

  private advanceRevision(event: SequencedOp): void {
    const { open } = this.state;
    if (open && !startsNewRevision(open, event, this.policy)) {
      extendRevision(open, event);
      return;
    }
    if (open) {
      this.closed.push(open);
      this.state.closedRevisions = open.n;
    }
    this.state.open = beginRevision(this.doc, this.state.closedRevisions + 1, event);
  }

  private takeSnapshot(event: SequencedOp): void {
    this.snapshots.push({ doc: this.doc, v: event.v, text: this.text.toString(), ts: event.ts });
    this.state.snapshots.push(event.v);
    this.state.snapshotTs = event.ts;
  }
}
