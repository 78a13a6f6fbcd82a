/** Payload validation shared by the socket events and the HTTP routes. */
import type { z } from 'zod';
import { badRequest } from '../common/errors.ts';

/**
 * Parses `value` with `schema`, or throws BAD_REQUEST naming the first problems.
 *
 * @example
 * const { title } = parseWith(createDocSchema, request.body ?? {});
 */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw badRequest(describeIssues(parsed.error));
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => {
      const path = issue.path.join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
