/**
 * The rules every event store adapter applies to an append: how a batch splits into documents,
 * what a well-formed document batch is, and how a refused event is classified.
 */
import type { SequencedOp } from '../../common/protocol.ts';
import type { AppendFailure } from '../ports/event-store.ts';

/**
 * Document ids never contain `/`, which is what lets the MongoDB adapter build unambiguous keys
 * such as `${doc}/${v}` and `${doc}/${src}`.
 */
const DOC_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Splits a batch into one list per document, keeping the order given, and checks that each
 * document's events carry consecutive versions. The sequencer only ever appends head + 1,
 * head + 2, …, so anything else is a programming error and is thrown rather than stored: a gap
 * in the versions would also break the MongoDB adapter's head search, which relies on versions
 * being contiguous from 1.
 */
export function splitByDocument(events: readonly SequencedOp[]): Map<string, SequencedOp[]> {
  const byDoc = new Map<string, SequencedOp[]>();
  for (const event of events) {
    const batch = byDoc.get(event.doc);
    if (batch) {
      checkNextVersion(batch[batch.length - 1]!, event);
      batch.push(event);
    } else {
      checkFirstEvent(event);
      byDoc.set(event.doc, [event]);
    }
  }
  return byDoc;
}

function checkFirstEvent(event: SequencedOp): void {
  if (!DOC_ID.test(event.doc)) {
    throw new Error(`cannot append to document ${JSON.stringify(event.doc)}: not a valid id`);
  }
  if (!Number.isSafeInteger(event.v) || event.v < 1) {
    throw new Error(`cannot append version ${event.v} of ${event.doc}: versions start at 1`);
  }
}

function checkNextVersion(previous: SequencedOp, event: SequencedOp): void {
  if (event.v !== previous.v + 1) {
    throw new Error(
      `cannot append ${event.doc}: version ${event.v} follows ${previous.v} in the same batch`,
    );
  }
}

/**
 * Classifies an event a unique key refused, given what is stored at its `(doc, v)`.
 *
 * Nothing stored at that version means the `(doc, src, seq)` key refused it: the submission
 * was sequenced before, at another version. Something stored there is a `conflict` — another
 * sequencer advanced the document — unless it is this very submission: then an earlier append
 * whose outcome the caller never learned (a timeout, a crash before the reply) already wrote it,
 * and the submission is a `duplicate` like any other resubmission.
 */
export function classifyRefusal(
  event: SequencedOp,
  storedAtVersion: Pick<SequencedOp, 'src' | 'seq'> | null,
): AppendFailure['reason'] {
  if (storedAtVersion === null) return 'duplicate';
  const sameSubmission = storedAtVersion.src === event.src && storedAtVersion.seq === event.seq;
  return sameSubmission ? 'duplicate' : 'conflict';
}
