/**
 * The structural check of a submission's envelope. The gateway refuses malformed submissions
 * before they reach the log; the sequencer checks again because the log may hold messages
 * from older or foreign producers. Fields the envelope does not know are ignored here.
 */
import { badRequest, invalidOp, type ProtocolError } from '../../common/errors.ts';
import type { Submission } from '../../common/protocol.ts';

const DOC_ID = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_SRC_LENGTH = 64;

/** The first problem with the submission's fields, or null when they are well-formed. */
export function submissionProblem(submission: Submission): ProtocolError | null {
  if (typeof submission !== 'object' || submission === null) {
    return badRequest('a submission must be an object {doc, v, src, seq, op}');
  }
  const { doc, v, src, seq, op, user } = submission;
  if (typeof doc !== 'string' || !DOC_ID.test(doc)) {
    return badRequest('doc must be 1 to 64 letters, digits, "_" or "-"');
  }
  if (!Number.isSafeInteger(v) || v < 0) {
    return badRequest(`v must be a non-negative integer version, got ${String(v)}`);
  }
  if (typeof src !== 'string' || src.length === 0 || src.length > MAX_SRC_LENGTH) {
    return badRequest(`src must be a non-empty string of at most ${MAX_SRC_LENGTH} characters`);
  }
  if (!Number.isSafeInteger(seq) || seq < 1) {
    return badRequest(`seq must be a positive integer, got ${String(seq)}`);
  }
  if (typeof user !== 'string') return badRequest('user must be a string');
  if (!Array.isArray(op)) return invalidOp('op must be an array of components');
  return null;
}
