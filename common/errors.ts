/**
 * The one error type of the product. Every refusal that reaches a client carries one of the
 * protocol's codes, so that third-party clients can act on it without parsing messages.
 */
export const ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_REQUEST',
  'INVALID_OP',
  'TOO_LARGE',
  'VERSION_TOO_OLD',
  'VERSION_FROM_FUTURE',
  'RATE_LIMITED',
  'UNAVAILABLE',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The shape of an error on the wire: `{code, message, retryAfterMs?}`. */
export interface WireError {
  code: ErrorCode;
  message: string;
  retryAfterMs?: number;
}

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }

  toWire(): WireError {
    const wire: WireError = { code: this.code, message: this.message };
    if (this.retryAfterMs !== undefined) wire.retryAfterMs = this.retryAfterMs;
    return wire;
  }

  /** Wraps anything thrown into a wire error; unexpected faults become `UNAVAILABLE`. */
  static from(error: unknown): ProtocolError {
    if (error instanceof ProtocolError) return error;
    return new ProtocolError('UNAVAILABLE', 'the server could not complete the request; try again');
  }
}

export const invalidOp = (message: string) => new ProtocolError('INVALID_OP', message);
export const tooLarge = (message: string) => new ProtocolError('TOO_LARGE', message);
export const badRequest = (message: string) => new ProtocolError('BAD_REQUEST', message);
export const notFound = (message: string) => new ProtocolError('NOT_FOUND', message);
export const forbidden = (message: string) => new ProtocolError('FORBIDDEN', message);
export const unauthenticated = (message: string) => new ProtocolError('UNAUTHENTICATED', message);
export const unavailable = (message: string, retryAfterMs?: number) =>
  new ProtocolError('UNAVAILABLE', message, retryAfterMs);
export const rateLimited = (message: string, retryAfterMs: number) =>
  new ProtocolError('RATE_LIMITED', message, retryAfterMs);
export const versionTooOld = (message: string) => new ProtocolError('VERSION_TOO_OLD', message);
export const versionFromFuture = (message: string) =>
  new ProtocolError('VERSION_FROM_FUTURE', message);

export function isWireError(value: unknown): value is WireError {
  if (typeof value !== 'object' || value === null) return false;
  const { code, message } = value as Record<string, unknown>;
  return typeof message === 'string' && (ERROR_CODES as readonly unknown[]).includes(code);
}
