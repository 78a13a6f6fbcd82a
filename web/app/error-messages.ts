/**
 * Errors in plain words. Every failure the app meets — an HTTP answer, a socket
 * acknowledgement, a refused edit, a network fault, a bug — becomes a sentence that says what
 * happened and what to do, with the server's own message kept as the detail.
 */
import { CollabError } from '../../gateway/client/index.ts';
import { isWireError } from '../../gateway/client/errors.ts';

type Code = CollabError['code'];

/** What the person was doing when the error came. */
export type ErrorContext =
  'sign-in' | 'list' | 'create' | 'open' | 'edit' | 'share' | 'history' | 'connect';

export interface ErrorText {
  summary: string;
  /** The server's message, or the error's, when it adds something. */
  detail?: string;
}

/** A fault of the page itself rather than an answer from the server. */
const UNEXPECTED =
  'Something went wrong on this page. Reloading it usually helps; edits already saved are safe.';

const GENERAL: Record<Code, string> = {
  UNAUTHENTICATED: 'Your session has ended. Please sign in again.',
  FORBIDDEN: 'You do not have permission to do that.',
  NOT_FOUND: 'That document does not exist, or the link is wrong.',
  BAD_REQUEST: 'The server did not accept that request.',
  INVALID_OP: 'That edit did not fit the document and was undone.',
  TOO_LARGE: 'That is too large for the server to accept.',
  VERSION_TOO_OLD: 'That version is too old to be read.',
  VERSION_FROM_FUTURE: 'That version does not exist yet.',
  RATE_LIMITED: 'You are going faster than the server allows; it will catch up in a moment.',
  UNAVAILABLE: 'The server cannot be reached right now. Please try again shortly.',
};

const IN_CONTEXT: Partial<Record<ErrorContext, Partial<Record<Code, string>>>> = {
  'sign-in': {
    NOT_FOUND:
      'This server does not offer quick sign-in by name (it is turned on with AUTH_DEV=1). ' +
      'Sign in with an access token instead.',
    BAD_REQUEST: 'That name or user id cannot be used.',
    UNAUTHENTICATED: 'That access token is not valid.',
  },
  open: {
    FORBIDDEN: 'You do not have access to this document. Ask its owner to share it with you.',
  },
  edit: {
    FORBIDDEN: 'You can only read this document now, so your last edit was undone.',
    TOO_LARGE: 'That edit is too large and was undone.',
    VERSION_TOO_OLD: 'You were away too long to catch up edit by edit; the document was reloaded.',
    UNAVAILABLE:
      'The server cannot be reached right now. Your edits are kept and will be sent when it is back.',
  },
  share: {
    FORBIDDEN: 'Only the owner of a document can share it.',
    BAD_REQUEST: 'That user cannot be given this role.',
  },
  history: {
    VERSION_FROM_FUTURE: 'That version does not exist yet.',
    NOT_FOUND: 'That version could not be found.',
  },
  connect: {
    UNAVAILABLE: 'The server cannot be reached. Retrying…',
  },
};

/**
 * The sentence to show for an error met while doing `context`.
 *
 * @example
 * describeError(new CollabError('FORBIDDEN', 'editor role needed'), 'edit').summary;
 * // 'You can only read this document now, so your last edit was undone.'
 */
export function describeError(error: unknown, context: ErrorContext): ErrorText {
  const collab =
    error instanceof CollabError ? error : isWireError(error) ? CollabError.fromWire(error) : null;
  if (!collab) {
    const detail = error instanceof Error ? error.message : String(error);
    return { summary: UNEXPECTED, ...(detail ? { detail } : {}) };
  }
  const summary = IN_CONTEXT[context]?.[collab.code] ?? GENERAL[collab.code];
  const retry =
    collab.code === 'RATE_LIMITED' && collab.retryAfterMs !== undefined
      ? ` Retrying in ${Math.max(1, Math.ceil(collab.retryAfterMs / 1000))} s.`
      : '';
  const detail = collab.message.trim();
  return detail ? { summary: summary + retry, detail } : { summary: summary + retry };
}
