/**
 * Other people's cursors in one document, kept in the coordinates of the local text: each
 * arrives relative to the server version its author had, is mapped into the local text, and
 * from then on moves with every change of the local text.
 */
import type { OtClient } from './ot-client.ts';
import type { PresenceEntry, Selection, TextOp } from './protocol.ts';
import { text as type } from './text-type.ts';

export interface RemoteCursor {
  /** The connection the cursor belongs to; one user may have several. */
  id: string;
  user: string;
  name: string;
  color: string;
  /** `[anchor, head]` in code points of the local text. */
  sel: [number, number];
}

export class RemoteCursors {
  readonly cursors = new Map<string, RemoteCursor>();
  /** Entries relative to versions this client has not reached yet. */
  private readonly early = new Map<string, PresenceEntry>();

  /** Takes in a presence entry; returns the cursor as it now is (null: gone, undefined: no change yet). */
  receive(entry: PresenceEntry, ot: OtClient): RemoteCursor | null | undefined {
    this.early.delete(entry.id);
    if (entry.sel === null) {
      const existed = this.cursors.delete(entry.id);
      return existed ? null : undefined;
    }
    if (entry.v > ot.version) {
      this.early.set(entry.id, entry);
      return undefined;
    }
    const cursor: RemoteCursor = {
      id: entry.id,
      user: entry.user,
      name: entry.name,
      color: entry.color,
      sel: this.place(entry.sel, entry.v, ot),
    };
    this.cursors.set(entry.id, cursor);
    return cursor;
  }

  /** Moves every cursor with a change of the local text. */
  transform(op: TextOp): void {
    for (const cursor of this.cursors.values()) {
      cursor.sel = [
        type.transformPosition(cursor.sel[0], op),
        type.transformPosition(cursor.sel[1], op),
      ];
    }
  }

  /** Places the entries that were waiting for the version the client has now reached. */
  catchUp(ot: OtClient): RemoteCursor[] {
    const placed: RemoteCursor[] = [];
    for (const entry of [...this.early.values()]) {
      if (entry.v > ot.version) continue;
      const cursor = this.receive(entry, ot);
      if (cursor) placed.push(cursor);
    }
    return placed;
  }

  /** Forgets every cursor, e.g. when the connection drops; returns the ids that were shown. */
  clear(): string[] {
    const shown = [...this.cursors.keys()];
    this.cursors.clear();
    this.early.clear();
    return shown;
  }

  /**
   * A selection at server version `v` in local coordinates. A version older than the
   * operations the client keeps cannot be mapped exactly; the selection is then kept inside
   * the text, which is where its author's next update will put it anyway.
   */
  private place(sel: NonNullable<Selection>, v: number, ot: OtClient): [number, number] {
    const length = ot.length;
    const map = (position: number) =>
      Math.min(ot.positionFromServer(position, v) ?? position, length);
    return [map(sel[0]), map(sel[1])];
  }
}
