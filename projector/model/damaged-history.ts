/**
 * The event store holds something the projection cannot follow: an operation that does not
 * fit the text it follows, or a missing version. Nothing the projector does can repair that,
 * so whoever meets it reports the document and version for a person to look at.
 */
export class DamagedHistoryError extends Error {
  override readonly name = 'DamagedHistoryError';

  constructor(
    readonly doc: string,
    readonly v: number,
    detail: string,
  ) {
    super(`document ${doc} has a damaged history at version ${v}: ${detail}`);
  }
}
