/**
 * What a gateway remembers about one connection beyond its rooms: the last `seq` it accepted
 * from each client id in each document, to refuse submissions that go backwards.
 *
 * The check is per connection on purpose. After a reconnect the client resubmits its
 * in-flight operation with the same `seq` on a new connection, and the sequencer, not the
 * gateway, recognises it as a duplicate.
 */
import { badRequest } from '../../common/errors.ts';

export class Session {
  private readonly lastSeq = new Map<string, number>();

  /** Throws BAD_REQUEST unless `seq` is above every `seq` accepted before from `src`. */
  checkOrder(doc: string, src: string, seq: number): void {
    const last = this.lastSeq.get(key(doc, src));
    if (last !== undefined && seq <= last) {
      throw badRequest(
        `seq ${seq} is not above ${last}, the last seq accepted from ${src} in this document; ` +
          'number submissions 1, 2, 3, … per client id',
      );
    }
  }

  accepted(doc: string, src: string, seq: number): void {
    this.lastSeq.set(key(doc, src), seq);
  }

  leave(doc: string): void {
    for (const k of this.lastSeq.keys()) if (k.startsWith(`${doc}\u0000`)) this.lastSeq.delete(k);
  }
}

function key(doc: string, src: string): string {
  return `${doc}\u0000${src}`;
}
