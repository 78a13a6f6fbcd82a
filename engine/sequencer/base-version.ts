/** Whether a submission's base version can still be brought up to the head. */
import { versionFromFuture, versionTooOld, type ProtocolError } from '../../common/errors.ts';

/**
 * The refusal for a base version outside `[head - maxLag, head]`, or null when the operation
 * can be transformed up to the head.
 */
export function baseVersionProblem(
  base: number,
  head: number,
  maxLag: number,
): ProtocolError | null {
  if (base > head) {
    return versionFromFuture(
      `base version ${base} is ahead of the document's head version ${head}; ` +
        'rejoin the document and submit on a version it has',
    );
  }
  if (head - base > maxLag) {
    return versionTooOld(
      `base version ${base} is ${head - base} versions behind the head version ${head}, ` +
        `more than the ${maxLag} the server transforms across; rejoin the document and ` +
        'submit on its current version',
    );
  }
  return null;
}
