/**
 * The textarea as a replica of the document that may briefly lag behind it.
 *
 * Normally every change of the document reaches the textarea at once. During an IME
 * composition (Chinese, Japanese, Korean input, dead keys, some mobile keyboards) rewriting
 * the textarea would cancel what the person is composing, so changes from other people are
 * held back, composed into one operation, `behind`, until the composition ends:
 *
 *   document text = shown text ∘ behind
 *
 * What the person types meanwhile is an edit of the shown text. It is transformed past
 * `behind` before it goes to the document, and `behind` past it, so that both paths reach
 * the same text — the same step the SDK takes between its own edits and incoming ones.
 */
import type { TextOp } from '../../../gateway/client/index.ts';
import { text as type } from '../../../gateway/client/text-type.ts';
import { diffText, editToOp } from './text-diff.ts';

/** A change for the textarea: `op` turns `before` (what it shows) into `after`. */
export interface SurfaceChange {
  op: TextOp;
  before: string;
  after: string;
}

export class SurfaceSync {
  private shownText: string;
  private behind: TextOp | null = null;

  constructor(text: string) {
    this.shownText = text;
  }

  /** The text the textarea shows. */
  get shown(): string {
    return this.shownText;
  }

  /** True while the textarea does not yet show some change of the document. */
  get lagging(): boolean {
    return this.behind !== null;
  }

  /**
   * The person changed the textarea to `value` (`caret` as in `diffText`). Returns the
   * operation to submit to the document, or null when nothing changed.
   */
  input(value: string, caret?: number): TextOp | null {
    const edit = diffText(this.shownText, value, caret);
    this.shownText = value;
    if (!edit) return null;
    const local = editToOp(edit);
    if (!this.behind) return local;
    const submitted = type.transform(local, this.behind, 'left');
    this.behind = type.transform(this.behind, local, 'right');
    return submitted;
  }

  /**
   * The document changed by `op` (someone else's edit, or a refused edit taken back); the
   * textarea gets it with the next `catchUp`.
   */
  change(op: TextOp): void {
    this.behind = this.behind ? type.compose(this.behind, op) : op;
  }

  /** Everything held back, as one change for the textarea; null when it is up to date. */
  catchUp(): SurfaceChange | null {
    if (!this.behind) return null;
    const op = this.behind;
    const before = this.shownText;
    this.behind = null;
    this.shownText = type.apply(before, op);
    return { op, before, after: this.shownText };
  }

  /** The document's text was replaced wholesale; the textarea will show it as it is. */
  reset(text: string): void {
    this.shownText = text;
    this.behind = null;
  }

  /** A position in the shown text, in code points, mapped into the document's text. */
  toDocument(position: number): number {
    return this.behind ? type.transformPosition(position, this.behind) : position;
  }
}
