/**
 * Document ids: random, URL-safe, and short enough to use as a key everywhere (Kafka record
 * key, MongoDB `_id`, Socket.IO room name).
 */
import { randomBytes } from 'node:crypto';

export const DOC_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** 16 random bytes: collisions are as unlikely as for a UUID. */
export function newDocId(): string {
  return randomBytes(16).toString('base64url');
}

export function isDocId(value: unknown): value is string {
  return typeof value === 'string' && DOC_ID_PATTERN.test(value);
}
