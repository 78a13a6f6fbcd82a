/**
 * The shapes of the client → server payloads. Every field is checked, unknown fields are
 * refused, so that a typo in a third-party client surfaces as BAD_REQUEST instead of a
 * silently ignored field.
 */
import { z } from 'zod';
import { DOC_ID_PATTERN } from '../docs/doc-id.ts';

const docId = z
  .string()
  .regex(DOC_ID_PATTERN, 'must be a document id: 1 to 64 of A-Z, a-z, 0-9, _ and -');

const version = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

const position = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** A client id chosen by the client; the sequencer accepts the same range. */
const src = z.string().min(1).max(64);

export const joinSchema = z.strictObject({ doc: docId, v: version.optional() });

export const leaveSchema = z.strictObject({ doc: docId });

/** The operation's components are checked by the OT validation after this shape check. */
export const opSchema = z.strictObject({
  doc: docId,
  v: version,
  src,
  seq: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  op: z.array(z.unknown()),
});

export const presenceSchema = z.strictObject({
  doc: docId,
  v: version,
  sel: z.tuple([position, position]).nullable(),
});

export type JoinPayload = z.infer<typeof joinSchema>;
export type LeavePayload = z.infer<typeof leaveSchema>;
export type OpPayload = z.infer<typeof opSchema>;
export type PresencePayload = z.infer<typeof presenceSchema>;
