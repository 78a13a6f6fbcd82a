/**
 * Verifying one document: every stored operation is applied from version 0 on a rope, and at
 * each version the projection says something about — a snapshot's text, the latest text, a
 * revision's range, authors and counts, the projected and `docs` heads — the two must agree. The first
 * disagreement of each kind is reported with its version.
 */
import type { SequencedOp } from '../../common/protocol.ts';
import { CodePointRope } from '../../engine/ot/code-point-rope.ts';
import { DamagedHistoryError } from '../../projector/model/damaged-history.ts';
import type { DocMetadata, ProjectionState, Snapshot } from '../../projector/model/records.ts';
import type { ProjectionReader } from '../../projector/ports/projection-store.ts';
import { applyToRope } from '../../projector/reads/text-base.ts';
import { RevisionCheck } from './revision-check.ts';

export type MismatchKind = 'event' | 'snapshot' | 'latest' | 'revision' | 'state' | 'docs';

export interface Mismatch {
  v: number;
  kind: MismatchKind;
  detail: string;
}

export interface DocumentCheck {
  doc: string;
  eventHead: number;
  projectedHead: number;
  docsHead: number | null;
  snapshots: number;
  revisions: number;
  mismatches: Mismatch[];
  /** The lowest version at which anything disagrees, or null when all agrees. */
  firstBadVersion: number | null;
}

export class DocumentVerifier {
  private readonly rope = new CodePointRope();
  private readonly snapshots: Set<number>;
  private readonly users = new Map<string, number>();
  private readonly mismatches: Mismatch[] = [];
  private head = 0;
  private broken = false;

  private constructor(
    private readonly doc: string,
    private readonly store: ProjectionReader,
    private readonly state: ProjectionState | null,
    private readonly metadata: DocMetadata | null,
    private readonly latest: Snapshot | null,
    private revisions: RevisionCheck | null,
  ) {
    this.snapshots = new Set(state?.snapshots ?? []);
  }

  /** Reads what the projection holds for `doc`, ready for its events. */
  static async start(doc: string, store: ProjectionReader): Promise<DocumentVerifier> {
    const [state, metadata, latest] = await Promise.all([
      store.state(doc),
      store.metadata(doc),
      store.latest(doc),
    ]);
    const verifier = new DocumentVerifier(doc, store, state, metadata, latest, null);
    verifier.revisions = await RevisionCheck.load(store, state, verifier.report);
    return verifier;
  }

  /** Checks the next stored event, which should be version `head + 1`. */
  async accept(op: SequencedOp): Promise<void> {
    if (this.broken || op.v <= this.head) return;
    if (op.v !== this.head + 1) {
      this.report(this.head + 1, 'event', `the event store has no version ${this.head + 1}`);
      this.broken = true;
      return;
    }
    if (!this.apply(op)) return;
    this.head = op.v;
    if (!this.users.has(op.user)) this.users.set(op.user, op.v);
    this.revisions!.observe(op);
    if (this.snapshots.has(op.v)) await this.checkSnapshot(op);
    if (this.latest?.v === op.v) this.checkLatest(this.latest);
  }

  /** The verdict, once every stored event was offered; `allowLag` forgives heads behind. */
  finish(allowLag: boolean): DocumentCheck {
    if (this.latest && this.latest.v > this.head && !this.broken) {
      this.report(
        this.head + 1,
        'latest',
        `the latest text is at ${this.latest.v}, past the event store's ${this.head}`,
      );
    }
    this.checkHeads(allowLag);
    this.checkContributors();
    this.mismatches.sort((a, b) => a.v - b.v);
    return {
      doc: this.doc,
      eventHead: this.head,
      projectedHead: this.state?.head ?? 0,
      docsHead: this.metadata?.head ?? null,
      snapshots: [...this.snapshots].filter((v) => v <= this.head).length,
      revisions: this.revisions!.count,
      mismatches: this.mismatches,
      firstBadVersion: this.mismatches[0]?.v ?? null,
    };
  }

  private readonly report = (v: number, kind: MismatchKind, detail: string): void => {
    if (!this.mismatches.some((m) => m.kind === kind)) this.mismatches.push({ v, kind, detail });
  };

  private apply(op: SequencedOp): boolean {
    try {
      applyToRope(this.rope, [op]);
      return true;
    } catch (error) {
      if (!(error instanceof DamagedHistoryError)) throw error;
      this.report(op.v, 'event', error.message);
      this.broken = true;
      return false;
    }
  }

  private async checkSnapshot(op: SequencedOp): Promise<void> {
    const snapshot = await this.store.snapshot(op.doc, op.v);
    if (!snapshot)
      return this.report(op.v, 'snapshot', `the snapshot at ${op.v} is listed but missing`);
    const text = this.rope.toString();
    if (snapshot.text !== text) {
      const at = firstDifference(snapshot.text, text);
      this.report(
        op.v,
        'snapshot',
        `its text differs from the rebuilt text from character ${at} on`,
      );
    } else if (snapshot.ts !== op.ts) {
      this.report(op.v, 'snapshot', `its time ${snapshot.ts} is not the version's ${op.ts}`);
    }
  }

  private checkLatest(latest: Snapshot): void {
    const text = this.rope.toString();
    if (latest.text === text) return;
    const at = firstDifference(latest.text, text);
    this.report(
      latest.v,
      'latest',
      `its text differs from the rebuilt text from character ${at} on`,
    );
  }

  /**
   * Heads beyond the event store are always wrong. Heads behind it are wrong for a quiet
   * system, and mere lag while a projector is still catching up (`allowLag`).
   */
  private checkHeads(allowLag: boolean): void {
    const events = this.head;
    const projected = this.state?.head ?? 0;
    if (projected > events) {
      this.report(
        events + 1,
        'state',
        `projected to ${projected}, but the event store ends at ${events}`,
      );
    } else if (projected < events && !allowLag) {
      this.report(projected + 1, 'state', `projected to ${projected} of ${events} versions`);
    }
    const docs = this.metadata?.head ?? 0;
    if (docs > events) {
      this.report(events + 1, 'docs', `docs head ${docs} is beyond the event store's ${events}`);
    } else if (docs < events && !allowLag) {
      this.report(docs + 1, 'docs', `docs head ${docs} is behind the event store's ${events}`);
    }
  }

  /** Everyone who edited up to the `docs` head must be listed as a contributor. */
  private checkContributors(): void {
    if (!this.metadata) return;
    for (const [user, v] of this.users) {
      if (v <= this.metadata.head && !this.metadata.contributors.includes(user)) {
        return this.report(
          v,
          'docs',
          `${user} edited version ${v} but is not among the contributors`,
        );
      }
    }
  }
}

function firstDifference(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}
