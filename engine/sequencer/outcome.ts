/** What the sequencer decided about one submission. */
import type { ProtocolError } from '../../common/errors.ts';
import type { Rejection, SequencedOp, Submission } from '../../common/protocol.ts';

export type Outcome =
  /** The submission became the document's next version. */
  | { kind: 'sequenced'; op: SequencedOp }
  /** The submission was sequenced before; `op` is the event it became then. */
  | { kind: 'duplicate'; op: SequencedOp }
  | { kind: 'rejected'; rejection: Rejection };

export function sequenced(op: SequencedOp): Outcome {
  return { kind: 'sequenced', op };
}

export function duplicate(op: SequencedOp): Outcome {
  return { kind: 'duplicate', op };
}

/**
 * A rejection addressed to the submission's author. A malformed submission's fields are
 * replaced by empty values where they have the wrong type, so the rejection itself is
 * always well-formed.
 */
export function rejected(submission: Submission, error: ProtocolError): Outcome {
  const fields: Partial<Record<keyof Submission, unknown>> =
    typeof submission === 'object' && submission !== null ? submission : {};
  const { doc, src, seq, user } = fields;
  return {
    kind: 'rejected',
    rejection: {
      doc: typeof doc === 'string' ? doc : '',
      src: typeof src === 'string' ? src : '',
      seq: typeof seq === 'number' ? seq : 0,
      user: typeof user === 'string' ? user : '',
      error: error.toWire(),
    },
  };
}
