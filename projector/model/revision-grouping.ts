/**
 * How operations group into revisions, the history a person browses. A revision is a run of
 * editing without a pause: it ends when nobody edits for `revisionPauseSeconds`. Within a run,
 * a change of author also ends it — unless the newcomer starts within `revisionJoinSeconds` of
 * the last edit, which is what people typing together at the same time look like:
 *
 * 1. Ann types; Bob opens the document and types while Ann is still typing.
 * 2. Their operations interleave: ann, bob, ann, ann, bob …
 * 3. Splitting at every change of author would give one revision per few keystrokes. Because
 *    Bob's first edit came seconds after Ann's, he joins her revision, which then lists both.
 * 4. If Bob had instead started ten minutes after Ann stopped, or one minute after Ann's last
 *    edit while she no longer typed, he would start a revision of his own.
 */
import type { SequencedOp } from '../../common/protocol.ts';
import type { ProjectionPolicy } from '../config.ts';
import { summarizeOp } from './op-summary.ts';
import type { Revision } from './records.ts';

type GroupingPolicy = Pick<ProjectionPolicy, 'revisionPauseSeconds' | 'revisionJoinSeconds'>;

/** True when `event` cannot extend `open` and must begin a new revision. */
export function startsNewRevision(
  open: Revision | null,
  event: SequencedOp,
  policy: GroupingPolicy,
): boolean {
  if (!open) return true;
  const quiet = event.ts - open.end;
  if (quiet >= policy.revisionPauseSeconds * 1000) return true;
  return !open.authors.includes(event.user) && quiet >= policy.revisionJoinSeconds * 1000;
}

/** Revision number `n` holding just `event`. */
export function beginRevision(doc: string, n: number, event: SequencedOp): Revision {
  const { inserted, deleted } = summarizeOp(event.op);
  return {
    doc,
    n,
    from: event.v,
    to: event.v,
    authors: [event.user],
    start: event.ts,
    end: event.ts,
    inserted,
    deleted,
  };
}

/**
 * Grows `open` by the next operation, in place: this runs for every operation projected, and
 * a copy per operation would cost more than applying it to the text.
 */
export function extendRevision(open: Revision, event: SequencedOp): void {
  const { inserted, deleted } = summarizeOp(event.op);
  open.to = event.v;
  if (!open.authors.includes(event.user)) open.authors.push(event.user);
  // Timestamps come from several sequencers over a document's life; one whose clock ran
  // behind must not make a revision end before it started.
  open.end = Math.max(open.end, event.ts);
  open.inserted += inserted;
  open.deleted += deleted;
}

/** A copy that later growth of the original does not change. */
export function copyRevision(revision: Revision): Revision {
  return { ...revision, authors: [...revision.authors] };
}
