/**
 * The gateway's limits: what one connection may ask for, and how much the gateway keeps in
 * memory. The operation and document sizes come from the shared configuration, so that the
 * gateway refuses exactly what the sequencer would.
 */
import type { Config } from '../common/config.ts';

export interface GatewayLimits {
  /** Submissions per socket per second; bursts up to this many are allowed. */
  opsPerSecond: number;
  /** `presence:set` events per socket per second. */
  presencePerSecond: number;
  /** `doc:join` events per socket per second: each one reads the event store. */
  joinsPerSecond: number;
  /** Documents one socket may have joined at once. */
  maxDocsPerSocket: number;
  /** Components in one operation; a real edit has a handful. */
  maxOpComponents: number;
  /** UTF-8 bytes one operation may insert. */
  maxOpInsertBytes: number;
  /** UTF-8 bytes a document may hold. */
  maxDocBytes: number;
  /** Operations one catch-up or one `GET …/ops` may return. */
  maxOpsPerRead: number;
  /** How long a document's roles may be served from memory before they are read again. */
  accessCacheMs: number;
  /** How often coalesced presence changes are broadcast. */
  presenceTickMs: number;
  /** UTF-8 bytes of document text kept in memory to answer joins without a full replay. */
  textCacheBytes: number;
  /** Largest Socket.IO message accepted; a larger one closes the connection. */
  maxMessageBytes: number;
}

export function gatewayLimits(
  config: Config,
  overrides: Partial<GatewayLimits> = {},
): GatewayLimits {
  const maxOpInsertBytes = overrides.maxOpInsertBytes ?? config.MAX_OP_INSERT_BYTES;
  return {
    opsPerSecond: 100,
    presencePerSecond: 50,
    joinsPerSecond: 20,
    maxDocsPerSocket: 50,
    maxOpComponents: 10_000,
    maxOpsPerRead: config.MAX_VERSION_LAG,
    accessCacheMs: 2_000,
    presenceTickMs: 50,
    textCacheBytes: 64 * 1024 * 1024,
    // JSON escaping can make text up to six times its UTF-8 size (\u0001); an operation just
    // above the insert limit must still arrive, so that it is refused with TOO_LARGE instead
    // of a dropped connection.
    maxMessageBytes: 6 * maxOpInsertBytes + 64 * 1024,
    maxDocBytes: config.MAX_DOC_BYTES,
    ...overrides,
    maxOpInsertBytes,
  };
}
