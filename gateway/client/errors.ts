/**
 * Errors the SDK reports: the protocol's `{code, message, retryAfterMs?}` as an Error, so
 * callers can both `catch` it and switch on its code.
 */
import type { WireError } from './protocol.ts';

export class CollabError extends Error {
  override readonly name = 'CollabError';

  constructor(
    readonly code: WireError['code'],
    message: string,
    readonly retryAfterMs?: number,
    /** The `seq` of the submission the error is about, when it is about one. */
    readonly seq?: number,
  ) {
    super(message);
  }

  /**
   * The error a gateway sent, e.g. in an acknowledgement.
   *
   * @example
   * if (!reply.ok) throw CollabError.fromWire(reply.error);
   */
  static fromWire(error: WireError, seq?: number): CollabError {
    return new CollabError(error.code, error.message, error.retryAfterMs, seq);
  }

  /**
   * Anything that went wrong on the way, as a protocol error; unknown failures become
   * `UNAVAILABLE`.
   *
   * @example
   * catch (error) { handle(CollabError.from(error).code); }
   */
  static from(error: unknown): CollabError {
    if (error instanceof CollabError) return error;
    if (isWireError(error)) return CollabError.fromWire(error);
    const message = error instanceof Error ? error.message : String(error);
    return new CollabError('UNAVAILABLE', `the server could not be reached: ${message}`);
  }
}

export function isWireError(value: unknown): value is WireError {
  if (typeof value !== 'object' || value === null) return false;
  const { code, message } = value as Record<string, unknown>;
  return typeof code === 'string' && typeof message === 'string';
}
