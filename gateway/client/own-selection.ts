/**
 * This client's own cursor in a document: kept in local coordinates, moved with every change
 * of the text, and announced to the others at most once per interval, however often the
 * editor reports it.
 */
import type { Selection, TextOp } from './protocol.ts';
import { text as type } from './text-type.ts';

/** The gateway coalesces presence per tick as well; sending faster would only cost traffic. */
const INTERVAL_MS = 50;

export class OwnSelection {
  private sel: Selection = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastSentAt = 0;

  /** @param send announces a selection to the others; a failure is left to the next announcement. */
  constructor(private readonly send: (sel: Selection) => Promise<void>) {}

  get current(): Selection {
    return this.sel;
  }

  /** Records a new selection and schedules its announcement. */
  set(sel: Selection): void {
    this.sel = sel === null ? null : [sel[0], sel[1]];
    this.announce();
  }

  /** Moves the selection with a change of the local text. */
  moved(op: TextOp): void {
    if (this.sel) {
      this.sel = [type.transformPosition(this.sel[0], op), type.transformPosition(this.sel[1], op)];
    }
  }

  /** Announces the current selection again, after the text it refers to has changed. */
  announce(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.lastSentAt + INTERVAL_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.lastSentAt = Date.now();
      this.send(this.sel).catch(() => undefined);
    }, wait);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
