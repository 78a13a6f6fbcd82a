/**
 * Checking a document's stored revisions against its history: they must be numbered 1, 2, …,
 * cover versions 1 … head without gap or overlap, and each must name the authors, times and
 * counts of exactly its operations. None of this depends on the grouping policy, so a
 * projection written under another policy still verifies.
 */
import type { SequencedOp } from '../../common/protocol.ts';
import { summarizeOp } from '../../projector/model/op-summary.ts';
import type { ProjectionState, Revision } from '../../projector/model/records.ts';
import type { ProjectionReader } from '../../projector/ports/projection-store.ts';

type Report = (v: number, kind: 'revision', detail: string) => void;

interface Tally {
  authors: string[];
  start: number;
  end: number;
  inserted: number;
  deleted: number;
}

const LOOKUPS_AT_ONCE = 16;

export class RevisionCheck {
  private index = 0;
  private tally: Tally | null = null;

  private constructor(
    private readonly revisions: Revision[],
    private readonly report: Report,
  ) {}

  /** Reads the document's revisions and checks how they are numbered and laid out. */
  static async load(
    store: ProjectionReader,
    state: ProjectionState | null,
    report: Report,
  ): Promise<RevisionCheck> {
    const revisions = state ? await readRevisions(store, state, report) : [];
    checkLayout(revisions, state?.head ?? 0, report);
    return new RevisionCheck(revisions, report);
  }

  get count(): number {
    return this.revisions.length;
  }

  /** Counts the next operation into the revision that holds it. */
  observe(op: SequencedOp): void {
    const revision = this.revisions[this.index];
    if (!revision || op.v < revision.from) return;
    const { inserted, deleted } = summarizeOp(op.op);
    const tally = this.tally ?? { authors: [], start: op.ts, end: op.ts, inserted: 0, deleted: 0 };
    if (!tally.authors.includes(op.user)) tally.authors.push(op.user);
    tally.end = Math.max(tally.end, op.ts);
    tally.inserted += inserted;
    tally.deleted += deleted;
    this.tally = tally;
    if (op.v === revision.to) this.close(revision, tally);
  }

  private close(revision: Revision, tally: Tally): void {
    const expected = { ...tally };
    const stored = {
      authors: revision.authors,
      start: revision.start,
      end: revision.end,
      inserted: revision.inserted,
      deleted: revision.deleted,
    };
    if (JSON.stringify(stored) !== JSON.stringify(expected)) {
      this.report(
        revision.from,
        'revision',
        `revision ${revision.n} says ${JSON.stringify(stored)}, its operations ${JSON.stringify(expected)}`,
      );
    }
    this.index++;
    this.tally = null;
  }
}

async function readRevisions(
  store: ProjectionReader,
  state: ProjectionState,
  report: Report,
): Promise<Revision[]> {
  const found: Revision[] = [];
  for (let first = 1; first <= state.closedRevisions; first += LOOKUPS_AT_ONCE) {
    const last = Math.min(first + LOOKUPS_AT_ONCE - 1, state.closedRevisions);
    const numbers = Array.from({ length: last - first + 1 }, (_, i) => first + i);
    const batch = await Promise.all(numbers.map((n) => store.revision(state.doc, n)));
    for (const [i, revision] of batch.entries()) {
      if (revision) found.push(revision);
      else report((found.at(-1)?.to ?? 0) + 1, 'revision', `revision ${numbers[i]} is missing`);
    }
  }
  if (state.open) found.push(state.open);
  return found;
}

function checkLayout(revisions: Revision[], head: number, report: Report): void {
  let next = 1;
  for (const [i, revision] of revisions.entries()) {
    if (revision.n !== i + 1 || revision.from !== next || revision.to < revision.from) {
      return report(
        next,
        'revision',
        `revision ${revision.n} covers ${revision.from}–${revision.to}, expected number ${i + 1} from ${next}`,
      );
    }
    next = revision.to + 1;
  }
  if (next !== head + 1)
    report(next, 'revision', `revisions end at ${next - 1}, the projection at ${head}`);
}
