/**
 * Reading submissions off `ops.submit`. The gateway validates before it produces, but the log
 * is a boundary of its own: anything may be written to the topic, so the sequencer checks
 * again and never lets a malformed record stop the partition.
 */
import { z } from 'zod';
import { badRequest, type ProtocolError } from '../../common/errors.ts';
import type { Submission } from '../../common/protocol.ts';

const DOC_ID = /^[A-Za-z0-9_-]{1,64}$/;

const submissionSchema = z.strictObject({
  doc: z.string().regex(DOC_ID),
  v: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  src: z.string().min(1).max(64),
  seq: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  op: z.array(z.unknown()),
  user: z.string().min(1).max(256),
});

export type ParsedSubmission =
  | { ok: true; submission: Submission }
  /** Identified well enough to tell its author why it was refused. */
  | { ok: false; replyTo: Omit<Submission, 'op' | 'v'>; error: ProtocolError }
  /** Not even the author can be named: it is logged and skipped. */
  | { ok: false; replyTo: null; error: ProtocolError };

export function parseSubmission(value: string): ParsedSubmission {
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return { ok: false, replyTo: null, error: badRequest('submission is not valid JSON') };
  }

  const parsed = submissionSchema.safeParse(json);
  if (parsed.success) return { ok: true, submission: parsed.data as Submission };

  const error = badRequest(`malformed submission: ${describeIssues(parsed.error)}`);
  return { ok: false, replyTo: identify(json), error };
}

/** The author of a malformed submission, when doc, src, seq and user are themselves sound. */
function identify(json: unknown): Omit<Submission, 'op' | 'v'> | null {
  const candidate = z
    .object({
      doc: z.string().regex(DOC_ID),
      src: z.string().min(1).max(64),
      seq: z.number().int().positive(),
      user: z.string().min(1).max(256),
    })
    .safeParse(json);
  return candidate.success ? candidate.data : null;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || 'record'}: ${issue.message}`)
    .join('; ');
}
