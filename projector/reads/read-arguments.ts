/**
 * Checks of what a caller asks the history for. The HTTP layer passes numbers it parsed from a
 * query string, so anything can arrive here; each refusal says what would have been accepted.
 */
import { badRequest } from '../../common/errors.ts';

/** The most operations one `operations` call returns. */
export const MAX_OPERATIONS_PER_READ = 10_000;

/** The most revisions one page of history holds, and the page size when none is asked for. */
export const MAX_REVISIONS_PER_PAGE = 500;
export const DEFAULT_REVISIONS_PER_PAGE = 50;

export function checkVersion(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw badRequest(`${name} must be a whole number of at least 0 (got ${value})`);
  }
  return value;
}

/** The version range `from < v <= to` of an operations read, with `to` filled in if absent. */
export function checkOperationRange(from: number, to?: number): { from: number; to: number } {
  checkVersion('from', from);
  if (to === undefined) return { from, to: from + MAX_OPERATIONS_PER_READ };
  checkVersion('to', to);
  if (to < from) throw badRequest(`to (${to}) must not be below from (${from})`);
  if (to - from > MAX_OPERATIONS_PER_READ) {
    throw badRequest(
      `ask for at most ${MAX_OPERATIONS_PER_READ} operations at a time (asked for ${to - from})`,
    );
  }
  return { from, to };
}

export function checkPageSize(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_REVISIONS_PER_PAGE;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_REVISIONS_PER_PAGE) {
    throw badRequest(
      `limit must be a whole number from 1 to ${MAX_REVISIONS_PER_PAGE} (got ${limit})`,
    );
  }
  return limit;
}

export function checkRevisionCursor(before: number | undefined): number | undefined {
  if (before === undefined) return undefined;
  if (!Number.isSafeInteger(before) || before < 1) {
    throw badRequest(`before must be a revision number of at least 1 (got ${before})`);
  }
  return before;
}
